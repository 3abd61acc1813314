#!/usr/bin/env bash
# Generates 10,000 labelled documents (lexmill gen, seed 7), parses every file with
# lexmill parse, and scores the records against the generated gold with the shared
# scorer: every field must reach 0.99 and fact F1 0.98. Non-reports are expected to fail
# parsing; the scorer leaves them out by their kind.
set -u
cd "$(dirname "$0")/../.."
SCORE=../shared/tools/score.py
N=${LXM_GEN_N:-10000}
if [ ! -f "$SCORE" ]; then
  echo "skip: $SCORE not found (the shared scorer lives beside the repository)"
  exit 77
fi
if [ ! -x bin/lexmill ]; then
  echo "skip: bin/lexmill is not built"
  exit 77
fi
for c in gen parse; do
  if ! bin/lexmill "$c" --help >/dev/null 2>&1; then
    echo "skip: lexmill $c is not built into this binary"
    exit 77
  fi
done
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

start=$(date +%s.%N)
bin/lexmill gen --n "$N" --seed 7 --out "$TMP/corpus" || { echo "gen failed"; exit 1; }
gen_done=$(date +%s.%N)
# parse prints one NDJSON record per document it could read; failures go to stderr
(cd "$TMP/corpus" && find . -type f ! -name gold.jsonl -print0 | sort -z |
   xargs -0 -n 2000 "$OLDPWD/bin/lexmill" parse) >"$TMP/pred.ndjson" 2>"$TMP/parse.err"
end=$(date +%s.%N)
records=$(wc -l <"$TMP/pred.ndjson")
failures=$(grep -c . "$TMP/parse.err" || true)
echo "gen: $N documents in $(awk "BEGIN{printf \"%.2f\", $gen_done - $start}") s;" \
     "parse: $records records, $failures failures in $(awk "BEGIN{printf \"%.2f\", $end - $gen_done}") s"
grep -o 'reason.*\|: [^:]*$' "$TMP/parse.err" | sort | uniq -c | sort -rn | head -5 | sed 's/^/  parse failure: /'

python3 "$SCORE" --gold "$TMP/corpus/gold.jsonl" --pred "$TMP/pred.ndjson" --json \
  >"$TMP/score.json"
rc=$?
cat "$TMP/score.json"
[ $rc -eq 0 ] || { echo "scorer failed (exit $rc)"; exit 1; }
# the worst categories of misses, with an example each, for whoever fixes the parser
python3 "$SCORE" --gold "$TMP/corpus/gold.jsonl" --pred "$TMP/pred.ndjson" --show-misses |
  python3 -c '
import collections, re, sys
count, example = collections.Counter(), {}
for line in sys.stdin:
    if not line.startswith("   - "):
        continue
    doc, _, what = line[5:].rstrip("\n").partition(": ")
    m = re.match(r"fact key: (.*): want (\S+) got (\S+)$", what)
    if m:
        cat = f"fact key want {m.group(2)} got {m.group(3)}"
        ex = m.group(1)
    else:
        cat = re.sub(r": .*", "", re.sub(r"^fact (missed|extra): .*", r"fact \1", what))
        ex = what
    count[cat] += 1
    example.setdefault(cat, f"{doc}: {ex}")
for cat, n in count.most_common(10):
    print(f"  misses: {n:6d} {cat}  (e.g. {example[cat][:110]})")
'
python3 - "$TMP/score.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
bad = [f"{k} {v:.4f}" for k, v in r["fields"].items() if v is not None and v < 0.99]
f1 = r["facts"]["f1"]
if r["missing_docs"]:
    bad.append(f"{len(r['missing_docs'])} labelled documents got no record")
if f1 < 0.98:
    bad.append(f"fact F1 {f1:.4f}")
print(f"score: worst field {r['worst_field']:.4f}, fact F1 {f1:.4f}, "
      f"key accuracy {r['facts']['key_accuracy']:.4f}, wrong codes {r['wrong_codes']}")
if bad:
    print("below the bar (fields >= 0.99, fact F1 >= 0.98): " + "; ".join(bad))
    sys.exit(1)
PY
