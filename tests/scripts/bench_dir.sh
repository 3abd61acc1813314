#!/usr/bin/env bash
# bench_dir: `lexmill bench parse DIR` reads the files of DIR and of its sub-directories
# (the layout `lexmill gen` writes: DIR/0000/..., DIR/gold.jsonl) and skips gold.jsonl.
set -u
here="$(cd "$(dirname "$0")/../.." && pwd)"
bin="$here/bin/lexmill"
seeds="$here/../shared/corpus/seeds"
[ -x "$bin" ] || { echo "bench_dir: $bin not built"; exit 77; }
[ -d "$seeds" ] || { echo "bench_dir: no seed corpus at $seeds"; exit 77; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/c/0000" "$tmp/c/0001/deeper"
files=("$seeds"/*.txt)
[ "${#files[@]}" -ge 3 ] || { echo "bench_dir: fewer than 3 seeds"; exit 77; }
cp "${files[0]}" "$tmp/c/0000/a.txt"
cp "${files[1]}" "$tmp/c/0001/b.txt"
cp "${files[2]}" "$tmp/c/0001/deeper/c.txt"
echo '{"source":"0000/a.txt"}' > "$tmp/c/gold.jsonl"
echo '{"source":"0001/b.txt"}' > "$tmp/c/0001/gold.jsonl"
bytes=$(cat "$tmp/c/0000/a.txt" "$tmp/c/0001/b.txt" "$tmp/c/0001/deeper/c.txt" | wc -c)
out="$(timeout 60 "$bin" bench parse --seconds 0.2 "$tmp/c" 2>&1)" || {
    echo "bench_dir: bench parse failed: $out"
    exit 1
}
want="bench parse: 3 documents, $bytes bytes"
case "$out" in
*"$want"*) echo "bench_dir: PASS ($want)" ;;
*) echo "bench_dir: FAIL: expected '$want' in:"; echo "$out"; exit 1 ;;
esac
exit 0
