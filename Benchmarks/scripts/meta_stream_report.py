#!/usr/bin/env python3
"""The curve of issue 17's stream (Benchmarks/scripts/meta_stream.sh): fits with a growing local knowledge
base against the same fits with an empty one, by position in the stream.

    python3 Benchmarks/scripts/meta_stream_report.py PREFIX-stream.jsonl PREFIX-empty.jsonl [--bucket 6]

Per bucket of stream positions (over every fold's stream): how many fits of the stream took a
configuration from an earlier fit (a `local:` neighbour in the manifest), the stream's wins / ties /
losses against the empty base (a tie is within 0.001 of the metric), and the mean difference of the
test metric, and the same for the fits that did take one; the fits that took none (they queue the same
configurations either way: their differences are the run-to-run noise); the fits over 1.05 x budget + 1 s.
Standard library only.
"""
import argparse
import json
from collections import defaultdict

TIE = 0.001


def rows(path):
    out = {}
    for line in open(path):
        if line.strip():
            r = json.loads(line)
            out[r["dataset"]] = r
    return out


def used_local(row):
    return any(n.startswith("local:") for n in row.get("prior_neighbours") or [])


def summary(pairs):
    """(fits, "W/T/L", mean difference) of (stream, empty) metric pairs."""
    if not pairs:
        return 0, "", ""
    w = sum(1 for s, e in pairs if s - e > TIE)
    l = sum(1 for s, e in pairs if e - s > TIE)
    return len(pairs), f"{w}/{len(pairs) - w - l}/{l}", f"{sum(s - e for s, e in pairs) / len(pairs):+.4f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("stream")
    ap.add_argument("empty")
    ap.add_argument("--bucket", type=int, default=6, help="stream positions per row of the table")
    args = ap.parse_args()
    stream, empty = rows(args.stream), rows(args.empty)
    both = [d for d in stream if d in empty]
    value = lambda r: r["metric"] if r["status"] == "ok" and r["metric"] is not None else float("-inf")
    buckets, local, rest = defaultdict(list), defaultdict(list), []
    for d in both:
        s, e = stream[d], empty[d]
        b = (s["stream_position"] - 1) // args.bucket
        pair = (value(s), value(e))
        buckets[b].append(pair)
        (local[b] if used_local(s) else rest).append(pair)
    print("| stream positions | fits | stream vs empty base (W/T/L) | mean test metric, stream − empty "
          "| took an earlier fit's configuration | of those, W/T/L | of those, mean |")
    print("|---|---:|---|---:|---:|---|---:|")
    for b in sorted(buckets):
        n, wtl, mean = summary(buckets[b])
        m, wtl_local, mean_local = summary(local[b])
        print(f"| {b * args.bucket + 1}–{(b + 1) * args.bucket} | {n} | {wtl} | {mean} | {m} | {wtl_local} | {mean_local} |")
    n, wtl, mean = summary([p for b in buckets.values() for p in b])
    m, wtl_local, mean_local = summary([p for b in local.values() for p in b])
    print(f"| all | {n} | {wtl} | {mean} | {m} | {wtl_local} | {mean_local} |")
    # The fits that took nothing from an earlier one queue the same configurations in both variants:
    # their differences are the run-to-run noise the others are to be read against.
    n, wtl, mean = summary(rest)
    print(f"\nfits that took nothing from an earlier fit (the same configurations; the noise): {n}, W/T/L {wtl}, mean {mean}")
    limit = lambda r: 1.05 * r["budget"] + 1
    over = [(d, v) for d in both for v, r in (("stream", stream[d]), ("empty", empty[d])) if (r["fit_s"] or 0) > limit(r)]
    print(f"\nfits over 1.05 × budget + 1 s: {len(over)} {over if over else ''}".rstrip())


if __name__ == "__main__":
    main()
