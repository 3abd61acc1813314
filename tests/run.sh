#!/usr/bin/env bash
# Runs every lexmill test and ends with one line "N passed, N failed".
#  - build/tests/test_*: cmocka unit tests; each test case counts (cmocka's own summary,
#    which it prints to stderr, is captured and read).
#  - tests/scripts/*.sh: end-to-end tests driving real bin/lexmill processes; each script
#    is one test: exit 0 passed, 77 skipped (it says why), anything else failed.
# Exit status: 0 when nothing failed. Set LXM_TEST_FILTER=regex to run a subset.
set -u
cd "$(dirname "$0")/.."
passed=0; failed=0; skipped=0
failures=()
filter=${LXM_TEST_FILTER:-.}
log_dir=$(mktemp -d)
trap 'rm -rf "$log_dir"' EXIT

for t in build/tests/test_*; do
  [ -x "$t" ] || continue
  name=$(basename "$t")
  echo "$name" | grep -Eq "$filter" || continue
  echo "== $name"
  out="$log_dir/$name.log"
  timeout 600 "$t" >"$out" 2>&1
  rc=$?
  sed 's/^/   /' "$out" | grep -E 'RUN|OK|FAILED|PASSED|ERROR|error|fail' | grep -v '^   \[ RUN' | head -200
  p=$(grep -Eo '\[  PASSED  \] [0-9]+ test' "$out" | grep -Eo '[0-9]+' | tail -1)
  f=$(grep -Eo '\[  FAILED  \] [0-9]+ test' "$out" | grep -Eo '[0-9]+' | tail -1)
  p=${p:-0}; f=${f:-0}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    # crashed or timed out before cmocka could summarise: count the binary as one failure
    f=1; echo "   $name exited with status $rc"; tail -20 "$out" | sed 's/^/   | /'
  fi
  passed=$((passed + p)); failed=$((failed + f))
  [ "$f" -gt 0 ] && failures+=("$name")
done

for s in tests/scripts/*.sh; do
  [ -f "$s" ] || continue
  name=$(basename "$s" .sh)
  echo "$name" | grep -Eq "$filter" || continue
  echo "== $name"
  start=$(date +%s)
  timeout 900 bash "$s" >"$log_dir/$name.log" 2>&1
  rc=$?
  sed 's/^/   /' "$log_dir/$name.log" | tail -40
  secs=$(( $(date +%s) - start ))
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1)); echo "   PASS $name (${secs}s)"
  elif [ "$rc" -eq 77 ]; then
    skipped=$((skipped + 1)); echo "   SKIP $name"
  else
    failed=$((failed + 1)); failures+=("$name"); echo "   FAIL $name (exit $rc, ${secs}s)"
  fi
done

[ ${#failures[@]} -gt 0 ] && echo "failed: ${failures[*]}"
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
