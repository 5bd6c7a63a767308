#!/usr/bin/env bash
# "It improves with use" (issue 17): a stream of held-out datasets fitted one after another with a local
# knowledge base that every fit of the stream adds to (variant `stream`, `--knowledge OUT_PREFIX-base-I.sqlite`,
# empty at the stream's start), against the same fits with an empty local base (variant `empty`,
# `--no-learn`: nothing read, nothing written). The stream of fold I is the corpus datasets that fold's
# prior left out (`mlforge meta prior --fold I --folds K`), in a seeded random order; both variants use
# that fold's prior, so no fit has seen its own dataset through the prior. The two variants alternate
# which runs first. Each row records its stream position (`stream_position`) and the known datasets that
# lent configurations (`prior_neighbours`; `local:` ones are earlier fits of the stream).
#
#     bash Benchmarks/scripts/meta_stream.sh KNOWLEDGE_BASE OUT_PREFIX [BUDGET (10)] [FOLDS ("0 1")] [K (5)] [CORPUS (../shared/corpus)]
#     python3 Benchmarks/scripts/meta_stream_report.py OUT_PREFIX-stream.jsonl OUT_PREFIX-empty.jsonl
set -euo pipefail
cd "$(dirname "$0")/../.."
kb=$1; prefix=$2; budget=${3:-10}; folds=${4:-0 1}; k=${5:-5}; corpus=${6:-../shared/corpus}
bin=${MLFORGE_BIN:-.build/release/mlforge}
py=${PYTHON:-/tmp/peers-venv/bin/python}
for i in $folds; do
  prior="$prefix-prior-$i.json"
  base="$prefix-base-$i.sqlite"
  rm -f "$base"
  names=$("$bin" meta prior --knowledge "$kb" --out "$prior" --fold "$i" --folds "$k" | sed -n 's/^left out: //p' | tr ',' ' ')
  # shellcheck disable=SC2086
  order=$(python3 -c 'import random, sys; n = sys.argv[2:]; random.Random(int(sys.argv[1])).shuffle(n); print(" ".join(n))' "$i" $names)
  position=0
  for name in $order; do
    position=$((position + 1))
    variants=("stream=--prior $prior --knowledge $base" "empty=--prior $prior --no-learn")
    if ((position % 2 == 0)); then variants=("${variants[1]}" "${variants[0]}"); fi
    for v in "${variants[@]}"; do
      out="$prefix-${v%%=*}.jsonl"
      before=$(wc -l < "$out" 2>/dev/null || echo 0)
      "$py" Benchmarks/scripts/automl_vs_peers.py --data "$corpus" --budget "$budget" --variant "${v%%=*}" \
        --binary "$bin" --fit-args "${v#*=}" --out "$out" "$name" | tail -n 1
      # The row just appended gets the fold and the stream position.
      python3 - "$out" "$before" "$i" "$position" <<'EOF'
import json, sys
path, before, fold, position = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
lines = open(path).read().splitlines()
for j in range(before, len(lines)):
    row = json.loads(lines[j]); row.update(stream_fold=fold, stream_position=position); lines[j] = json.dumps(row)
open(path, "w").write("\n".join(lines) + "\n")
EOF
    done
  done
done
