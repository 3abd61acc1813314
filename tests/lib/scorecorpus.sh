# scorecorpus.sh: sourced by the scripts that score a labelled corpus of tests/corpus
# (real, heldout). Sets ROOT, SCORE (the shared scorer), CORPUS, BIN and TMP (removed at
# exit); skips (77) when ../shared is not beside the repository, fails when bin/lexmill
# is not built.
#   usage: . tests/lib/scorecorpus.sh NAME      (NAME: the folder under tests/corpus)
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
score="$root/../shared/tools/score.py"
corpus="$root/tests/corpus/$1"
if [ ! -f "$score" ]; then
    echo "skipped: $score not found (the shared scorer lives beside the repository)"
    exit 77
fi
bin="$root/bin/lexmill"
[ -x "$bin" ] || { echo "bin/lexmill is not built"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
