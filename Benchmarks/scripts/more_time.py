#!/usr/bin/env python3
"""Does more time hurt? One short-budget run against one or more long-budget runs of `automl_vs_peers.py`
(MLForge rows), per dataset and by size: the test score of each long run less the short run's, and on how
many datasets the long run is at least the short one within a tolerance (issue 17: "the score at 60 s is at
least the score at 10 s, within noise, on at least 90% of held-out datasets"), and the other way round, on
how many the short run already reaches the long one within the tolerance ("time for the warm start to
reach the score of today's 60 s search").

    python3 Benchmarks/scripts/more_time.py SHORT.jsonl LONG.jsonl [LONG2.jsonl ...] [--names a,b] [--tolerance 0.005] [--corpus ../shared/corpus]

Standard library only.
"""
import argparse
import os

import meta_compare  # beside this script

LOWER_IS_BETTER = {"rmse", "mae", "log_loss"}
SIZES = [("under 1,000", 0, 1000), ("1,000-10,000", 1000, 10000), ("above 10,000", 10000, float("inf"))]


def rows(path):
    """MLForge's rows of an `automl_vs_peers.py` run (of one variant, if any), by dataset (read as
    `meta_compare.py` reads them)."""
    return {dataset: r for (dataset, name), r in meta_compare.rows(path).items() if name.split(":")[0] == "mlforge"}


def gain(long, short):
    """The long run's score less the short one's, higher is better (a failed long run: -inf)."""
    if long.get("status") != "ok" or long.get("metric") is None:
        return float("-inf")
    if short.get("status") != "ok" or short.get("metric") is None:
        return float("inf")
    d = long["metric"] - short["metric"]
    return -d if long["metric_name"] in LOWER_IS_BETTER else d


def train_rows(corpus, name):
    path = os.path.join(corpus, name, "train.csv")
    with open(path) as f:
        return sum(1 for _ in f) - 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("short")
    ap.add_argument("long", nargs="+")
    ap.add_argument("--names", help="a name per long run, comma-separated")
    ap.add_argument("--tolerance", type=float, default=0.005)
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(__file__), "../../../shared/corpus"))
    args = ap.parse_args()
    short = rows(args.short)
    longs = [rows(p) for p in args.long]
    names = args.names.split(",") if args.names else [os.path.basename(p) for p in args.long]
    datasets = sorted(set(short).intersection(*[set(l) for l in longs]), key=lambda d: train_rows(args.corpus, d))
    sizes = {d: train_rows(args.corpus, d) for d in datasets}
    budget = lambda r: r.get("budget", 0)
    head = ["dataset", "train rows", "metric", f"{budget(short[datasets[0]]):g} s"] if datasets else []
    for n, l in zip(names, longs):
        head += [n, f"{n} − short"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for d in datasets:
        s = short[d]
        cells = [d, f"{sizes[d]:,}", s["metric_name"], f"{s['metric']:.4f}" if s.get("metric") is not None else s.get("status")]
        for l in longs:
            g = gain(l[d], s)
            mark = "**" if g < -args.tolerance else ""
            cells += [f"{l[d]['metric']:.4f}" if l[d].get("metric") is not None else l[d].get("status"), f"{mark}{g:+.4f}{mark}"]
        print("| " + " | ".join(cells) + " |")
    print()
    print(f"At least the short run within {args.tolerance:g} (and the largest fit time):")
    for n, l in zip(names, longs):
        parts = []
        for label, lo, hi in SIZES:
            inside = [d for d in datasets if lo <= sizes[d] < hi]
            if inside:
                ok = sum(1 for d in inside if gain(l[d], short[d]) >= -args.tolerance)
                parts.append(f"{label}: {ok} of {len(inside)}")
        ok = sum(1 for d in datasets if gain(l[d], short[d]) >= -args.tolerance)
        mean = sum(gain(l[d], short[d]) for d in datasets) / max(1, len(datasets))
        slowest = max((l[d].get("fit_s") or 0) for d in datasets)
        print(f"- {n}: {ok} of {len(datasets)} ({100 * ok / max(1, len(datasets)):.0f}%); {'; '.join(parts)}; mean gain {mean:+.4f}; max fit {slowest:.1f} s")
        # The other way round (issue 17: "time for the warm start to reach the score of today's 60 s
        # search"): the short run already within the tolerance of the long one, or above it.
        reach = sum(1 for d in datasets if gain(l[d], short[d]) <= args.tolerance)
        print(f"  the short run reaches {n} within {args.tolerance:g} on {reach} of {len(datasets)} ({100 * reach / max(1, len(datasets)):.0f}%)")


if __name__ == "__main__":
    main()
