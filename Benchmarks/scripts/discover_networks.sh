#!/usr/bin/env bash
# The sorting-network table of BENCHMARKS.md: `mlforge discover sorting-network` for n = 2 … 16 at a
# budget per n (release build, 2 jobs), one line per n: best size and depth, seconds to the best,
# against the known optimal or best-known values. The folders go to $OUT (Sort speed reads them).
#   bash Benchmarks/scripts/discover_networks.sh [SECONDS=60] [OUT=/tmp/mlforge-networks] [STRATEGY=prefix] [OBJECTIVE=size]
# NS="6 8 10" runs those n only.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
out=${2:-/tmp/mlforge-networks}
strategy=${3:-prefix}
objective=${4:-size}
swift build -c release --product mlforge >/dev/null
bin=$(swift build -c release --show-bin-path)/mlforge
mkdir -p "$out"
printf "%3s  %5s %5s  %6s %6s  %8s  %s\n" n size known depth optDep seconds evaluated
for n in ${NS:-$(seq 2 16)}; do
  "$bin" discover sorting-network --n "$n" --time "$seconds" --strategy "$strategy" --objective "$objective" \
    --out "$out/n$n" >/dev/null 2>&1
  python3 - "$out/n$n/search.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
known = f"{s['knownSize']}{'' if s['knownSizeIsOptimal'] else '*'}"
print(f"{s['n']:3d}  {s['size']:5d} {known:>5}  {s['depth']:6d} {s['knownDepth']:6d}  {s['secondsToBest']:8.2f}  {s['evaluations']}")
PY
done
echo "(* best known, not proven optimal; seconds = time until the best size was first found; budget ${seconds} s, strategy ${strategy}, objective ${objective})"
