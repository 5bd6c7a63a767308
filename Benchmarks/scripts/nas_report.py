#!/usr/bin/env python3
"""Summarises Benchmarks/results/nas-curves.jsonl (written by nas_runs.sh): a Markdown table of the
anytime curves (mean best validation accuracy and mean test accuracy of the incumbent at fractions of
the budget, 5 seeds per strategy) and an SVG chart, Benchmarks/charts/nas-anytime.svg.

    python3 Benchmarks/scripts/nas_report.py [RESULTS.jsonl] [CHART.svg]
"""
import json
import math
import statistics
import sys
from collections import defaultdict

results = sys.argv[1] if len(sys.argv) > 1 else "Benchmarks/results/nas-curves.jsonl"
chart = sys.argv[2] if len(sys.argv) > 2 else "Benchmarks/charts/nas-anytime.svg"
BUDGET = {"digits": 120, "credit_data": 30}
STRATEGIES = ["evolution", "reinforce", "tpe", "random"]
COLORS = {"evolution": "#d62728", "reinforce": "#1f77b4", "tpe": "#2ca02c", "random": "#7f7f7f"}

incumbents = defaultdict(list)   # (dataset, strategy, seed) -> [(elapsed, validation, test)]
finals = {}
for line in open(results):
    r = json.loads(line)
    key = (r["dataset"], r["strategy"], r["seed"])
    if r.get("final"):
        finals[key] = r
    else:
        incumbents[key].append((r["elapsed"], r["validation"], r["test"]))


def at(curve, t):
    """The incumbent's (validation, test) at time t (None before the first trial ends)."""
    best = None
    for elapsed, v, te in sorted(curve):
        if elapsed <= t:
            best = (v, te)
    return best


def mean_sd(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return None, None
    return statistics.mean(xs), (statistics.stdev(xs) if len(xs) > 1 else 0.0)


datasets = [d for d in BUDGET if any(k[0] == d for k in finals)]
fractions = [0.1, 0.25, 0.5, 1.0]
print("| dataset | strategy | seeds | trials (mean) | " + " | ".join(f"best val @ {int(f * 100)}%" for f in fractions)
      + " | final test accuracy |")
print("|---|---|---|---|" + "---|" * len(fractions) + "---|")
for d in datasets:
    for s in STRATEGIES:
        seeds = sorted(k[2] for k in finals if k[0] == d and k[1] == s)
        if not seeds:
            continue
        cells = []
        for f in fractions:
            vals = [at(incumbents[(d, s, seed)], f * BUDGET[d]) for seed in seeds]
            m, sd = mean_sd([v[0] if v else None for v in vals])
            cells.append("—" if m is None else f"{m:.4f} ± {sd:.4f}")
        tm, tsd = mean_sd([finals[(d, s, seed)]["test"] for seed in seeds])
        trials = statistics.mean(finals[(d, s, seed)]["trials"] for seed in seeds)
        print(f"| {d} | {s} | {len(seeds)} | {trials:.1f} | " + " | ".join(cells) + f" | {tm:.4f} ± {tsd:.4f} |")

# The chart: one panel per dataset; mean best validation accuracy (solid) and mean test accuracy of
# the incumbent (dashed) against wall time, one colour per strategy.
W, H, PAD = 460, 300, 50
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W * len(datasets)}" height="{H + 40}" font-family="sans-serif" font-size="11">',
       f'<rect width="100%" height="100%" fill="white"/>']
for p, d in enumerate(datasets):
    x0 = p * W
    budget = BUDGET[d]
    grid = [budget * i / 200 for i in range(1, 201)]
    curves = {}
    for s in STRATEGIES:
        seeds = sorted(k[2] for k in finals if k[0] == d and k[1] == s)
        if not seeds:
            continue
        pts = []
        for t in grid:
            vals = [at(incumbents[(d, s, seed)], t) for seed in seeds]
            if all(v is not None for v in vals):
                pts.append((t, statistics.mean(v[0] for v in vals), statistics.mean(v[1] for v in vals)))
        curves[s] = pts
    ys = [y for pts in curves.values() for (_, a, b) in pts for y in (a, b)]
    lo, hi = (min(ys), max(ys)) if ys else (0, 1)
    lo = math.floor(lo * 100) / 100
    hi = math.ceil(hi * 100) / 100 if hi > lo else lo + 0.01
    def X(t): return x0 + PAD + (W - 1.5 * PAD) * t / budget
    def Y(v): return PAD / 2 + (H - PAD) * (1 - (v - lo) / (hi - lo))
    svg.append(f'<text x="{x0 + W / 2}" y="14" text-anchor="middle" font-size="13">{d} ({budget} s, mean of 5 seeds)</text>')
    svg.append(f'<line x1="{X(0)}" y1="{Y(lo)}" x2="{X(budget)}" y2="{Y(lo)}" stroke="black"/>')
    svg.append(f'<line x1="{X(0)}" y1="{Y(lo)}" x2="{X(0)}" y2="{Y(hi)}" stroke="black"/>')
    for i in range(5):
        v = lo + (hi - lo) * i / 4
        svg.append(f'<text x="{X(0) - 4}" y="{Y(v) + 4}" text-anchor="end">{v:.3f}</text>')
        svg.append(f'<line x1="{X(0)}" y1="{Y(v)}" x2="{X(budget)}" y2="{Y(v)}" stroke="#eee"/>')
    for i in range(5):
        t = budget * i / 4
        svg.append(f'<text x="{X(t)}" y="{Y(lo) + 14}" text-anchor="middle">{t:.0f}</text>')
    svg.append(f'<text x="{X(budget / 2)}" y="{H + 12}" text-anchor="middle">seconds</text>')
    for s, pts in curves.items():
        if not pts:
            continue
        val = " ".join(f"{X(t):.1f},{Y(v):.1f}" for t, v, _ in pts)
        tst = " ".join(f"{X(t):.1f},{Y(te):.1f}" for t, _, te in pts)
        svg.append(f'<polyline fill="none" stroke="{COLORS[s]}" stroke-width="2" points="{val}"/>')
        svg.append(f'<polyline fill="none" stroke="{COLORS[s]}" stroke-width="1.2" stroke-dasharray="4 3" points="{tst}"/>')
    for i, s in enumerate(curves):
        ly = Y(lo) - 12 - 14 * i
        svg.append(f'<line x1="{X(budget) - 110}" y1="{ly}" x2="{X(budget) - 90}" y2="{ly}" stroke="{COLORS[s]}" stroke-width="2"/>')
        svg.append(f'<text x="{X(budget) - 86}" y="{ly + 4}">{s}</text>')
svg.append(f'<text x="10" y="{H + 32}" fill="#555">solid: best validation accuracy so far; dashed: test accuracy of that network</text>')
svg.append("</svg>")
with open(chart, "w") as f:
    f.write("\n".join(svg) + "\n")
print(f"\nchart: {chart}", file=sys.stderr)
