#!/usr/bin/env bash
# The sanitizer and valgrind leg of the test path: bin/lexmill-asan (ASan + UBSan) parses
# real and generated reports and hostile inputs (binary, truncated, huge lines, GBK, HTML
# fragments); the codec unit tests run under valgrind. Any sanitizer report fails the test.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=$(mktemp -d /tmp/lexmill-san.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "sanitizers: FAIL: $*"; exit 1; }

make --no-print-directory asan >"$WORK/build.log" 2>&1 || { tail -20 "$WORK/build.log"; fail "make asan"; }
ASAN="$ROOT/bin/lexmill-asan"
export ASAN_OPTIONS=abort_on_error=0:exitcode=99:detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99

"$ASAN" gen --n 300 --seed 5 --out "$WORK/gen" >/dev/null 2>&1 || fail "gen under ASan"
mkdir -p "$WORK/bad"
: >"$WORK/bad/empty.txt"
head -c 20000 /dev/urandom >"$WORK/bad/random.bin"
printf '\xe6\xb3\x95\xe6' >"$WORK/bad/truncated-utf8.txt"
python3 - "$WORK/bad" <<'PY'
import sys, os
d = sys.argv[1]
open(os.path.join(d, "long-line.txt"), "w").write("新桥镇2024年法治政府建设年度报告\n" + "开展普法宣传10场次，" * 50000)
open(os.path.join(d, "gbk.txt"), "wb").write("瓦房镇2024年法治政府建设工作报告\n发放宣传资料900余份。".encode("gb18030"))
open(os.path.join(d, "html.html"), "w").write("<html><head><title>x</title><script>var a='<p>';</script></head><body><p>&#x4e00;&#99999999;&amp<div>" * 200)
open(os.path.join(d, "digits.txt"), "w").write("9" * 100000 + "次。" + "一" * 5000 + "万亿次")
PY
files=$(find "$WORK/gen" "$WORK/bad" -type f ! -name gold.jsonl | sort)
[ -d ../shared/corpus/seeds ] && files="$files $(ls ../shared/corpus/seeds/*)"
"$ASAN" parse $files >"$WORK/out.ndjson" 2>"$WORK/err.log"
rc=$?
if grep -q "ERROR: AddressSanitizer\|runtime error:\|LeakSanitizer" "$WORK/err.log"; then
  grep -m5 -A10 "ERROR: AddressSanitizer\|runtime error:\|LeakSanitizer" "$WORK/err.log"
  fail "sanitizer report while parsing"
fi
[ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || fail "parse exited with $rc"
echo "sanitizers: $(wc -l <"$WORK/out.ndjson") records, $(grep -c 'lexmill parse:' "$WORK/err.log") per-file errors, no sanitizer report"

if command -v valgrind >/dev/null; then
  for t in build/tests/test_record build/tests/test_msg build/tests/test_bundle; do
    [ -x "$t" ] || continue
    valgrind -q --error-exitcode=1 --leak-check=full --child-silent-after-fork=yes "$t" \
        >"$WORK/vg.log" 2>&1 || { tail -30 "$WORK/vg.log"; fail "valgrind $t"; }
    echo "sanitizers: valgrind clean: $t"
  done
else
  echo "sanitizers: valgrind not installed: that leg skipped"
fi
