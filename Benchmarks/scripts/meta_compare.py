#!/usr/bin/env python3
"""The leave-datasets-out comparison of issue 17, by size: two MLForge variants (say the learned prior
and the hand-set portfolios, `automl_vs_peers.py --variant`) against each other and the peers' rows, on
the datasets both variants ran.

    python3 Benchmarks/scripts/meta_compare.py PEERS.jsonl A.jsonl B.jsonl [--corpus ../shared/corpus]

Prints, for all datasets and per size (training rows under 1,000, 1,000-10,000, above 10,000): the mean
rank of every system (1 = best; ties share the average rank; a failed run ranks last), A-vs-B wins /
ties / losses (a tie is within 0.001 of the metric), and the fits over 1.05 x budget + 1 s.
Standard library only.
"""
import argparse
import json
import os
from collections import defaultdict


def rows(path):
    out = {}
    for line in open(path):
        line = line.strip()
        if line:
            r = json.loads(line)
            name = r["peer"] + (":" + r["variant"] if r.get("variant") else "")
            out[(r["dataset"], name)] = r
    return out


def ranks(values):
    order = sorted(values, key=lambda kv: -kv[1])
    out, i = {}, 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and order[j + 1][1] == order[i][1]:
            j += 1
        for k in range(i, j + 1):
            out[order[k][0]] = (i + j) / 2 + 1
        i = j + 1
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("peers")
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(__file__), "../../../shared/corpus"))
    ap.add_argument("--systems", default="autogluon,flaml,lightgbm")
    args = ap.parse_args()
    table = {}
    table.update(rows(args.peers))
    variants = []
    for p in (args.a, args.b):
        these = rows(p)
        table.update(these)
        variants.append(next(iter(these))[1])
    va, vb = variants
    systems = variants + args.systems.split(",")
    datasets = sorted({d for (d, s) in table if s == va} & {d for (d, s) in table if s == vb})
    size = {}
    for d in datasets:
        meta = json.load(open(os.path.join(args.corpus, d, "meta.json")))
        size[d] = meta["train_rows"]
    buckets = [("all", lambda n: True), ("under 1,000 rows", lambda n: n < 1000),
               ("1,000-10,000 rows", lambda n: 1000 <= n <= 10000), ("above 10,000 rows", lambda n: n > 10000)]
    print("| datasets | n | " + " | ".join(systems) + f" | {va} vs {vb} (W/T/L) | over budget ({va}, {vb}) |")
    print("|---|---:|" + "---:|" * len(systems) + "---|---|")
    for label, keep in buckets:
        chosen = [d for d in datasets if keep(size[d])]
        if not chosen:
            continue
        total = defaultdict(float)
        counted = defaultdict(int)
        w = t = l = 0
        over = [0, 0]
        for d in chosen:
            vals = []
            for s in systems:
                r = table.get((d, s))
                if r is None:
                    continue
                m = r["metric"] if r.get("status") == "ok" and r.get("metric") is not None else float("-inf")
                vals.append((s, m))
            for s, rank in ranks(vals).items():
                total[s] += rank
                counted[s] += 1
            a, b = table[(d, va)], table[(d, vb)]
            ma = a["metric"] if a.get("metric") is not None else float("-inf")
            mb = b["metric"] if b.get("metric") is not None else float("-inf")
            if abs(ma - mb) <= 1e-3:
                t += 1
            elif ma > mb:
                w += 1
            else:
                l += 1
            for i, r in enumerate((a, b)):
                if r.get("fit_s") and r["fit_s"] > 1.05 * r["budget"] + 1:
                    over[i] += 1
        cells = [f"{total[s] / counted[s]:.2f}" if counted[s] else "-" for s in systems]
        print(f"| {label} | {len(chosen)} | " + " | ".join(cells) + f" | {w}/{t}/{l} | {over[0]}, {over[1]} |")


if __name__ == "__main__":
    main()
