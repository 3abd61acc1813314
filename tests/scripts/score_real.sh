#!/usr/bin/env bash
# Scores `lexmill parse` over tests/corpus/real (hand-labelled reports written in the
# shapes real portals publish: counties, districts, cities, departments, 街道, 乡 and
# 民族乡, metadata tables, HTML and GB18030 pages, full-width digits, bracketed and bold
# headings, signature blocks, attachments) with the shared scorer: every field >= 0.95
# over at least 20 reports, fact F1 >= 0.95, key accuracy >= 0.90, no wrong unit code.
# The labels of kind "nonreport" (a news item, a 政府信息公开 annual report) must be
# refused with a per-document error, not turned into records. Every section and fact
# offset is checked against the cleaned text. Last, the five real seeds of ../shared are
# laid out as PDF text (wrapped at the page width, page numbers) and stored as one line
# (as some crawlers do) and must still score every field right.
# Skips (77) when ../shared (the scorer) is not beside the repository.
set -u
. "$(dirname "$0")/../lib/scorecorpus.sh" real

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
python3 "$root/tests/lib/scorecheck.py" offsets "$tmp/pred.ndjson" "$tmp/clean.txt" || bad=1

python3 "$score" --gold "$corpus/gold.jsonl" --pred "$tmp/pred.ndjson" --show-misses
python3 "$score" --gold "$corpus/gold.jsonl" --pred "$tmp/pred.ndjson" --json \
    >"$tmp/score.json" || true
python3 "$root/tests/lib/scorecheck.py" gates "$tmp/score.json" --name real \
    --min-docs 20 --min-field 0.95 --min-f1 0.95 --min-key 0.90 || bad=1

# the five real seeds of ../shared laid out as pdftotext gives a PDF (lines broken at a
# 30-character page width, a page number every 18 lines): every field must still be right
seeds="$root/../shared/corpus/seeds"
if [ -d "$seeds" ]; then
    mkdir -p "$tmp/wrapped/seeds"
    python3 - "$seeds" "$tmp/wrapped/seeds" <<'PY'
import os, sys
src, dst = sys.argv[1], sys.argv[2]
def cols(ch):
    return 1 if ord(ch) < 128 else 2
for name in sorted(os.listdir(src)):
    out, n, page = [], 0, 1
    for para in open(os.path.join(src, name), encoding="utf-8").read().split("\n"):
        line, c = "", 0
        for ch in para.strip():
            if c + cols(ch) > 60:
                out.append(line); n += 1; line, c = "", 0
                if n % 18 == 0:
                    out += ["", f"— {page} —", ""]; page += 1
            line += ch; c += cols(ch)
        out.append(line); n += 1
    out += ["", f"— {page} —"]
    open(os.path.join(dst, name), "w", encoding="utf-8").write("\n".join(out) + "\n")
    # and as some crawlers store a page: one line, its lines joined by single spaces
    flat = " ".join(l.strip() for l in open(os.path.join(src, name), encoding="utf-8")
                    if l.strip())
    os.makedirs(dst + "/../../flat/seeds", exist_ok=True)
    open(os.path.join(dst, "../../flat/seeds", name), "w", encoding="utf-8").write(flat + "\n")
PY
    for shape in wrapped flat; do
        (cd "$tmp/$shape" && "$bin" parse seeds/*) >"$tmp/$shape.ndjson" 2>/dev/null
        python3 "$score" --gold "$seeds/../gold.jsonl" --pred "$tmp/$shape.ndjson" --json \
            >"$tmp/$shape.json" || true
        python3 - "$tmp/$shape.json" "$shape" <<'PY' || bad=1
import json, sys
r = json.load(open(sys.argv[1]))
what = {"wrapped": "seeds as PDF text", "flat": "seeds as one line"}[sys.argv[2]]
low = [f"{k} {v:.3f}" for k, v in r["fields"].items() if v is not None and v < 1.0]
f = r["facts"]
print(f"{what}: worst field {r['worst_field']:.3f}, fact F1 {f['f1']:.3f}, "
      f"key accuracy {f['key_accuracy']:.3f}")
if low or r["missing_docs"] or f["f1"] < 0.95 or f["key_accuracy"] < 0.90:
    print(f"FAIL: {what}:", "; ".join(low) or "facts below the bar")
    sys.exit(1)
PY
    done
fi
exit $bad
