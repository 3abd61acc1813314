#!/usr/bin/env bash
# make bench: every figure of lexmill's benchmarks, ratios measured in the same run.
# Prints a table at the end and writes the same figures to bench/results.json (the last
# run's file is kept as bench/results.prev.json so a change can be compared).
# A benchmark is not a test: nothing here fails on a time.
#   usage: bench/run.sh [--scale N] [--pipeline N] [--quick]
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
LXM="$ROOT/bin/lexmill"
SCALE=200000
PIPE=20000
SHARED="$ROOT/../shared"
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) SCALE=$2; shift 2 ;;
    --pipeline) PIPE=$2; shift 2 ;;
    --quick) SCALE=20000; PIPE=5000; shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "bench: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -x "$LXM" ] || { echo "bench: bin/lexmill not built (run make)" >&2; exit 1; }
WORK=$(mktemp -d /tmp/lexmill-bench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; rm -rf "$WORK"; }
trap cleanup EXIT
FIG="$WORK/figures.jsonl"   # one {"name":..., ...} object per line, merged at the end
note() { echo "bench: $*" >&2; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
peak_rss_kb() { awk '/VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# The peak of a process's private memory (RssAnon: heap, queues), sampled every 0.2 s
# while it lives; VmHWM also counts the LMDB map's file pages, which are page cache.
sample_anon() {
  local pid=$1 out=$2 max=0 v
  echo 0 >"$out"
  while kill -0 "$pid" 2>/dev/null; do
    v=$(awk '/RssAnon/ {print $2}' "/proc/$pid/status" 2>/dev/null)
    if [ -n "$v" ] && [ "$v" -gt "$max" ]; then max=$v; echo "$max" >"$out"; fi
    sleep 0.2
  done
}

# ---- 1. parse: full extraction vs one PCRE2 JIT pass, same bytes, same run ------------------
note "1/6 parse"
if [ -d "$SHARED/corpus/seeds" ]; then
  "$LXM" bench parse --json --seconds 3 "$SHARED"/corpus/seeds/* >"$WORK/parse.json" 2>"$WORK/parse.err"
else
  "$LXM" bench parse --json --seconds 3 >"$WORK/parse.json" 2>"$WORK/parse.err"
fi
python3 - "$WORK/parse.json" >>"$FIG" <<'PY'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception as e:
    d = {"error": f"bench parse gave no JSON: {e}"}
d["name"] = "parse"
print(json.dumps(d))
PY

# ---- corpora ---------------------------------------------------------------------------------
note "generating $SCALE documents (the pipeline uses the first $PIPE)"
t0=$(date +%s.%N)
"$LXM" gen --n "$SCALE" --seed 2026 --out "$WORK/big" >/dev/null 2>"$WORK/gen.err" || { cat "$WORK/gen.err" >&2; exit 1; }
t1=$(date +%s.%N)
echo "{\"name\":\"gen\",\"docs\":$SCALE,\"seconds\":$(python3 -c "print(round($t1-$t0,2))")}" >>"$FIG"
mkdir -p "$WORK/pipe"
# the first PIPE documents, folder by folder (the generator writes <= 1,000 per folder)
n=0
for d in $(ls "$WORK/big" | grep -E '^[0-9]+$' | sort); do
  [ "$n" -ge "$PIPE" ] && break
  ln -s "$WORK/big/$d" "$WORK/pipe/$d"; n=$((n + $(ls "$WORK/big/$d" | wc -l)))
done
PIPE_DOCS=$(find -L "$WORK/pipe" -type f | wc -l)

# start_cluster DIR W: collector, broker and W workers as separate processes on loopback
start_cluster() {
  local dir=$1 w=$2
  # the previous step's files (a corpus of 1.4 GB, a store) are still being written back
  # to disk; flushed now, their writeback does not land on this run's durable commits
  sync
  mkdir -p "$dir"
  CP=$(free_port); WP=$(free_port); RP=$(free_port); QP=$(free_port); FP=$(free_port)
  "$LXM" collector --store "$dir/store" --results "tcp://127.0.0.1:$RP" --query "tcp://127.0.0.1:$QP" \
      --feed "tcp://127.0.0.1:$FP" >"$dir/collector.log" 2>&1 &
  COLLECTOR=$!; pids+=($!)
  "$LXM" broker --clients "tcp://127.0.0.1:$CP" --workers "tcp://127.0.0.1:$WP" >"$dir/broker.log" 2>&1 &
  BROKER=$!; pids+=($!)
  WORKERS=()
  for i in $(seq 1 "$w"); do
    "$LXM" worker --broker "tcp://127.0.0.1:$WP" --collector "tcp://127.0.0.1:$RP" >"$dir/worker$i.log" 2>&1 &
    WORKERS+=($!); pids+=($!)
  done
  sample_anon "$COLLECTOR" "$dir/anon.collector" & pids+=($!)
  sample_anon "$BROKER" "$dir/anon.broker" & pids+=($!)
  sample_anon "${WORKERS[0]}" "$dir/anon.worker" & pids+=($!)
  sleep 0.5
}
stop_cluster() {
  for p in "$COLLECTOR" "$BROKER" "${WORKERS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  sleep 0.3
  for p in "$COLLECTOR" "$BROKER" "${WORKERS[@]}"; do kill -9 "$p" 2>/dev/null; done
  wait 2>/dev/null
}
# submit_timed DIR CORPUS: prints seconds
submit_timed() {
  local t0 t1
  t0=$(date +%s.%N)
  "$LXM" submit --quiet --broker "tcp://127.0.0.1:$CP" "$2"/[0-9]* >"$1/submit.log" 2>&1
  t1=$(date +%s.%N)
  python3 -c "print(round($t1-$t0,3))"
}

# ---- 2. pipeline: W = 1 and 2 against parse-only on the same documents -----------------------
note "2/6 pipeline ($PIPE_DOCS documents)"
"$LXM" bench parse --json --seconds 3 $(find -L "$WORK/pipe" -type f | head -3000) \
    >"$WORK/parse-pipe.json" 2>/dev/null
# CPU seconds a process has used so far (all its threads), from /proc/PID/stat
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.3f", ($14 + $15) / hz}' "/proc/$1/stat" 2>/dev/null || echo 0; }
for w in 1 2; do
  start_cluster "$WORK/p$w" "$w"
  c0=$(cpu_s "$COLLECTOR"); b0=$(cpu_s "$BROKER"); w0=0
  for p in "${WORKERS[@]}"; do w0=$(python3 -c "print($w0 + $(cpu_s "$p"))"); done
  # the client's CPU comes from its rusage, the others' from /proc before and after
  read -r secs submit_cpu < <(python3 - "$LXM" "$CP" "$WORK/p$w/submit.log" "$WORK"/pipe/[0-9]* <<'PY'
import os, subprocess, sys, time
lxm, port, log, paths = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
t = time.time()
with open(log, "w") as out:
    p = subprocess.Popen([lxm, "submit", "--quiet", "--broker", f"tcp://127.0.0.1:{port}", *paths],
                         stdout=out, stderr=subprocess.STDOUT)
    _, _, ru = os.wait4(p.pid, 0)
print(round(time.time() - t, 3), round(ru.ru_utime + ru.ru_stime, 3))
PY
)
  c1=$(cpu_s "$COLLECTOR"); b1=$(cpu_s "$BROKER"); w1=0
  for p in "${WORKERS[@]}"; do w1=$(python3 -c "print($w1 + $(cpu_s "$p"))"); done
  stored=$("$LXM" export --store "$WORK/p$w/store" 2>/dev/null | wc -l)
  stop_cluster
  echo "{\"name\":\"pipeline\",\"workers\":$w,\"docs\":$PIPE_DOCS,\"stored\":$stored,\"seconds\":$secs,\"cpu_s\":{\"workers\":$(python3 -c "print(round($w1 - $w0, 3))"),\"collector\":$(python3 -c "print(round($c1 - $c0, 3))"),\"broker\":$(python3 -c "print(round($b1 - $b0, 3))"),\"submit\":$submit_cpu}}" >>"$FIG"
done

# ---- 3. store: durable group-commit rate vs a plain LMDB loop, same run -----------------------
note "3/6 store"
"$LXM" bench store --json >"$WORK/store.json" 2>"$WORK/store.err"
python3 - "$WORK/store.json" >>"$FIG" <<'PY'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception as e:
    d = {"error": f"bench store gave no JSON: {e}"}
d["name"] = "store"
print(json.dumps(d))
PY

# ---- 5. scale: 20,000 and SCALE documents end to end, peak RSS side by side --------------------
note "5/6 scale"
for n in "$PIPE" "$SCALE"; do
  corpus="$WORK/pipe"; [ "$n" = "$SCALE" ] && corpus="$WORK/big"
  docs=$(find -L "$corpus" -type f -not -name gold.jsonl | wc -l)
  start_cluster "$WORK/s$n" 2
  secs=$(submit_timed "$WORK/s$n" "$corpus")
  rss_c=$(peak_rss_kb "$COLLECTOR"); rss_b=$(peak_rss_kb "$BROKER")
  rss_w=0; for p in "${WORKERS[@]}"; do r=$(peak_rss_kb "$p"); [ "$r" -gt "$rss_w" ] && rss_w=$r; done
  if [ "$n" = "$SCALE" ]; then
    # ---- 4. lookup on the big store, in-process and through the collector's query socket
    note "4/6 lookup"
    "$LXM" bench lookup --json --store "$WORK/s$n/store" --query "tcp://127.0.0.1:$QP" \
        >"$WORK/lookup.json" 2>"$WORK/lookup.err"
  fi
  stop_cluster
  "$LXM" export --store "$WORK/s$n/store" >"$WORK/s$n/export.ndjson" 2>/dev/null
  stored=$(wc -l <"$WORK/s$n/export.ndjson")
  size=$(du -sk "$WORK/s$n/store" | cut -f1)
  anon_c=$(cat "$WORK/s$n/anon.collector"); anon_b=$(cat "$WORK/s$n/anon.broker"); anon_w=$(cat "$WORK/s$n/anon.worker")
  echo "{\"name\":\"scale\",\"docs\":$docs,\"stored\":$stored,\"seconds\":$secs,\"rss_kb\":{\"collector\":$rss_c,\"broker\":$rss_b,\"worker_max\":$rss_w},\"anon_kb\":{\"collector\":$anon_c,\"broker\":$anon_b,\"worker\":$anon_w},\"store_kb\":$size}" >>"$FIG"
done
python3 - "$WORK/lookup.json" >>"$FIG" <<'PY'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception as e:
    d = {"error": f"bench lookup gave no JSON: {e}"}
d["name"] = "lookup"
print(json.dumps(d))
PY

# ---- 6. accuracy at scale: the scorer on the big export against the generator's gold ----------
note "6/6 accuracy"
SCORER="$SHARED/tools/score.py"
if [ -f "$SCORER" ]; then
  python3 "$SCORER" --gold "$WORK/big/gold.jsonl" --pred "$WORK/s$SCALE/export.ndjson" --json \
      >"$WORK/acc.json" 2>"$WORK/acc.err"
  tail -1 "$WORK/acc.err" >&2
else
  echo '{"error":"../shared/tools/score.py not found"}' >"$WORK/acc.json"
fi
python3 - "$WORK/acc.json" >>"$FIG" <<'PY'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
    d = {"worst_field": d.get("worst_field"), "fields": d.get("fields"),
         "facts": d.get("facts"), "wrong_codes": d.get("wrong_codes"),
         "missing_docs": len(d.get("missing_docs") or [])}
except Exception as e:
    d = {"error": f"scorer gave no JSON: {e}"}
d["name"] = "accuracy"
print(json.dumps(d))
PY

[ -f bench/results.json ] && cp bench/results.json bench/results.prev.json
python3 bench/report.py "$FIG" "$WORK/parse-pipe.json" bench/results.json
