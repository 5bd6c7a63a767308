#!/usr/bin/env python3
"""The scale suite: synthetic tables at the sizes and shapes that break AutoML systems, generated from a
seed (nothing is committed but this script), and `mlforge fit` on each under a time budget, with the
whole command's wall time against the budget promise (1.05 × T + 1 s), its peak memory (wait4, this
process only) against --memory, and `mlforge predict` on the test rows.

    swift build -c release --product mlforge
    python3 Benchmarks/scripts/scale_suite.py --dir /tmp/scale [--time 60] [--memory 8] [--only NAME,...] [--generate-only] [--learn] [--fit-args=ARGS]

MLFORGE_BIN=PATH runs another binary (a copy, so that a rebuild during the run does not change it).

Tables (train rows + 20% more for test.csv):
    mixed-1m         1,000,000 × 20: 12 numbers, 6 categorical (3–200 levels), 1 boolean; regression
    wide-100k        100,000 × 500 numbers; binary
    sparse-20k       20,000 × 2,000, 95% zeros; binary
    classes-50       50,000 × 20 numbers; 50 classes
    levels-50k       200,000 × 11: a categorical column of 50,000 levels and 10 numbers; regression
    text-id          50,000 × 12: a unique id, a 97%-unique name, 10 numbers; binary
    missing-30       100,000 × 20, 30% of values missing; binary

Needs numpy. Memory: generating mixed-1m and wide-100k holds about 2 GB.
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
MLFORGE = Path(os.environ.get("MLFORGE_BIN", ROOT / ".build/release/mlforge"))


def write_csv(path, columns, header):
    """columns: list of 1-D arrays (numbers, or strings); NaN / None / "" are written as empty fields."""
    n = len(columns[0])
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        block = 20_000
        for lo in range(0, n, block):
            hi = min(n, lo + block)
            parts = []
            for c in columns:
                v = c[lo:hi]
                if v.dtype.kind == "f":
                    s = np.char.mod("%.6g", v).astype(object)
                    s[np.isnan(v)] = ""
                elif v.dtype.kind in "iub":
                    s = v.astype(str).astype(object)
                else:
                    s = v.astype(object)
                    s[s == None] = ""  # noqa: E711
                parts.append(s)
            rows = [",".join(map(str, r)) for r in zip(*parts)]
            f.write("\n".join(rows) + "\n")


def split_write(folder, columns, header, train_rows):
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "train.csv", [c[:train_rows] for c in columns], header)
    write_csv(folder / "test.csv", [c[train_rows:] for c in columns], header)


def generate(name, folder, rng):
    if name == "mixed-1m":
        n = 1_000_000
        total = n + n // 5
        num = rng.normal(size=(total, 12))
        cats = [rng.integers(0, k, size=total) for k in (3, 5, 10, 30, 100, 200)]
        flag = rng.integers(0, 2, size=total)
        effects = [rng.normal(size=k) for k in (3, 5, 10, 30, 100, 200)]
        y = np.sin(num[:, 0]) * 3 + num[:, 1] * num[:, 2] + np.abs(num[:, 3]) + sum(e[c] for e, c in zip(effects, cats)) + flag
        y += rng.normal(scale=0.5, size=total)
        columns = [num[:, i] for i in range(12)] + [np.array([f"L{k}_{v}" for v in c], dtype=object) for k, c in zip(range(6), cats)]
        columns += [np.where(flag == 1, "true", "false").astype(object), y]
        header = [f"x{i}" for i in range(12)] + [f"c{i}" for i in range(6)] + ["flag", "y"]
        return split_write(folder, columns, header, n), "regression"
    if name == "wide-100k":
        n, f = 100_000, 500
        total = n + n // 5
        x = rng.normal(size=(total, f)).astype(np.float32)
        w = np.zeros(f)
        w[rng.choice(f, 20, replace=False)] = rng.normal(size=20)
        score = x @ w + 0.5 * x[:, 0] * x[:, 1]
        y = (score + rng.normal(size=total) > 0).astype(int)
        return split_write(folder, [x[:, i].astype(float) for i in range(f)] + [y], [f"f{i}" for i in range(f)] + ["y"], n), "binary"
    if name == "sparse-20k":
        n, f = 20_000, 2_000
        total = n + n // 5
        x = np.where(rng.random((total, f)) < 0.05, rng.integers(1, 10, size=(total, f)), 0)
        w = np.zeros(f)
        w[rng.choice(f, 40, replace=False)] = rng.normal(size=40)
        y = ((x @ w) + rng.normal(size=total) > 0).astype(int)
        return split_write(folder, [x[:, i] for i in range(f)] + [y], [f"w{i}" for i in range(f)] + ["y"], n), "binary"
    if name == "classes-50":
        n, f, k = 50_000, 20, 50
        total = n + n // 5
        centres = rng.normal(scale=2, size=(k, f))
        label = rng.integers(0, k, size=total)
        x = centres[label] + rng.normal(size=(total, f))
        y = np.array([f"class{v:02d}" for v in label], dtype=object)
        return split_write(folder, [x[:, i] for i in range(f)] + [y], [f"x{i}" for i in range(f)] + ["y"], n), "multiclass"
    if name == "levels-50k":
        n, levels = 200_000, 50_000
        total = n + n // 5
        code = rng.integers(0, levels, size=total)
        effect = rng.normal(size=levels)
        num = rng.normal(size=(total, 10))
        y = effect[code] * 2 + num[:, 0] + num[:, 1] ** 2 + rng.normal(scale=0.5, size=total)
        columns = [np.array([f"k{v}" for v in code], dtype=object)] + [num[:, i] for i in range(10)] + [y]
        return split_write(folder, columns, ["key"] + [f"x{i}" for i in range(10)] + ["y"], n), "regression"
    if name == "text-id":
        n = 50_000
        total = n + n // 5
        ids = np.array([f"ID-{i:07d}" for i in rng.permutation(total)], dtype=object)
        names = np.array([f"name{i}" if rng.random() > 0.03 else "name0" for i in range(total)], dtype=object)
        num = rng.normal(size=(total, 10))
        y = (num[:, 0] + num[:, 1] * num[:, 2] + rng.normal(size=total) > 0).astype(int)
        return split_write(folder, [ids, names] + [num[:, i] for i in range(10)] + [y], ["id", "name"] + [f"x{i}" for i in range(10)] + ["y"], n), "binary"
    if name == "missing-30":
        n, f = 100_000, 20
        total = n + n // 5
        x = rng.normal(size=(total, f))
        y = (x[:, 0] + x[:, 1] - x[:, 2] * x[:, 3] + rng.normal(size=total) > 0).astype(int)
        x[rng.random((total, f)) < 0.3] = np.nan
        return split_write(folder, [x[:, i] for i in range(f)] + [y], [f"x{i}" for i in range(f)] + ["y"], n), "binary"
    raise ValueError(name)


NAMES = ["mixed-1m", "wide-100k", "sparse-20k", "classes-50", "levels-50k", "text-id", "missing-30"]


def timed(cmd):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    return os.waitstatus_to_exitcode(status), time.perf_counter() - t0, usage.ru_maxrss / 1024, err


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default="/tmp/scale")
    ap.add_argument("--time", type=float, default=60)
    ap.add_argument("--memory", type=float, default=8, help="GB passed as fit --memory")
    ap.add_argument("--only", default="")
    ap.add_argument("--generate-only", action="store_true")
    ap.add_argument("--out")
    ap.add_argument("--learn", action="store_true", help="let fit read and write the local knowledge base (default: --no-learn, so that runs do not depend on earlier ones)")
    ap.add_argument("--fit-args", default="", help="more fit arguments, split on spaces (e.g. \"--policy P.json\"; write it --fit-args=... when it starts with --)")
    args = ap.parse_args()
    names = [n for n in args.only.split(",") if n] or NAMES
    base = Path(args.dir)
    tasks = {}
    for i, name in enumerate(names):
        folder = base / name
        meta = folder / "meta.json"
        if not meta.exists():
            t0 = time.perf_counter()
            _, task = generate(name, folder, np.random.default_rng(1000 + NAMES.index(name)))
            meta.write_text(json.dumps({"task": task, "target": "y"}))
            print(f"generated {name} in {time.perf_counter() - t0:.0f} s ({(folder / 'train.csv').stat().st_size / 1e6:.0f} MB)", file=sys.stderr)
        tasks[name] = json.loads(meta.read_text())["task"]
    if args.generate_only:
        return
    limit = 1.05 * args.time + 1
    print(f"# scale_suite.py, {time.strftime('%Y-%m-%d')}, fit --time {args.time:g} --memory {args.memory:g} {args.fit_args}".rstrip() + "\n")
    print("| table | train MB | fit s (limit %.1f) | within | peak RSS MB (limit %d) | predict s | test rows | notes |" % (limit, args.memory * 1024))
    print("|---|---|---|---|---|---|---|---|")
    rows = []
    for name in names:
        folder = base / name
        model = folder / "model"
        cmd = [str(MLFORGE), "fit", str(folder / "train.csv"), "--target", "y", "--task", tasks[name], "--time", str(args.time),
               "--memory", str(args.memory), "--out", str(model)] + ([] if args.learn else ["--no-learn"]) + args.fit_args.split()
        status, wall, rss, err = timed(cmd)
        notes = ""
        pstatus, pwall, prss = 1, float("nan"), float("nan")
        if status == 0:
            pstatus, pwall, prss, perr = timed([str(MLFORGE), "predict", str(model), str(folder / "test.csv"), "--out", str(folder / "pred.csv")])
            lines = [l for l in err.splitlines() if "left out" in l or "subsample" in l or "ensemble of" in l]
            notes = "; ".join(l.strip()[:120] for l in lines[:3])
        else:
            notes = "fit failed: " + err.strip().splitlines()[-1][:160] if err.strip() else "fit failed"
        test_rows = sum(1 for _ in open(folder / "test.csv")) - 1
        ok = status == 0 and wall <= limit and rss <= args.memory * 1024
        print(f"| {name} | {(folder / 'train.csv').stat().st_size / 1e6:.0f} | {wall:.1f} | {'yes' if ok else 'NO'} | {rss:.0f} | "
              f"{pwall:.2f} | {test_rows} | {notes} |", flush=True)
        rows.append({"table": name, "fit_status": status, "fit_s": wall, "peak_rss_mb": rss, "predict_status": pstatus,
                     "predict_s": pwall, "predict_rss_mb": prss, "within": ok, "log": err[-4000:]})
    if args.out:
        with open(args.out, "w") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")


if __name__ == "__main__":
    main()
