#!/usr/bin/env bash
# Self-training on a loaded machine, as the CLI test runs it: titanic's first 150 training rows labelled,
# the other 831 unlabeled, `mlforge fit --unlabeled --time 6 --no-learn`, started beside FITS other
# `mlforge fit` runs of titanic at 12 s sharing a knowledge base (real fits, their threads on the same cores, as the test suite's
# parallel phase has them), RUNS times; prints each run's wall time (GNU time), the time the run says it
# took, whether any of its fits traded its folds for a hold-out, its rounds, and the test AUC.
#   [MLFORGE_BIN=BIN] bash Benchmarks/scripts/selftrain_under_load.sh [RUNS (4)] [FITS (8)]
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-4}; FITS=${2:-8}
BIN=${MLFORGE_BIN:-.build/release/mlforge}
OUT=$(mktemp -d)
trap 'pkill -f "$OUT/load" 2>/dev/null; rm -rf "$OUT"' EXIT
[ -n "${MLFORGE_BIN:-}" ] || swift build -c release --product mlforge >/dev/null
TRAIN=examples/titanic/train.csv
head -n 151 "$TRAIN" > "$OUT/labelled.csv"
(head -n 1 "$TRAIN" | sed 's/,[^,]*$//'; tail -n +152 "$TRAIN" | sed 's/,[^,]*$//') > "$OUT/unlabeled.csv"
printf "| run | wall s | in-process s | fell back to a hold-out | rounds (pseudo-labelled rows, kept) | test roc_auc |\n|---:|---:|---:|---|---|---:|\n"
for r in $(seq "$RUNS"); do
  for i in $(seq "$FITS"); do MLFORGE_KNOWLEDGE="$OUT/knowledge.sqlite" $BIN fit "$TRAIN" --target survived --time 12 --out "$OUT/load$i" >/dev/null 2>&1 & done
  sleep 1
  rm -rf "$OUT/model"
  /usr/bin/time -f "%e" -o "$OUT/wall" $BIN fit "$OUT/labelled.csv" --target survived --unlabeled "$OUT/unlabeled.csv" --time 6 \
    --no-learn --out "$OUT/model" > "$OUT/log" 2>&1 || true
  inproc=$(grep -o 'model saved to .* (\([0-9.]*\) s of' "$OUT/log" | grep -o '([0-9.]*' | tr -d '(' || echo "-")
  fell=$(grep -c 'does not fit the budget' "$OUT/log" || true)
  rounds=$(python3 -c "import json;r=json.load(open('$OUT/model/manifest.json'))['selfTraining']['rounds'];print(', '.join('%d%s' % (x['pseudoLabelledRows'], ' kept' if x['kept'] else '') for x in r))" 2>/dev/null || echo "-")
  auc=$($BIN evaluate "$OUT/model" examples/titanic/test.csv --json 2>/dev/null | python3 -c "import json,sys;print('%.4f' % json.load(sys.stdin)['roc_auc'])" || echo "no model")
  echo "| $r | $(cat "$OUT/wall") | $inproc | $([ "$fell" -gt 0 ] && echo "yes ($fell)" || echo no) | $rounds | $auc |"
  wait
done
