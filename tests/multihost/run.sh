#!/usr/bin/env bash
# Across machines, on one machine: three network namespaces joined by veth pairs stand in
# for three hosts. The hub runs the broker and the collector; each of the two worker hosts
# runs workers that reach the hub over TCP at its veth address. It processes the same
# generated corpus with one worker host, then with two, and once more with one worker
# host's link taken down mid-run: every document must still be stored exactly once.
#
# Needs root and iproute2 (ip netns). Where namespaces cannot be created it says so and
# exits 77 (skipped), never a silent pass. Traffic stays inside the namespaces it creates.
#   usage: tests/multihost/run.sh [--docs N] [--workers-per-host K]
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
LXM="$ROOT/bin/lexmill"
DOCS=20000
PER_HOST=1
while [ $# -gt 0 ]; do
  case "$1" in
    --docs) DOCS=$2; shift 2 ;;
    --workers-per-host) PER_HOST=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "multihost: unknown option $1" >&2; exit 2 ;;
  esac
done

tag="lx$$"
HUB="${tag}hub"; W1="${tag}w1"; W2="${tag}w2"
NET1=10.231.1; NET2=10.231.2
WORK=$(mktemp -d /tmp/lexmill-multihost.XXXXXX)
pids=()

cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
  for ns in "$HUB" "$W1" "$W2"; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
    ip netns del "$ns" 2>/dev/null
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

skip() { echo "multihost: skipped: $*"; exit 77; }
fail() { echo "multihost: FAIL: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || skip "needs root to create network namespaces"
command -v ip >/dev/null || skip "iproute2 (ip) not installed"
[ -x "$LXM" ] || fail "bin/lexmill not built"
ip netns add "$HUB" 2>/dev/null || skip "cannot create network namespaces here (ip netns add failed)"
ip netns add "$W1" && ip netns add "$W2" || fail "ip netns add"

# hub <-> w1 and hub <-> w2, each a /24 of its own
ip link add "${tag}h1" type veth peer name "${tag}x1" || skip "cannot create veth pairs here"
ip link add "${tag}h2" type veth peer name "${tag}x2" || fail "veth"
ip link set "${tag}h1" netns "$HUB"; ip link set "${tag}x1" netns "$W1"
ip link set "${tag}h2" netns "$HUB"; ip link set "${tag}x2" netns "$W2"
ip -n "$HUB" addr add $NET1.1/24 dev "${tag}h1"; ip -n "$W1" addr add $NET1.2/24 dev "${tag}x1"
ip -n "$HUB" addr add $NET2.1/24 dev "${tag}h2"; ip -n "$W2" addr add $NET2.2/24 dev "${tag}x2"
for ns in "$HUB" "$W1" "$W2"; do ip -n "$ns" link set lo up; done
ip -n "$HUB" link set "${tag}h1" up; ip -n "$W1" link set "${tag}x1" up
ip -n "$HUB" link set "${tag}h2" up; ip -n "$W2" link set "${tag}x2" up
# links take a moment to come up: wait for each worker host to reach the hub
reach() {
  local i
  for i in $(seq 1 20); do
    ip netns exec "$1" ping -c1 -W1 "$2" >/dev/null 2>&1 && return 0
    sleep 0.25
  done
  return 1
}
reach "$W1" $NET1.1 || fail "w1 cannot reach the hub"
reach "$W2" $NET2.1 || fail "w2 cannot reach the hub"

echo "multihost: generating $DOCS documents"
"$LXM" gen --n "$DOCS" --seed 11 --out "$WORK/corpus" >/dev/null 2>"$WORK/gen.log" || fail "gen: $(tail -2 "$WORK/gen.log")"

# run_case NAME HOSTS FAULT: fresh broker+collector on the hub, workers on HOSTS (1 or 2),
# FAULT=linkdown takes w1's link down once a third of the corpus is stored.
run_case() {
  local name=$1 hosts=$2 fault=$3
  local dir="$WORK/$name"; mkdir -p "$dir"
  local cp=()
  ip netns exec "$HUB" "$LXM" collector --store "$dir/store" --results "tcp://*:5557" \
      --query "tcp://127.0.0.1:5558" --feed "tcp://127.0.0.1:5559" >"$dir/collector.log" 2>&1 &
  pids+=($!); cp+=($!)
  ip netns exec "$HUB" "$LXM" broker --clients "tcp://127.0.0.1:5555" --workers "tcp://*:5556" \
      >"$dir/broker.log" 2>&1 &
  pids+=($!); cp+=($!)
  sleep 0.5
  local h net ns
  for h in $(seq 1 "$hosts"); do
    if [ "$h" = 1 ]; then ns=$W1; net=$NET1; else ns=$W2; net=$NET2; fi
    for k in $(seq 1 "$PER_HOST"); do
      ip netns exec "$ns" "$LXM" worker --broker "tcp://$net.1:5556" --collector "tcp://$net.1:5557" \
          >"$dir/worker-$h-$k.log" 2>&1 &
      pids+=($!); cp+=($!)
    done
  done
  local t0=$(date +%s.%N)
  ip netns exec "$HUB" "$LXM" submit --quiet --broker "tcp://127.0.0.1:5555" --timeout 600 \
      "$WORK"/corpus/[0-9]* >"$dir/submit.log" 2>&1 &
  local sp=$!; pids+=($sp)
  if [ "$fault" = linkdown ]; then
    # wait until about a third is stored, then cut w1 off the network
    local n=0 i
    for i in $(seq 1 600); do
      n=$(ip netns exec "$HUB" "$LXM" export --store "$dir/store" 2>/dev/null | wc -l)
      [ "$n" -ge $((DOCS / 3)) ] && break
      kill -0 "$sp" 2>/dev/null || break
      sleep 0.2
    done
    echo "multihost: $name: taking w1's link down with $n stored"
    ip -n "$HUB" link set "${tag}h1" down
  fi
  wait "$sp"; local rc=$?
  local t1=$(date +%s.%N)
  for p in "${cp[@]}"; do kill -TERM "$p" 2>/dev/null; done
  sleep 0.5
  for p in "${cp[@]}"; do kill -9 "$p" 2>/dev/null; done
  [ "$fault" = linkdown ] && ip -n "$HUB" link set "${tag}h1" up
  "$LXM" export --store "$dir/store" >"$dir/export.ndjson" 2>"$dir/export.err" || fail "$name: export failed"
  local lines ids
  lines=$(wc -l <"$dir/export.ndjson")
  ids=$(python3 -c 'import json,sys; print(len({json.loads(l)["id"] for l in open(sys.argv[1])}))' "$dir/export.ndjson")
  local secs rate
  secs=$(python3 -c "print(f'{$t1-$t0:.2f}')")
  rate=$(python3 -c "print(f'{$lines/($t1-$t0):.0f}')")
  echo "multihost: $name: $hosts worker host(s) x $PER_HOST: $lines stored in ${secs}s = $rate docs/s (submit exit $rc)"
  tail -3 "$dir/submit.log" | sed 's/^/    /'
  [ "$lines" -eq "$ids" ] || fail "$name: $lines export lines but $ids distinct ids (a document stored twice)"
  python3 -c 'import json,sys; print("\n".join(sorted(json.loads(l)["id"] for l in open(sys.argv[1]))))' \
      "$dir/export.ndjson" >"$dir/ids"
  eval "RATE_$name=$rate"
}

run_case one 1 none
run_case two 2 none
run_case linkdown 2 linkdown

[ -s "$WORK/one/ids" ] || fail "nothing stored"
cmp -s "$WORK/one/ids" "$WORK/two/ids" || fail "two hosts stored a different set of documents than one host"
cmp -s "$WORK/one/ids" "$WORK/linkdown/ids" || \
  fail "with w1's link down: $(comm -23 "$WORK/one/ids" "$WORK/linkdown/ids" | wc -l) documents missing"
echo "multihost: docs/s with one worker host: $RATE_one, with two: $RATE_two, two with a link cut: $RATE_linkdown"
echo "multihost: every document stored exactly once in all three runs"
