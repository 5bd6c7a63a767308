#!/usr/bin/env bash
# "It improves with use" where a user's tables are related (issue 17): each named corpus dataset of fold I
# is first fitted on a seeded half of its training rows with a fresh local knowledge base (the earlier
# version of the table), then on all its training rows with that base (variant `refit`), against the
# full table fitted with no base (variant `fresh`, `--no-learn`); both with the prior learned from the
# other folds, at BUDGET s, scored on the same test rows. Each `refit` row records the neighbours its fit
# used (`prior_neighbours`).
#
#     bash Benchmarks/scripts/meta_refit.sh KNOWLEDGE_BASE OUT_PREFIX BUDGET FOLD DATASET...
#     python3 Benchmarks/scripts/meta_compare.py ../shared/bench/results/corpus-peers-b10.jsonl OUT_PREFIX-refit.jsonl OUT_PREFIX-fresh.jsonl
set -euo pipefail
cd "$(dirname "$0")/../.."
kb=$1; prefix=$2; budget=$3; fold=$4; shift 4
bin=${MLFORGE_BIN:-.build/release/mlforge}
py=${PYTHON:-/tmp/peers-venv/bin/python}
k=${K:-5}; corpus=${CORPUS:-../shared/corpus}
prior="$prefix-prior-$fold.json"
"$bin" meta prior --knowledge "$kb" --out "$prior" --fold "$fold" --folds "$k" > /dev/null
halves="$prefix-halves"
for name in "$@"; do
  mkdir -p "$halves/$name"
  cp "$corpus/$name/meta.json" "$corpus/$name/test.csv" "$halves/$name/"
  "$py" -c 'import sys, pandas as pd; t = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False); t.sample(frac=0.5, random_state=0).to_csv(sys.argv[2], index=False)' \
    "$corpus/$name/train.csv" "$halves/$name/train.csv"
  base="$prefix-base-$name.sqlite"
  rm -f "$base"
  "$py" Benchmarks/scripts/automl_vs_peers.py --data "$halves" --budget "$budget" --variant half --binary "$bin" \
    --fit-args "--prior $prior --knowledge $base" --out "$prefix-half.jsonl" "$name" | tail -n 1
  "$py" Benchmarks/scripts/automl_vs_peers.py --data "$corpus" --budget "$budget" --variant refit --binary "$bin" \
    --fit-args "--prior $prior --knowledge $base" --out "$prefix-refit.jsonl" "$name" | tail -n 1
  "$py" Benchmarks/scripts/automl_vs_peers.py --data "$corpus" --budget "$budget" --variant fresh --binary "$bin" \
    --fit-args "--prior $prior --no-learn" --out "$prefix-fresh.jsonl" "$name" | tail -n 1
done
