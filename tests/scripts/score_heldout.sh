#!/usr/bin/env bash
# Scores `lexmill parse` over tests/corpus/heldout: reports written as a held-out check
# (other provinces, unit kinds and writing habits than tests/corpus/real: a 街道 of a
# county-level city with a BOM and CRLF lines, a 民族乡 in Chinese numerals, a forest
# farm, a development zone, a city department, a party 依法治县办 report, a question-
# answer report, sections out of the usual order, table- and div-laid portal pages, a
# GB18030 file, 百分之… percentages, 同比 changes, 万元 sums, 2024.3.15 and 2024/03/15
# dates). Gates: every field >= MIN_FIELD, fact F1 >= MIN_F1, key accuracy >= MIN_KEY,
# no wrong unit code; every section and fact offset stands in the cleaned text.
# Skips (77) when ../shared (the scorer) is not beside the repository.
set -u
MIN_FIELD=0.95
MIN_F1=0.95
MIN_KEY=0.95
root=$(cd "$(dirname "$0")/../.." && pwd)
score="$root/../shared/tools/score.py"
corpus="$root/tests/corpus/heldout"
if [ ! -f "$score" ]; then
    echo "skipped: $score not found (the shared scorer lives beside the repository)"
    exit 77
fi
bin="$root/bin/lexmill"
[ -x "$bin" ] || { echo "bin/lexmill is not built"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# parse from the corpus' parent, so each source ends with the gold's "heldout/FILE"
files=$(cd "$corpus/.." && ls heldout/*.txt heldout/*.html)
(cd "$corpus/.." && "$bin" parse $files) >"$tmp/pred.ndjson" 2>"$tmp/err"
bad=0
if [ -s "$tmp/err" ]; then
    echo "FAIL: reports refused or warned about on stderr:"; cat "$tmp/err"; bad=1
fi

# offsets: every section heading and fact text stands where its record says
(cd "$corpus/.." && "$bin" parse --text $files) >"$tmp/clean.txt" 2>/dev/null
python3 - "$tmp/pred.ndjson" "$tmp/clean.txt" <<'PY' || bad=1
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
texts = open(sys.argv[2], "rb").read().split(b"\n\f\n")
bad = 0
if len(texts) < len(recs):
    print(f"FAIL: {len(recs)} records but {len(texts)} cleaned texts"); sys.exit(1)
for r, t in zip(recs, texts):
    if r["stats"]["text_bytes"] != len(t):
        print(f"FAIL: {r['source']}: text_bytes {r['stats']['text_bytes']} != {len(t)}"); bad = 1
    for s in r["sections"]:
        if not t[s["start"]:].startswith(s["heading"].encode()) or s["end"] > len(t):
            print(f"FAIL: {r['source']}: section offsets wrong: {s['heading']}"); bad = 1
    for f in r["facts"]:
        if not t[f["start"]:].startswith(f["text"].encode()):
            print(f"FAIL: {r['source']}: fact offset wrong: {f['text']}"); bad = 1
    if r["source"].endswith("gb18030.txt") and r["stats"]["encoding"] != "gb18030":
        print(f"FAIL: {r['source']}: encoding {r['stats']['encoding']}"); bad = 1
print(f"offsets checked in {len(recs)} records")
sys.exit(bad)
PY

python3 "$score" --gold "$corpus/gold.jsonl" --pred "$tmp/pred.ndjson" --show-misses
python3 "$score" --gold "$corpus/gold.jsonl" --pred "$tmp/pred.ndjson" --json \
    >"$tmp/score.json" || true
python3 - "$tmp/score.json" "$MIN_FIELD" "$MIN_F1" "$MIN_KEY" <<'PY' || bad=1
import json, sys
r = json.load(open(sys.argv[1]))
min_field, min_f1, min_key = map(float, sys.argv[2:5])
bad = []
if r["docs"] < 16:
    bad.append(f"only {r['docs']} labelled reports (want >= 16)")
if r["missing_docs"]:
    bad.append(f"documents with no record: {r['missing_docs']}")
for name, ratio in r["fields"].items():
    if ratio is not None and ratio < min_field:
        bad.append(f"field {name}: {ratio:.3f} < {min_field}")
f = r["facts"]
if f["f1"] < min_f1:
    bad.append(f"fact F1 {f['f1']:.3f} < {min_f1}")
if f["key_accuracy"] < min_key:
    bad.append(f"key accuracy {f['key_accuracy']:.3f} < {min_key}")
if r["wrong_codes"]:
    bad.append(f"{r['wrong_codes']} unit codes given and wrong")
for b in bad:
    print("FAIL:", b)
print(f"heldout: {r['docs']} reports, worst field {r['worst_field']:.3f}, fact F1 {f['f1']:.3f}, "
      f"key accuracy {f['key_accuracy']:.3f}")
sys.exit(1 if bad else 0)
PY
exit $bad
