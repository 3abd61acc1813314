#!/usr/bin/env bash
# Scores `lexmill parse` over tests/corpus/real (hand-labelled reports written in the
# shapes real portals publish: counties, districts, cities, departments, 街道, 乡 and
# 民族乡, metadata tables, HTML and GB18030 pages, full-width digits, bracketed and bold
# headings, signature blocks, attachments) with the shared scorer: every field >= 0.95
# over at least 20 reports, fact F1 >= 0.95, key accuracy >= 0.90, no wrong unit code.
# The labels of kind "nonreport" (a news item, a 政府信息公开 annual report) must be
# refused with a per-document error, not turned into records.
# Skips (77) when ../shared (the scorer) is not beside the repository.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
score="$root/../shared/tools/score.py"
corpus="$root/tests/corpus/real"
if [ ! -f "$score" ]; then
    echo "skipped: $score not found (the shared scorer lives beside the repository)"
    exit 77
fi
bin="$root/bin/lexmill"
[ -x "$bin" ] || { echo "bin/lexmill is not built"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# parse from the corpus' parent, so each source ends with the gold's "real/FILE"
files=$(cd "$corpus/.." && ls real/*.txt real/*.html)
(cd "$corpus/.." && "$bin" parse $files) >"$tmp/pred.ndjson" 2>"$tmp/err"
bad=0
# every report parses; every non-report is refused, by name
for f in $(python3 -c '
import json, sys
for l in open(sys.argv[1], encoding="utf-8"):
    if l.strip():
        g = json.loads(l)
        print(g.get("kind", "report") + ":" + g["file"])' "$corpus/gold.jsonl"); do
    kind=${f%%:*} file=${f#*:}
    if [ "$kind" = report ] && grep -q "^lexmill parse: $file:" "$tmp/err"; then
        echo "FAIL: report refused: $(grep "^lexmill parse: $file:" "$tmp/err")"; bad=1
    fi
    if [ "$kind" != report ]; then
        if grep -q "\"source\":\"$file\"" "$tmp/pred.ndjson"; then
            echo "FAIL: non-report $file got a record"; bad=1
        else
            echo "refused as it should be: $(grep "^lexmill parse: $file:" "$tmp/err")"
        fi
    fi
done

# offsets: every section heading and fact text stands where its record says, in the
# cleaned text `parse --text` prints (HTML and GB18030 pages included)
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
print(f"offsets checked in {len(recs)} records")
sys.exit(bad)
PY

python3 "$score" --gold "$corpus/gold.jsonl" --pred "$tmp/pred.ndjson" --show-misses
python3 "$score" --gold "$corpus/gold.jsonl" --pred "$tmp/pred.ndjson" --json \
    >"$tmp/score.json" || true
python3 - "$tmp/score.json" <<'PY' || bad=1
import json, sys
r = json.load(open(sys.argv[1]))
bad = []
if r["docs"] < 20:
    bad.append(f"only {r['docs']} labelled reports (want >= 20)")
if r["missing_docs"]:
    bad.append(f"documents with no record: {r['missing_docs']}")
for name, ratio in r["fields"].items():
    if ratio is not None and ratio < 0.95:
        bad.append(f"field {name}: {ratio:.3f} < 0.95")
f = r["facts"]
if f["f1"] < 0.95:
    bad.append(f"fact F1 {f['f1']:.3f} < 0.95")
if f["key_accuracy"] < 0.90:
    bad.append(f"key accuracy {f['key_accuracy']:.3f} < 0.90")
if r["wrong_codes"]:
    bad.append(f"{r['wrong_codes']} unit codes given and wrong")
for b in bad:
    print("FAIL:", b)
print(f"real: {r['docs']} reports, worst field {r['worst_field']:.3f}, fact F1 {f['f1']:.3f}, "
      f"key accuracy {f['key_accuracy']:.3f}")
sys.exit(1 if bad else 0)
PY
exit $bad
