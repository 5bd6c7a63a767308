#!/usr/bin/env bash
# Records the runner's predictions on the shared datasets as fixtures for Tests/AutoMLTests/RunnerFixtureTests.swift.
#
# Each dataset is fitted with one thread, seed 0 and a trial cap (so the run does not depend on the clock),
# and its test rows are predicted with probabilities. A change that should not alter behaviour must give
# the same predictions; re-record only when a change is meant to alter them, and say why in the commit.
#
#     bash scripts/make_runner_fixtures.sh [DATASETS_DIR (../shared/datasets)]
#
# MLFORGE_BIN=path uses another build of mlforge (the commit whose behaviour is to be kept), and
# MLFORGE_COMMIT=id names that commit in settings.json.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-../shared/datasets}
out=Sources/TestSupport/Fixtures/runner
trials=8
if [ -z "${MLFORGE_BIN:-}" ]; then
  swift build -c release --product mlforge >/dev/null
  bin=$(swift build -c release --show-bin-path)/mlforge
else
  bin=$MLFORGE_BIN
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
for dir in "$data"/*/; do
  name=$(basename "$dir")
  target=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['target'])" "$dir/meta.json")
  task=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['task'])" "$dir/meta.json")
  "$bin" fit "$dir/train.csv" --target "$target" --task "$task" --jobs 1 --seed 0 --trials $trials --time 600 --out "$tmp/$name" >/dev/null 2>&1
  "$bin" predict "$tmp/$name" "$dir/test.csv" --proba --out "$out/$name.csv"
  echo "$name: $(wc -l < "$out/$name.csv") rows"
done
echo "{\"trials\": $trials, \"seed\": 0, \"jobs\": 1, \"recorded_by\": \"scripts/make_runner_fixtures.sh\", \"commit\": \"${MLFORGE_COMMIT:-$(git rev-parse --short HEAD)}\"}" > "$out/settings.json"
