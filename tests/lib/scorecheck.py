#!/usr/bin/env python3
"""Checks shared by the accuracy scripts (tests/scripts/score_*.sh).

usage:
  scorecheck.py offsets PRED.ndjson CLEAN.txt
      every record's text_bytes, section headings and fact texts stand where the record
      says in its cleaned text (CLEAN: `lexmill parse --text` over the same files, texts
      separated by "\\n\\f\\n"); a source named *gb18030* must have been decoded as such
  scorecheck.py gates SCORE.json --name NAME [--min-docs N] [--min-field X]
                [--min-f1 Y] [--min-key Z]
      the shared scorer's --json output against the gates; no wrong unit code, no
      labelled document without a record
Exit status 1 when a check fails (each failure printed as "FAIL: ...")."""
import argparse
import json
import sys


def offsets(pred, clean):
    recs = [json.loads(l) for l in open(pred, encoding="utf-8") if l.strip()]
    texts = open(clean, "rb").read().split(b"\n\f\n")
    bad = 0
    if len(texts) < len(recs):
        print(f"FAIL: {len(recs)} records but {len(texts)} cleaned texts")
        return 1
    for r, t in zip(recs, texts):
        src = r["source"]
        if r["stats"]["text_bytes"] != len(t):
            print(f"FAIL: {src}: text_bytes {r['stats']['text_bytes']} != {len(t)}"); bad = 1
        if "gb18030" in src and r["stats"]["encoding"] != "gb18030":
            print(f"FAIL: {src}: encoding {r['stats']['encoding']}"); bad = 1
        for s in r["sections"]:
            if not t[s["start"]:].startswith(s["heading"].encode()) or s["end"] > len(t):
                print(f"FAIL: {src}: section offsets wrong: {s['heading']}"); bad = 1
        for f in r["facts"]:
            if not t[f["start"]:].startswith(f["text"].encode()):
                print(f"FAIL: {src}: fact offset wrong: {f['text']}"); bad = 1
    print(f"offsets checked in {len(recs)} records")
    return bad


def gates(score, name, min_docs, min_field, min_f1, min_key):
    r = json.load(open(score))
    bad = []
    if r["docs"] < min_docs:
        bad.append(f"only {r['docs']} labelled reports (want >= {min_docs})")
    if r["missing_docs"]:
        bad.append(f"documents with no record: {r['missing_docs']}")
    for field, ratio in r["fields"].items():
        if ratio is not None and ratio < min_field:
            bad.append(f"field {field}: {ratio:.3f} < {min_field}")
    f = r["facts"]
    if f["f1"] < min_f1:
        bad.append(f"fact F1 {f['f1']:.3f} < {min_f1}")
    if f["key_accuracy"] < min_key:
        bad.append(f"key accuracy {f['key_accuracy']:.3f} < {min_key}")
    if r["wrong_codes"]:
        bad.append(f"{r['wrong_codes']} unit codes given and wrong")
    for b in bad:
        print("FAIL:", b)
    print(f"{name}: {r['docs']} reports, worst field {r['worst_field']:.3f}, "
          f"fact F1 {f['f1']:.3f}, key accuracy {f['key_accuracy']:.3f}")
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    o = sub.add_parser("offsets")
    o.add_argument("pred")
    o.add_argument("clean")
    g = sub.add_parser("gates")
    g.add_argument("score")
    g.add_argument("--name", required=True)
    g.add_argument("--min-docs", type=int, default=1)
    g.add_argument("--min-field", type=float, default=1.0)
    g.add_argument("--min-f1", type=float, default=1.0)
    g.add_argument("--min-key", type=float, default=1.0)
    a = ap.parse_args()
    if a.cmd == "offsets":
        sys.exit(offsets(a.pred, a.clean))
    sys.exit(gates(a.score, a.name, a.min_docs, a.min_field, a.min_f1, a.min_key))


if __name__ == "__main__":
    main()
