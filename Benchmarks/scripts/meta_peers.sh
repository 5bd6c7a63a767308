#!/usr/bin/env bash
# Issue 17's leave-datasets-out table beside the peers, in one run: each named corpus dataset of fold I is
# fitted at BUDGET s with the prior learned from the other folds (variant `learned`, `meta prior --fold I
# --folds K`), with the hand-set portfolios (variant `hand`, `--prior none`), both `--no-learn`, and by
# AutoGluon and FLAML at the same budget (../shared/bench/peers.py, in the peers' virtualenv), one
# dataset at a time so that a run cut short leaves every system's row of the datasets it finished.
#
#     bash Benchmarks/scripts/meta_peers.sh KNOWLEDGE_BASE OUT_PREFIX BUDGET FOLD DATASET...
#     python3 Benchmarks/scripts/meta_compare.py OUT_PREFIX-peers.jsonl OUT_PREFIX-learned.jsonl OUT_PREFIX-hand.jsonl --systems autogluon,flaml
#
# Environment: MLFORGE_BIN (default .build/release/mlforge; pass a copy), PYTHON (numpy and pandas; default
# /tmp/peers-venv/bin/python), PEERS_PYTHON (../shared/bench/requirements-peers.txt; default
# /tmp/peers-full/bin/python), K (folds, default 5), CORPUS (default ../shared/corpus).
set -euo pipefail
cd "$(dirname "$0")/../.."
kb=$1; prefix=$2; budget=$3; fold=$4; shift 4
bin=${MLFORGE_BIN:-.build/release/mlforge}
py=${PYTHON:-/tmp/peers-venv/bin/python}
peers_py=${PEERS_PYTHON:-/tmp/peers-full/bin/python}
k=${K:-5}; corpus=${CORPUS:-../shared/corpus}
prior="$prefix-prior-$fold.json"
held=$("$bin" meta prior --knowledge "$kb" --out "$prior" --fold "$fold" --folds "$k" | sed -n 's/^left out: //p')
for name in "$@"; do
  case ",$held," in *",$name,"*) ;; *) echo "$name is not in fold $fold (left out: $held)" >&2; exit 2 ;; esac
done
for name in "$@"; do
  for v in "learned=--prior $prior --no-learn" "hand=--prior none --no-learn"; do
    "$py" Benchmarks/scripts/automl_vs_peers.py --data "$corpus" --budget "$budget" --variant "${v%%=*}" \
      --binary "$bin" --fit-args "${v#*=}" --out "$prefix-${v%%=*}.jsonl" "$name" | tail -n 1
  done
  "$peers_py" ../shared/bench/peers.py --data "$corpus" --only "$name" --peers autogluon,flaml --budget "$budget" \
    --out "$prefix-peers.jsonl" | tail -n 3
done
