#!/usr/bin/env bash
# Runs the architecture-search benchmark: every strategy, 5 seeds, on digits (8x8 images, cell2d space,
# 120 s) and credit_data (tabular, MLP macro space, 30 s); then the synthetic signal task (NAS against the
# tree families at 120 s) and one 600 s search on digits. Results: Benchmarks/results/nas-*.jsonl.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release >/dev/null
# Copies of the binaries, so that rebuilding while this runs does not change them.
BIN=$(mktemp -d)
cp .build/release/mlforge-bench .build/release/mlforge $BIN/
BENCH=$BIN/mlforge-bench
MLFORGE=$BIN/mlforge
DATA=../shared/datasets
OUT=Benchmarks/results
: > $OUT/nas-curves.jsonl
for seed in 1 2 3 4 5; do
  for strategy in evolution reinforce tpe random; do
    $BENCH nas $DATA/digits --target digit --task multiclass --strategy $strategy --seed $seed --time 120 >> $OUT/nas-curves.jsonl
  done
done
for seed in 1 2 3 4 5; do
  for strategy in evolution reinforce tpe random; do
    $BENCH nas $DATA/credit_data --target Status --strategy $strategy --seed $seed --time 30 >> $OUT/nas-curves.jsonl
  done
done
# The signal task: NAS (conv1d space) against the best tree model at the same budget.
$BENCH make-signal /tmp/mlforge-signal
$MLFORGE nas /tmp/mlforge-signal/train.csv --target shape --time 120 --out /tmp/mlforge-signal-nas \
  --test /tmp/mlforge-signal/test.csv > $OUT/nas-signal.txt 2>&1
$MLFORGE fit /tmp/mlforge-signal/train.csv --target shape --time 120 --out /tmp/mlforge-signal-trees \
  --families xgboost,random_forest --metric accuracy --test /tmp/mlforge-signal/test.csv > $OUT/trees-signal.txt 2>&1
# One long search on digits (the 98.5% goal within 10 minutes).
$MLFORGE nas $DATA/digits/train.csv --target digit --task multiclass --time 600 --out /tmp/mlforge-digits-nas \
  --test $DATA/digits/test.csv > $OUT/nas-digits-600.txt 2>&1
cp /tmp/mlforge-digits-nas/nas/history.csv $OUT/nas-digits-600-history.csv
