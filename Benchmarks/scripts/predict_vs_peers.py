#!/usr/bin/env python3
"""Prediction cost of MLForge beside xgboost-python, LightGBM and AutoGluon, in one run.

Two tables.

1. Same trees: `mlforge-bench learners --families xgboost` fits MLForge's default XGBoost on each shared
   dataset and times its prediction (10,000-row batch, best of 3; one row, median of 200) on the exact
   features it used; xgboost-python loads the same booster.json and predicts the same rows
   (`inplace_predict` on a NumPy array, the fastest path it has), timed the same way.

2. Whole models: for each shared dataset, `mlforge fit --time B` makes a model folder; then
   - the whole `mlforge predict MODEL test.csv --out …` process, wall time (median of 3) and peak RSS;
   - in process (`mlforge-bench predict`): loading, predicting the test file, a 10,000-row batch, one row;
   - each peer fitted in its own subprocess (xgboost and LightGBM with defaults on pandas categoricals,
     AutoGluon at --time B, medium quality), then timed the same ways in process, and as a whole
     process: a fresh Python process that loads the saved model, reads test.csv, predicts and writes.

    swift build -c release
    /tmp/peers-venv/bin/python Benchmarks/scripts/predict_vs_peers.py [--budget 10] [--peers xgboost,lightgbm,autogluon]
        [--out results.jsonl] [DATASET ...]

The venv is ../shared/bench's (requirements-peers.txt). 2 threads everywhere.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "datasets"
MLFORGE = ROOT / ".build/release/mlforge"
BENCH = ROOT / ".build/release/mlforge-bench"
DATASETS = ["breast_cancer", "churn", "concrete", "credit_data", "diabetes", "diamonds", "digits",
            "glass", "iris", "penguins", "titanic", "wage", "wine"]
BATCH = 10_000
SINGLES = 200

os.environ.setdefault("OMP_NUM_THREADS", "2")


def timed_process(cmd, env=None):
    """Wall seconds and peak RSS (MB) of one child process (wait4)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    err = p.stderr.read().decode()
    p.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{cmd[0]} failed: {err[-500:]}")
    return wall, usage.ru_maxrss / 1024


def median_process(cmd, repeats=3, env=None):
    runs = [timed_process(cmd, env) for _ in range(repeats)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


# ---------------------------------------------------------------------------------------------- peers
PEER_FIT = r'''
import json, os, sys, time, pickle
import numpy as np, pandas as pd
peer, train_csv, test_csv, target, task, budget, folder = sys.argv[1:8]
budget = float(budget)
train, test = pd.read_csv(train_csv), pd.read_csv(test_csv)
def prepare(df, cats=None):
    x = df.drop(columns=[target])
    for c in x.columns:
        if x[c].dtype == object:
            x[c] = pd.Categorical(x[c], categories=cats[c] if cats else sorted(x[c].dropna().unique()))
    return x
xtr = prepare(train)
cats = {c: list(xtr[c].cat.categories) for c in xtr.columns if str(xtr[c].dtype) == "category"}
xte = prepare(test, cats)
y = train[target]
reg = task == "regression"
if peer == "autogluon":
    from autogluon.tabular import TabularPredictor
    m = TabularPredictor(label=target, path=folder, verbosity=0,
                         problem_type="regression" if reg else ("binary" if task == "binary" else "multiclass"))
    m.fit(train, time_limit=budget, presets="medium_quality", num_cpus=2)
    predict = lambda x: m.predict(x) if reg else m.predict_proba(x)
    frame = test.drop(columns=[target])
else:
    if peer == "xgboost":
        import xgboost
        cls = xgboost.XGBRegressor if reg else xgboost.XGBClassifier
        m = cls(tree_method="hist", enable_categorical=True, n_jobs=2)
    else:
        import lightgbm
        cls = lightgbm.LGBMRegressor if reg else lightgbm.LGBMClassifier
        m = cls(n_jobs=2, verbose=-1)
    if not reg:
        labels = sorted(y.dropna().unique().tolist())
        y = y.map({v: i for i, v in enumerate(labels)})
    m.fit(xtr, y)
    predict = lambda x: m.predict(x) if reg else m.predict_proba(x)
    frame = xte
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "model.pkl"), "wb") as f:
        pickle.dump((m, cats), f)
t0 = time.perf_counter(); predict(frame); file_s = time.perf_counter() - t0
big = frame.iloc[np.arange(10000) % len(frame)].reset_index(drop=True)
def timed(x):
    t = time.perf_counter(); predict(x); return time.perf_counter() - t
best = min(timed(big) for _ in range(3))
single = [timed(frame.iloc[[i % len(frame)]]) for i in range(200)]
print(json.dumps({"predict_file_s": file_s, "batch_s": best, "single_row_us": sorted(single)[len(single) // 2] * 1e6}))
'''

PEER_PREDICT = r'''
import sys, pickle
import pandas as pd
peer, folder, test_csv, target, task, out = sys.argv[1:7]
test = pd.read_csv(test_csv)
x = test.drop(columns=[target], errors="ignore")
if peer == "autogluon":
    from autogluon.tabular import TabularPredictor
    m = TabularPredictor.load(folder)
    p = m.predict(x)
else:
    with open(folder + "/model.pkl", "rb") as f:
        m, cats = pickle.load(f)
    for c, levels in cats.items():
        x[c] = pd.Categorical(x[c], categories=levels)
    p = m.predict(x)
pd.DataFrame({target: p}).to_csv(out, index=False)
'''


def peer_rows(peer, name, meta, budget, work):
    folder = work / f"{name}-{peer}"
    d = SHARED / name
    fit = subprocess.run([sys.executable, "-c", PEER_FIT, peer, str(d / "train.csv"), str(d / "test.csv"), meta["target"],
                          meta["task"], str(budget), str(folder)], capture_output=True, text=True)
    if fit.returncode != 0:
        return {"peer": peer, "dataset": name, "status": "error", "error": fit.stderr[-400:]}
    row = json.loads(fit.stdout.strip().splitlines()[-1])
    wall, rss = median_process([sys.executable, "-c", PEER_PREDICT, peer, str(folder), str(d / "test.csv"), meta["target"],
                                meta["task"], str(work / f"{name}-{peer}.csv")])
    row.update(peer=peer, dataset=name, status="ok", process_s=wall, process_rss_mb=rss)
    return row


# --------------------------------------------------------------------------------------------- MLForge
def mlforge_rows(name, meta, budget, work):
    d = SHARED / name
    model = work / f"{name}-mlforge"
    subprocess.run([str(MLFORGE), "fit", str(d / "train.csv"), "--target", meta["target"], "--time", str(budget),
                    "--out", str(model)], check=True, capture_output=True)
    wall, rss = median_process([str(MLFORGE), "predict", str(model), str(d / "test.csv"), "--out", str(work / f"{name}-mlforge.csv")])
    inproc = subprocess.run([str(BENCH), "predict", str(model), str(d / "test.csv"), "--repeat", str(SINGLES), "--batch", str(BATCH)],
                            check=True, capture_output=True, text=True)
    row = json.loads(inproc.stdout.strip().splitlines()[-1])
    row.update(peer="mlforge", dataset=name, status="ok", process_s=wall, process_rss_mb=rss)
    return row


# ------------------------------------------------------------------------------------------ same trees
def same_trees(datasets):
    import xgboost
    out = Path(tempfile.mkdtemp(prefix="mlforge-trees-"))
    proc = subprocess.run([str(BENCH), "learners", str(out), *datasets, "--families", "xgboost", "--repeat", "1"],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    rows = []
    for line in proc.stdout.splitlines():
        if not line.startswith("{"):
            continue
        ours = json.loads(line)
        d = out / ours["dataset"] / "xgboost"
        x = pd.read_csv(d / "test.csv").drop(columns="__target").to_numpy(np.float32)
        booster = xgboost.Booster()
        booster.load_model(str(d / "model/booster.json"))
        booster.set_param({"nthread": 2})
        big = x[np.arange(BATCH) % len(x)]
        def timed(rows):
            t = time.perf_counter()
            booster.inplace_predict(rows)
            return time.perf_counter() - t
        best = min(timed(big) for _ in range(3))
        single = [timed(x[i % len(x):i % len(x) + 1]) for i in range(SINGLES)]
        rows.append({"dataset": ours["dataset"], "trees": booster.num_boosted_rounds(), "features": ours["features"],
                     "ours_batch_s": ours["batch_s"], "xgb_batch_s": best,
                     "ours_single_us": ours["single_row_us"], "xgb_single_us": statistics.median(single) * 1e6})
    return rows, xgboost.__version__


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("datasets", nargs="*", default=DATASETS)
    ap.add_argument("--budget", type=float, default=10)
    ap.add_argument("--peers", default="xgboost,lightgbm,autogluon")
    ap.add_argument("--out")
    ap.add_argument("--skip-same-trees", action="store_true")
    args = ap.parse_args()
    peers = [p for p in args.peers.split(",") if p]
    stamp = time.strftime("%Y-%m-%d")
    print(f"# predict_vs_peers.py, {stamp}, budget {args.budget:g} s, peers {', '.join(peers)}\n")

    if not args.skip_same_trees:
        rows, version = same_trees(args.datasets)
        print(f"## Same trees: MLForge's tree walk against xgboost-python {version} inplace_predict (2 threads)\n")
        print("| dataset | rounds | features | 10k rows: MLForge ms | xgboost ms | ratio | one row: MLForge µs | xgboost µs |")
        print("|---|---|---|---|---|---|---|---|")
        for r in rows:
            print(f"| {r['dataset']} | {r['trees']} | {r['features']} | {r['ours_batch_s'] * 1e3:.1f} | {r['xgb_batch_s'] * 1e3:.1f} | "
                  f"{r['ours_batch_s'] / r['xgb_batch_s']:.2f} | {r['ours_single_us']:.0f} | {r['xgb_single_us']:.0f} |")
        ratios = [r["ours_batch_s"] / r["xgb_batch_s"] for r in rows]
        print(f"\ngeometric-mean batch time ratio MLForge / xgboost: {float(np.exp(np.mean(np.log(ratios)))):.2f}\n")

    work = Path(tempfile.mkdtemp(prefix="mlforge-predict-"))
    results = []
    for name in args.datasets:
        meta = json.loads((SHARED / name / "meta.json").read_text())
        results.append(mlforge_rows(name, meta, args.budget, work))
        for peer in peers:
            results.append(peer_rows(peer, name, meta, args.budget, work))
        print(f"  {name} done", file=sys.stderr)
    if args.out:
        with open(args.out, "w") as f:
            for r in results:
                f.write(json.dumps(r) + "\n")
    systems = ["mlforge"] + peers
    print("## Whole models (each system's own model of the dataset)\n")
    print("| dataset | test rows | " + " | ".join(f"{s} process s" for s in systems) + " | "
          + " | ".join(f"{s} file ms" for s in systems) + " | " + " | ".join(f"{s} 1 row µs" for s in systems) + " |")
    print("|---|---|" + "---|" * (3 * len(systems)))
    by = {(r["dataset"], r["peer"]): r for r in results}
    for name in args.datasets:
        rows = len(pd.read_csv(SHARED / name / "test.csv"))
        cells = []
        for key, fmt, scale in [("process_s", "{:.2f}", 1), ("predict_file_s", "{:.1f}", 1e3), ("single_row_us", "{:.0f}", 1)]:
            for s in systems:
                r = by.get((name, s), {})
                cells.append(fmt.format(r[key] * scale) if r.get("status") == "ok" else "error")
        print(f"| {name} | {rows} | " + " | ".join(cells) + " |")
    print()
    for key, label in [("process_s", "whole predict process, s"), ("predict_file_s", "in-process, test file, s"),
                       ("batch_s", "in-process, 10k rows, s"), ("single_row_us", "in-process, one row, µs")]:
        med = {s: statistics.median([by[(n, s)][key] for n in args.datasets if by.get((n, s), {}).get("status") == "ok"] or [float("nan")])
               for s in systems}
        print(f"median {label}: " + ", ".join(f"{s} {v:.4g}" for s, v in med.items()))


if __name__ == "__main__":
    main()
