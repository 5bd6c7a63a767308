#!/usr/bin/env bash
# Leave-datasets-out evaluation of the learned prior (issue 17): the corpus's datasets in K folds
# (`mlforge meta prior --fold I --folds K`, a stable hash of the names); each fold's datasets are fitted
# with the prior learned from the other folds (variant `learned`) and with the hand-set portfolios
# (variant `hand`, `--prior none`), both with `--no-learn` so that no fit reads another's, at BUDGET s.
# Given NAME=POLICY.json pairs after the corpus, the variants are instead those policies (`fit --policy`),
# each with the fold's learned prior: how `mlforge meta evaluate`'s choice is checked by real fits.
#
#     bash Benchmarks/scripts/meta_leave_out.sh KNOWLEDGE_BASE OUT_PREFIX [BUDGET (10)] [K (5)] [CORPUS (../shared/corpus)] [NAME=POLICY.json ...]
#     python3 ../shared/bench/summarize.py ../shared/bench/results/corpus-peers-b10.jsonl OUT_PREFIX-*.jsonl
set -euo pipefail
cd "$(dirname "$0")/../.."
kb=$1; prefix=$2; budget=${3:-10}; k=${4:-5}; corpus=${5:-../shared/corpus}
shift $(($# < 5 ? $# : 5))
bin=${MLFORGE_BIN:-.build/release/mlforge}
py=${PYTHON:-/tmp/peers-venv/bin/python}
for ((i = 0; i < k; i++)); do
  prior="$prefix-prior-$i.json"
  names=$("$bin" meta prior --knowledge "$kb" --out "$prior" --fold "$i" --folds "$k" | sed -n 's/^left out: //p' | tr ',' ' ')
  if (($# == 0)); then
    variants=("learned=--prior $prior --no-learn" "hand=--prior none --no-learn")
  else
    variants=()
    for pair in "$@"; do variants+=("${pair%%=*}=--prior $prior --policy ${pair#*=} --no-learn"); done
  fi
  for v in "${variants[@]}"; do
    # shellcheck disable=SC2086
    "$py" Benchmarks/scripts/automl_vs_peers.py --data "$corpus" --budget "$budget" --variant "${v%%=*}" \
      --binary "$bin" --fit-args "${v#*=}" --out "$prefix-${v%%=*}.jsonl" $names
  done
done
