#!/usr/bin/env bash
# The model card within fit's budget: on every shared dataset, `mlforge fit --time T` with its card and
# with --no-card (same seed); prints the wall time, what the card computed in its share of the budget,
# its rendered plots, and both models' test score on the dataset's metric.
#   bash Benchmarks/scripts/card_budget.sh [T (10)] [OUT (/tmp/card-budget)]
set -euo pipefail
cd "$(dirname "$0")/../.."
T=${1:-10}
OUT=${2:-/tmp/card-budget}
S=../shared/datasets
BIN=.build/release/mlforge
swift build -c release --product mlforge >/dev/null
mkdir -p "$OUT"
printf "| dataset | wall s (card) | card s | repeats | curves | plots | test score with card | with --no-card | left out |\n|---|---:|---:|---:|---:|---:|---:|---:|---|\n"
for d in $(ls $S); do
  target=$(python3 -c "import json;print(json.load(open('$S/$d/meta.json'))['target'])")
  metric=$(python3 -c "import json;print(json.load(open('$S/$d/meta.json'))['metric'])")
  rm -rf "$OUT/$d" "$OUT/$d-nocard"
  s=$(date +%s.%N)
  $BIN fit $S/$d/train.csv --target "$target" --metric "$metric" --time "$T" --out "$OUT/$d" --no-learn > "$OUT/$d.log" 2>&1
  e=$(date +%s.%N)
  $BIN fit $S/$d/train.csv --target "$target" --metric "$metric" --time "$T" --out "$OUT/$d-nocard" --no-learn --no-card > "$OUT/$d-nocard.log" 2>&1
  a=$($BIN evaluate "$OUT/$d" $S/$d/test.csv --json | python3 -c "import json,sys;print('%.4f' % json.load(sys.stdin)['$metric'])")
  b=$($BIN evaluate "$OUT/$d-nocard" $S/$d/test.csv --json | python3 -c "import json,sys;print('%.4f' % json.load(sys.stdin)['$metric'])")
  plots=$(grep -o 'data-plot=' "$OUT/$d/card.html" | wc -l)
  python3 - "$OUT/$d/card/evidence.json" "$d" "$s" "$e" "$plots" "$a" "$b" <<'PY'
import json, sys
e = json.load(open(sys.argv[1])); d, s, t, plots, a, b = sys.argv[2:]
imp = e.get('importance') or {}
print(f"| {d} | {float(t) - float(s):.2f} | {e['cardSeconds']:.2f} | {imp.get('repeats', 0)} | {len(e['dependence'])} | {plots} | {a} | {b} | {'; '.join(e['omitted'])} |")
PY
done
