#!/usr/bin/env bash
# Scores `lexmill parse` over the five labelled seed reports of ../shared against their
# gold labels: every field must be right on every seed, fact F1 >= 0.95, key accuracy
# >= 0.90. Skips (77) when the shared corpus is not beside the repository.
set -u
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel 2>/dev/null || (cd "$(dirname "$0")/../.." && pwd))
shared="$root/../shared"
if [ ! -d "$shared/corpus/seeds" ] || [ ! -f "$shared/tools/score.py" ]; then
    echo "skipped: ../shared not found"
    exit 77
fi
bin="$root/bin/lexmill"
[ -x "$bin" ] || { echo "bin/lexmill is not built"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! "$bin" parse "$shared"/corpus/seeds/* >"$tmp/pred.ndjson" 2>"$tmp/err"; then
    echo "lexmill parse failed on a seed:"; cat "$tmp/err"; exit 1
fi
for f in "$shared"/corpus/seeds/*; do
    "$bin" parse --text "$f" >"$tmp/$(basename "$f").clean" || exit 1
done
python3 "$shared/tools/score.py" --gold "$shared/corpus/gold.jsonl" --pred "$tmp/pred.ndjson" \
    --show-misses
python3 "$shared/tools/score.py" --gold "$shared/corpus/gold.jsonl" --pred "$tmp/pred.ndjson" \
    --json >"$tmp/score.json" || true
python3 - "$tmp/score.json" "$tmp" "$shared/corpus/gold.jsonl" <<'PY'
import json, os, sys
r = json.load(open(sys.argv[1]))
tmp, gold = sys.argv[2], sys.argv[3]
bad = []
# the cleaned text: page chrome gone, every offset pointing at what the record says
golds = {os.path.basename(g["file"]): g for g in (json.loads(l) for l in open(gold) if l.strip())}
for line in open(os.path.join(tmp, "pred.ndjson")):
    rec = json.loads(line)
    name = os.path.basename(rec["source"])
    clean = open(os.path.join(tmp, name + ".clean"), encoding="utf-8").read()
    clean = clean[: -len("\n\f\n")].encode()
    for b in golds.get(name, {}).get("boilerplate", []):
        if b.encode() in clean:
            bad.append(f"{name}: page chrome left in the text: {b}")
    if rec["stats"]["text_bytes"] != len(clean):
        bad.append(f"{name}: text_bytes {rec['stats']['text_bytes']} != {len(clean)}")
    for s in rec["sections"]:
        if not clean[s["start"]:].startswith(s["heading"].encode()) or s["end"] > len(clean):
            bad.append(f"{name}: section offsets wrong: {s['heading']}")
    for f in rec["facts"]:
        if not clean[f["start"]:].startswith(f["text"].encode()):
            bad.append(f"{name}: fact offset wrong: {f['text']}")
if r["missing_docs"]:
    bad.append(f"documents with no record: {r['missing_docs']}")
for name, ratio in r["fields"].items():
    if ratio is not None and ratio < 1.0:
        bad.append(f"field {name}: {ratio:.3f} < 1.0")
f = r["facts"]
if f["f1"] < 0.95:
    bad.append(f"fact F1 {f['f1']:.3f} < 0.95")
if f["key_accuracy"] < 0.90:
    bad.append(f"key accuracy {f['key_accuracy']:.3f} < 0.90")
if r["wrong_codes"]:
    bad.append(f"{r['wrong_codes']} unit codes given and wrong")
for b in bad:
    print("FAIL:", b)
print(f"fields all 5/5: {not any(b.startswith('field') for b in bad)}, "
      f"fact F1 {f['f1']:.3f}, key accuracy {f['key_accuracy']:.3f}")
sys.exit(1 if bad else 0)
PY
