# Shell helpers for the cluster kill tests (tests/scripts/cluster_*.sh). Sourced, not run.
#
# Each test: `. tests/lib/cluster.sh; cl_setup NAME`, then cl_corpus, cl_start_* and the
# checks. cl_setup makes a temp dir and a trap that kills every process started through
# cl_start and removes the dir, whatever way the script ends. Every step is bounded.
set -u

CL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LXM="$CL_ROOT/bin/lexmill"
CL_PIDS=()
CL_DIR=""
CL_NAME=""

cl_log() { echo "[$CL_NAME] $*"; }
# The reason is printed after the logs too: tests/run.sh shows the last lines.
cl_fail() { echo "[$CL_NAME] FAIL: $*"; cl_dump_logs; echo "[$CL_NAME] FAIL: $*"; exit 1; }
cl_skip() { echo "[$CL_NAME] SKIP: $*"; exit 77; }

cl_dump_logs() {
  [ -n "$CL_DIR" ] && [ -d "$CL_DIR/logs" ] || return 0
  for f in "$CL_DIR"/logs/*.log; do
    [ -f "$f" ] || continue
    echo "---- tail of $(basename "$f")"
    tail -15 "$f"
  done
}

cl_cleanup() {
  local pid
  for pid in "${CL_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null
  done
  # give them a moment to stop cleanly, then make sure
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    local alive=0
    for pid in "${CL_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive -eq 0 ] && break
    sleep 0.2
  done
  for pid in "${CL_PIDS[@]}"; do
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  [ -n "$CL_DIR" ] && rm -rf "$CL_DIR"
}

# cl_setup NAME: temp dir, cleanup trap, skip unless the commands the tests need exist.
cl_setup() {
  CL_NAME=$1
  # say what this test checks: the script's header comment
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print "  " $0; next } NR > 1 { exit }' "$0"
  [ -x "$LXM" ] || cl_skip "bin/lexmill is not built (run make)"
  local cmd
  for cmd in broker worker collector submit export; do
    if "$LXM" "$cmd" --help 2>&1 | grep -q "not built"; then
      cl_skip "'lexmill $cmd' is not built into this binary yet"
    fi
  done
  command -v python3 >/dev/null || cl_skip "python3 is needed to read the export"
  CL_DIR=$(mktemp -d /tmp/lexmill-cluster.XXXXXX)
  mkdir -p "$CL_DIR/logs" "$CL_DIR/store"
  trap cl_cleanup EXIT
  trap 'exit 130' INT TERM
  # run a private copy: a rebuild of bin/lexmill during the test must not change the
  # program under test halfway (a restarted process must be the same program)
  local try
  for try in 1 2 3 4 5 6 7 8 9 10; do
    cp "$LXM" "$CL_DIR/lexmill" 2>/dev/null && "$CL_DIR/lexmill" --version >/dev/null 2>&1 && break
    sleep 1 # caught it while the linker was writing it
  done
  "$CL_DIR/lexmill" --version >/dev/null 2>&1 || cl_fail "cannot run a copy of bin/lexmill"
  LXM="$CL_DIR/lexmill"
}

# cl_port: a free TCP port on 127.0.0.1 (random high port, checked with ss).
CL_USED_PORTS=" "
cl_port() {
  local p
  for _ in $(seq 1 200); do
    p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    case "$CL_USED_PORTS" in *" $p "*) continue ;; esac
    if ! ss -Htan "( sport = :$p or dport = :$p )" 2>/dev/null | grep -q .; then
      CL_USED_PORTS="$CL_USED_PORTS$p "
      echo "$p"
      return 0
    fi
  done
  cl_fail "no free port found"
}

# cl_ports: sets the five endpoints of one cluster.
cl_ports() {
  P_CLIENTS=$(cl_port); P_WORKERS=$(cl_port); P_RESULTS=$(cl_port)
  P_QUERY=$(cl_port); P_FEED=$(cl_port)
}

# cl_corpus N SEED: writes N documents into $CL_DIR/corpus (the generator when it is
# built, else a shell loop of distinct small report-like texts).
cl_corpus() {
  local n=$1 seed=$2 dir="$CL_DIR/corpus"
  if ! "$LXM" gen --help 2>&1 | grep -q "not built"; then
    "$LXM" gen --n "$n" --seed "$seed" --out "$dir" >"$CL_DIR/logs/gen.log" 2>&1 ||
      cl_fail "lexmill gen failed"
    rm -f "$dir/gold.jsonl" # labels are not documents
  else
    cl_log "lexmill gen not built: writing $n report-like texts with a shell loop"
    local towns=(新桥镇 尼山镇 城关镇 东城街道 西湖街道 青山乡 白云镇 河口镇)
    local i sub
    for ((i = 0; i < n; i++)); do
      sub=$(printf '%s/%04d' "$dir" $((i / 1000)))
      mkdir -p "$sub"
      local t=${towns[$((i % ${#towns[@]}))]}
      printf '%s%d年法治政府建设年度报告\n今年以来，%s坚持依法行政，第%d号文件落实到位。\n一、主要举措和成效\n开展普法宣传%d场次，发放宣传资料%d份，聘请法律顾问%d名。\n二、存在的不足和原因\n法治宣传覆盖面不够广。\n三、下一年度工作安排\n继续推进法治政府建设。\n' \
        "$t" $((2020 + i % 5)) "$t" "$i" $((i % 50 + 1)) $((i * 7 % 900 + 10)) $((i % 3 + 1)) \
        >"$sub/doc$(printf '%05d' "$i").txt"
    done
  fi
  # a few byte-identical copies under another name: the same content from two files
  # must be stored once and reported "already stored" for the second
  mkdir -p "$dir/copies"
  find "$dir" -path "$dir/copies" -prune -o -type f -name '*0.txt' -print | sort | head -20 |
    while read -r f; do cp "$f" "$dir/copies/copy-$(basename "$f")"; done
  CL_CORPUS=$dir
  CL_NDOCS=$(find "$dir" -type f ! -name '.*' | wc -l)
  cl_log "corpus: $CL_NDOCS documents"
}

# cl_expect: what a correct run must report, from `lexmill parse` over the corpus
# (no cluster involved): E_PARSED documents with a record, E_DISTINCT distinct ids,
# E_FAILED documents without one.
cl_expect() {
  local out="$CL_DIR/parse.ndjson"
  find "$CL_CORPUS" -type f ! -name '.*' -print0 | sort -z |
    xargs -0 "$LXM" parse >"$out" 2>"$CL_DIR/logs/parse.log"
  E_PARSED=$(grep -c '^{' "$out")
  E_DISTINCT=$(python3 -c '
import json, sys
ids = set()
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.strip()
    if line.startswith("{"):
        ids.add(json.loads(line)["id"])
print(len(ids))' "$out")
  E_FAILED=$((CL_NDOCS - E_PARSED))
  cl_log "expected from lexmill parse: $E_PARSED parsed ($E_DISTINCT distinct), $E_FAILED not reports"
}

# cl_start NAME CMD...: runs CMD in the background, output to logs/NAME.log.
cl_start() {
  local name=$1; shift
  "$@" >"$CL_DIR/logs/$name.log" 2>&1 &
  local pid=$!
  CL_PIDS+=("$pid")
  eval "PID_$name=$pid"
}

cl_start_broker() {
  cl_start "${1:-broker}" "$LXM" broker --clients "tcp://127.0.0.1:$P_CLIENTS" \
    --workers "tcp://127.0.0.1:$P_WORKERS"
}
cl_start_collector() {
  cl_start "${1:-collector}" "$LXM" collector --store "$CL_DIR/store" \
    --results "tcp://127.0.0.1:$P_RESULTS" --query "tcp://127.0.0.1:$P_QUERY" \
    --feed "tcp://127.0.0.1:$P_FEED"
}
cl_start_worker() {
  cl_start "$1" "$LXM" worker --broker "tcp://127.0.0.1:$P_WORKERS" \
    --collector "tcp://127.0.0.1:$P_RESULTS"
}

# cl_submit NAME [ARGS...]: submits the corpus in the background (bounded by --timeout).
cl_submit() {
  local name=$1; shift
  cl_start "$name" "$LXM" submit --broker "tcp://127.0.0.1:$P_CLIENTS" --progress lines \
    --timeout 120 "$@" "$CL_CORPUS"
}

# cl_wait_pid PID SECONDS: waits for a background process; fails the test on timeout.
# Sets CL_RC to its exit status.
cl_wait_pid() {
  local pid=$1 secs=$2 t=0
  while kill -0 "$pid" 2>/dev/null; do
    sleep 0.2; t=$((t + 1))
    [ $t -ge $((secs * 5)) ] && cl_fail "process $pid still running after ${secs}s"
  done
  wait "$pid"; CL_RC=$?
}

# cl_stored: records in the store now (read with mdb_stat, a reader that does not
# disturb the collector).
cl_stored() {
  local n
  n=$(mdb_stat -s records "$CL_DIR/store" 2>/dev/null | awk '/Entries:/ {print $2}')
  echo "${n:-0}"
}

# cl_wait_stored N SECONDS: waits until the store holds at least N records.
# Polls every 20 ms: a 2,000-document run takes a few tenths of a second.
cl_wait_stored() {
  local want=$1 secs=$2 t=0
  while [ "$(cl_stored)" -lt "$want" ]; do
    sleep 0.02; t=$((t + 1))
    [ $t -ge $((secs * 50)) ] && cl_fail "store did not reach $want records in ${secs}s (has $(cl_stored))"
  done
}

# cl_kill9 NAME: SIGKILL the named process and reap it.
cl_kill9() {
  local pid
  eval "pid=\$PID_$1"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  cl_log "killed -9 $1 (pid $pid) with $(cl_stored) records stored"
}

# cl_check_summary LOG STORED DUP FAILED: the submit summary line says exactly that.
cl_check_summary() {
  local log=$1 s=$2 d=$3 f=$4 line
  line=$(grep -E '^[0-9]+ stored, [0-9]+ already stored, [0-9]+ failed' "$log" | tail -1)
  [ -n "$line" ] || cl_fail "no summary line in $(basename "$log")"
  cl_log "summary: $line"
  local gs gd gf
  gs=$(echo "$line" | awk '{print $1}')
  gd=$(echo "$line" | awk '{print $3}')
  gf=$(echo "$line" | awk '{print $6}')
  [ "$gs" = "$s" ] || cl_fail "summary says $gs stored, expected $s"
  [ "$gd" = "$d" ] || cl_fail "summary says $gd already stored, expected $d"
  [ "$gf" = "$f" ] || cl_fail "summary says $gf failed, expected $f"
}

# cl_check_export: the export has one line per distinct content id, as many as parse
# found distinct documents, every source under the corpus; and mdb_stat reads the env.
cl_check_export() {
  local out="$CL_DIR/export.ndjson"
  timeout 60 "$LXM" export --store "$CL_DIR/store" >"$out" 2>"$CL_DIR/logs/export.log" ||
    cl_fail "lexmill export --store failed"
  local res
  res=$(python3 -c '
import json, sys
lines = ids = bad = 0
seen = set()
for line in open(sys.argv[1], encoding="utf-8"):
    if not line.strip():
        continue
    lines += 1
    r = json.loads(line)
    seen.add(r["id"])
    if not str(r.get("source", "")).startswith(sys.argv[2]):
        bad += 1
print(lines, len(seen), bad)' "$out" "$CL_CORPUS") || cl_fail "export is not valid NDJSON"
  set -- $res
  cl_log "export: $1 lines, $2 distinct ids, $3 with a foreign source (expected $E_DISTINCT)"
  [ "$1" = "$2" ] || cl_fail "export has $1 lines but $2 distinct ids (a record twice)"
  [ "$2" = "$E_DISTINCT" ] || cl_fail "export has $2 distinct ids, expected $E_DISTINCT"
  [ "$3" = 0 ] || cl_fail "$3 records have a source outside the corpus"
  local n
  n=$(mdb_stat -s records "$CL_DIR/store" | awk '/Entries:/ {print $2}')
  mdb_stat -a "$CL_DIR/store" >/dev/null 2>&1 || cl_fail "mdb_stat -a cannot read the store"
  [ "$n" = "$E_DISTINCT" ] || cl_fail "mdb_stat counts $n records, expected $E_DISTINCT"
  cl_log "mdb_stat -a reads the environment: $n records"
}

# cl_check_failures LOG: the files the submit summary lists as failed are exactly the
# files `lexmill parse` gave no record for.
cl_check_failures() {
  local log=$1
  python3 - "$log" "$CL_DIR/parse.ndjson" "$CL_CORPUS" <<'PY' || cl_fail "failed files differ from what lexmill parse refuses"
import json, os, sys
log, parsed, corpus = sys.argv[1:4]
files = set()
for root, dirs, names in os.walk(corpus):
    dirs[:] = [d for d in dirs if not d.startswith(".")]
    for n in names:
        if not n.startswith("."):
            files.add(os.path.join(root, n))
ok = set()
for line in open(parsed, encoding="utf-8"):
    if line.startswith("{"):
        ok.add(json.loads(line)["source"])
want = files - ok
got = set()
for line in open(log, encoding="utf-8", errors="replace"):
    if line.startswith("  ") and ": " in line:
        got.add(line[2:].split(": ", 1)[0])
if got != want:
    print("  failed by submit, parsed fine:", sorted(got - want)[:5])
    print("  refused by parse, not failed by submit:", sorted(want - got)[:5])
    sys.exit(1)
print("[failures] %d failed files, the same as lexmill parse refuses" % len(got))
PY
}

# cl_rate LOG: docs/s from the summary line.
cl_rate() {
  grep -E '^[0-9]+ stored, ' "$1" | tail -1 | sed -E 's/.*\(([0-9.]+) s, ([0-9]+) docs\/s\).*/\2 docs\/s in \1 s/'
}

# cl_expect_rc: the exit status submit must give (1 when some document cannot parse).
cl_expect_rc() {
  if [ "$E_FAILED" -gt 0 ]; then echo 1; else echo 0; fi
}

# cl_kill_mid NAME: waits until ~20% of the distinct documents are stored, SIGKILLs NAME,
# and checks the kill really happened mid-run (some documents not stored yet).
cl_kill_mid() {
  cl_wait_stored $((E_DISTINCT * 2 / 10)) 60
  cl_kill9 "$1"
  local n
  n=$(cl_stored)
  [ "$n" -lt "$E_DISTINCT" ] || cl_fail "the run had finished before the kill ($n stored): nothing was tested"
}

# cl_evidence WHAT PATTERN LOG... : reports how often the logs show the recovery path
# the test is about (informational: a kill can land at a quiet moment).
cl_evidence() {
  local what=$1 pat=$2; shift 2
  local n
  n=$(cat "$@" 2>/dev/null | grep -cE "$pat")
  cl_log "recovery seen in the logs: $n x $what"
  CL_EVIDENCE=$n
}

# cl_stop NAME: SIGTERM the named process and wait for it (so it logs its counters).
cl_stop() {
  local pid
  eval "pid=\$PID_$1"
  kill -TERM "$pid" 2>/dev/null
  cl_wait_pid "$pid" 20
}
