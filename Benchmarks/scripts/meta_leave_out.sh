#!/usr/bin/env bash
# Leave-datasets-out evaluation of the learned prior (issue 17): the corpus's datasets in K folds
# (`mlforge meta prior --fold I --folds K`, a stable hash of the names); each fold's datasets are fitted
# with the prior learned from the other folds (variant `learned`) and with the hand-set portfolios
# (variant `hand`, `--prior none`), both with `--no-learn` so that no fit reads another's, at BUDGET s.
#
#     bash Benchmarks/scripts/meta_leave_out.sh KNOWLEDGE_BASE OUT_PREFIX [BUDGET (10)] [K (5)] [CORPUS (../shared/corpus)]
#     python3 ../shared/bench/summarize.py ../shared/bench/results/corpus-peers-b10.jsonl OUT_PREFIX-*.jsonl
set -euo pipefail
cd "$(dirname "$0")/../.."
kb=$1; prefix=$2; budget=${3:-10}; k=${4:-5}; corpus=${5:-../shared/corpus}
bin=.build/release/mlforge
py=${PYTHON:-/tmp/peers-venv/bin/python}
for ((i = 0; i < k; i++)); do
  prior="$prefix-prior-$i.json"
  names=$("$bin" meta prior --knowledge "$kb" --out "$prior" --fold "$i" --folds "$k" | sed -n 's/^left out: //p' | tr ',' ' ')
  # shellcheck disable=SC2086
  "$py" Benchmarks/scripts/automl_vs_peers.py --data "$corpus" --budget "$budget" --variant learned \
    --fit-args "--prior $prior --no-learn" --out "$prefix-learned.jsonl" $names
  # shellcheck disable=SC2086
  "$py" Benchmarks/scripts/automl_vs_peers.py --data "$corpus" --budget "$budget" --variant hand \
    --fit-args "--prior none --no-learn" --out "$prefix-hand.jsonl" $names
done
