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
# MLFORGE_COMMIT=id names that commit in settings.json. The fixtures go to runner/LEVEL, LEVEL the BLAS
# kernel level mlforge runs (`mlforge --version --verbose`); OPENBLAS_CORETYPE=Haswell records the avx2
# set on an AVX-512 machine.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-../shared/datasets}
trials=8
if [ -z "${MLFORGE_BIN:-}" ]; then
  swift build -c release --product mlforge >/dev/null
  bin=$(swift build -c release --show-bin-path)/mlforge
else
  bin=$MLFORGE_BIN
fi
level=$("$bin" --version --verbose | sed -n 's/^blas level: //p')
[ -n "$level" ] || { echo "make_runner_fixtures.sh: $bin --version --verbose names no BLAS level" >&2; exit 1; }
out=Sources/TestSupport/Fixtures/runner/$level
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
for dir in "$data"/*/; do
  name=$(basename "$dir")
  target=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['target'])" "$dir/meta.json")
  task=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['task'])" "$dir/meta.json")
  "$bin" fit "$dir/train.csv" --no-learn --target "$target" --task "$task" --jobs 1 --seed 0 --trials $trials --time 600 --out "$tmp/$name" >/dev/null 2>&1
  "$bin" predict "$tmp/$name" "$dir/test.csv" --proba --out "$out/$name.csv"
  echo "$name: $(wc -l < "$out/$name.csv") rows"
done
core=$("$bin" --version --verbose | sed -n 's/^blas kernel: \([^ ]*\).*/\1/p')
echo "{\"trials\": $trials, \"seed\": 0, \"jobs\": 1, \"recorded_by\": \"scripts/make_runner_fixtures.sh\", \"commit\": \"${MLFORGE_COMMIT:-$(git rev-parse --short HEAD)}\", \"blas\": \"$core\"}" > "$out/settings.json"
