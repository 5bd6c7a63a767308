#!/usr/bin/env bash
# A fit on a loaded machine: beside BUSY busy loops and one disk writer (dd with fsync, 200 MB at a time),
# with a knowledge base of its own,
# `mlforge fit` titanic with its model card, RUNS times; prints each run's wall time (GNU time), the
# slowdown the run measured and what it kept after its search, and the test AUC.
#   bash Benchmarks/scripts/under_load.sh [T (4)] [RUNS (4)] [BUSY (6)]
set -euo pipefail
cd "$(dirname "$0")/../.."
T=${1:-4}; RUNS=${2:-4}; BUSY=${3:-6}
BIN=.build/release/mlforge
OUT=$(mktemp -d)
swift build -c release --product mlforge >/dev/null
printf '# Titanic\nFor teaching.\n' > "$OUT/notes.md"
pids=()
for _ in $(seq "$BUSY"); do (while :; do :; done) & pids+=($!); done
(while :; do dd if=/dev/zero of="$OUT/load" bs=1M count=200 conv=fsync 2>/dev/null; done) & pids+=($!)
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$OUT"' EXIT
sleep 1
printf "| run | wall s | in-process s | slowdown read | kept after the search | test roc_auc |\n|---:|---:|---:|---:|---|---:|\n"
for r in $(seq "$RUNS"); do
  rm -rf "$OUT/model"
  MLFORGE_KNOWLEDGE="$OUT/knowledge.sqlite" /usr/bin/time -f "%e" -o "$OUT/wall" $BIN fit examples/titanic/train.csv --target survived --time "$T" --out "$OUT/model" \
    --sensitive sex --notes "$OUT/notes.md" > "$OUT/log" 2>&1 || true
  inproc=$(grep -o 'model saved to .* (\([0-9.]*\) s of' "$OUT/log" | grep -o '([0-9.]*' | tr -d '(' || echo "-")
  busy=$(grep -o 'work runs [0-9.]*×' "$OUT/log" | grep -o '[0-9.]*' || echo "below 1.5")
  kept=$(grep -o '[0-9.]* s kept after the search instead of [0-9.]* s' "$OUT/log" || echo "as idle")
  auc=$($BIN evaluate "$OUT/model" examples/titanic/test.csv --json 2>/dev/null | python3 -c "import json,sys;print('%.4f' % json.load(sys.stdin)['roc_auc'])" || echo "no model")
  echo "| $r | $(cat "$OUT/wall") | $inproc | $busy | $kept | $auc |"
done
