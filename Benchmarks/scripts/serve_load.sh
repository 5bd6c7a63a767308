#!/usr/bin/env bash
# `mlforge serve` under load beside a FastAPI + uvicorn + LightGBM baseline on the same table (titanic),
# loopback only, with wrk: 1-row and 100-row requests at concurrency 1, 8 and 64 for SECONDS each,
# then an open-loop load at fixed rates (Benchmarks/serve/fixed_rate.py: latency counted from when each
# request was due, as wrk2 counts it) of 1-row requests, then a soak with every 10th request malformed,
# the server's resident memory sampled every 20 s. Prints throughput, p50 / p99 latency, non-2xx answers
# and each server's resident memory (ps).
#   bash Benchmarks/scripts/serve_load.sh [SECONDS (10)] [SOAK_SECONDS (120)]
# Needs: wrk (Debian), and a Python venv with fastapi, uvicorn, lightgbm, pandas at $VENV (default /tmp/serve-venv).
set -euo pipefail
cd "$(dirname "$0")/../.."
S=${1:-10}; SOAK=${2:-120}
VENV=${VENV:-/tmp/serve-venv}
BIN=.build/release/mlforge
W=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$W"' EXIT
swift build -c release --product mlforge >/dev/null
$BIN fit examples/titanic/train.csv --target survived --time 10 --out "$W/model" --no-learn --no-card >/dev/null 2>&1
python3 - "$W" <<'PY'
import csv, json, sys
w = sys.argv[1]
rows = list(csv.DictReader(open("examples/titanic/test.csv")))
def typed(r):
    out = {}
    for k, v in r.items():
        if k == "survived": continue
        out[k] = None if v == "" else (float(v) if k in ("age", "sibsp", "parch") else v)
    return out
for n in (1, 100):
    json.dump({"rows": [typed(r) for r in rows[:n]]}, open(f"{w}/rows{n}.json", "w"))
PY
$BIN serve "$W/model" --port 18181 --workers 2 2>"$W/serve.log" &
"$VENV/bin/python" Benchmarks/serve/baseline.py examples/titanic/train.csv survived 18182 &
sleep 4
rss() { ps -o rss= -p "$1" | awk '{printf "%.0f MB", $1/1024}'; }
MLF=$(pgrep -f "mlforge serve $W/model" | head -1); PY=$(pgrep -f "baseline.py examples/titanic" | head -1)
echo "resident memory at start: mlforge $(rss "$MLF"), baseline $(rss "$PY")"
printf "| server | rows/request | connections | requests/s | p50 ms | p99 ms | non-2xx |\n|---|---:|---:|---:|---:|---:|---:|\n"
run() { # name port rows connections seconds bad
  local out
  out=$(BODY="$W/rows$3.json" BAD=${6:-0} wrk -t"$(( $4 < 2 ? 1 : 2 ))" -c"$4" -d"${5}s" --latency -s Benchmarks/serve/post.lua "http://127.0.0.1:$2/v1/predict" 2>&1)
  local rps p50 p99 bad
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  bad=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  echo "| $1 | $3 | $4 | $rps | $p50 | $p99 | ${bad:-0} |"
}
for rows in 1 100; do for c in 1 8 64; do
  run mlforge 18181 $rows $c "$S"; run fastapi-lightgbm 18182 $rows $c "$S"
done; done
echo "fixed rate, 1-row requests, 8 connections, $(( 3 * S ))s each:"
for rate in 100 500 1000; do
  for server in "mlforge 18181" "fastapi-lightgbm 18182"; do
    set -- $server
    echo "$1: $(python3 Benchmarks/serve/fixed_rate.py "http://127.0.0.1:$2/v1/predict" "$W/rows1.json" "$rate" $(( 3 * S )) 8)"
  done
done
echo "soak, every 10th request malformed, 8 connections, ${SOAK}s:"
( for _ in $(seq 1 $(( SOAK / 20 ))); do sleep 20; echo "  resident memory during the soak: mlforge $(rss "$MLF")"; done ) &
run mlforge 18181 1 8 "$SOAK" 10
wait $! 2>/dev/null || true
echo "resident memory after: mlforge $(rss "$MLF"), baseline $(rss "$PY")"
curl -s 127.0.0.1:18181/metrics | grep -E '^mlforge_requests_total' | grep -v 'status="2' || true
