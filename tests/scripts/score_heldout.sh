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
. "$(dirname "$0")/../lib/scorecorpus.sh" heldout

# parse from the corpus' parent, so each source ends with the gold's "heldout/FILE"
files=$(cd "$corpus/.." && ls heldout/*.txt heldout/*.html)
(cd "$corpus/.." && "$bin" parse $files) >"$tmp/pred.ndjson" 2>"$tmp/err"
bad=0
if [ -s "$tmp/err" ]; then
    echo "FAIL: reports refused or warned about on stderr:"; cat "$tmp/err"; bad=1
fi

# offsets: every section heading and fact text stands where its record says
(cd "$corpus/.." && "$bin" parse --text $files) >"$tmp/clean.txt" 2>/dev/null
python3 "$root/tests/lib/scorecheck.py" offsets "$tmp/pred.ndjson" "$tmp/clean.txt" || bad=1

python3 "$score" --gold "$corpus/gold.jsonl" --pred "$tmp/pred.ndjson" --show-misses
python3 "$score" --gold "$corpus/gold.jsonl" --pred "$tmp/pred.ndjson" --json \
    >"$tmp/score.json" || true
python3 "$root/tests/lib/scorecheck.py" gates "$tmp/score.json" --name heldout \
    --min-docs 16 --min-field "$MIN_FIELD" --min-f1 "$MIN_F1" --min-key "$MIN_KEY" || bad=1
exit $bad
