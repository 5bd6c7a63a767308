#!/usr/bin/env python3
"""MLForge's XGBoost, linear and k-NN learners against xgboost-python and scikit-learn, side by side.

Runs `mlforge-bench learners` (release build), which fits our learners with their default
configurations on shared datasets, times them, and writes the exact features it used, its test
predictions and its XGBoost model. This script then fits the Python counterparts with the same
hyperparameters on those identical features (timed the same way: fit plus test prediction, best of
--repeat), compares
predictions, and loads our saved XGBoost JSON into xgboost-python to check that it predicts the same.

    swift build -c release --product mlforge-bench
    python3 Benchmarks/scripts/learners_vs_python.py [--repeat 3] [DATASET ...]

Needs: numpy, pandas, scikit-learn, xgboost (pip install xgboost-cpu).
"""
import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
import xgboost
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, r2_score, roc_auc_score
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor

ROOT = Path(__file__).resolve().parents[2]
DATASETS = ["breast_cancer", "churn", "concrete", "credit_data", "diabetes", "diamonds", "digits",
            "glass", "iris", "penguins", "titanic", "wage", "wine"]


def feature_types(row):
    """XGBoost's feature types: "c" for the features that hold category codes (split natively by ours too)."""
    cats = set(row.get("category_features", []))
    return ["c" if i in cats else "q" for i in range(row["features"])] if cats else None


def python_model(family, metric, y, types=None):
    reg = metric == "r2"
    if family == "xgboost":
        base = float(np.mean(y)) if reg or len(np.unique(y)) <= 2 else None
        kw = dict(n_estimators=100, learning_rate=0.3, max_depth=6, tree_method="hist", n_jobs=2, random_state=0)
        if types:
            kw.update(feature_types=types, enable_categorical=True)
        if base is not None:
            kw["base_score"] = base if reg else min(max(base, 1e-6), 1 - 1e-6)
        return xgboost.XGBRegressor(**kw) if reg else xgboost.XGBClassifier(**kw)
    if family == "linear":
        return Ridge(alpha=1.0) if reg else LogisticRegression(C=1.0, max_iter=10_000)
    return KNeighborsRegressor(5) if reg else KNeighborsClassifier(5)


def score(metric, y, pred):
    if metric == "r2":
        return r2_score(y, pred)
    if metric == "accuracy":
        return accuracy_score(y, pred.argmax(axis=1))
    return roc_auc_score(y, pred[:, 1]) if pred.shape[1] == 2 else roc_auc_score(y, pred, multi_class="ovr")


def predict(model, x, reg):
    return model.predict(x) if reg else model.predict_proba(x)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("datasets", nargs="*", default=DATASETS)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    bench = ROOT / ".build/release/mlforge-bench"
    out = Path(tempfile.mkdtemp(prefix="mlforge-learners-"))
    proc = subprocess.run([str(bench), "learners", str(out), *args.datasets, "--repeat", str(args.repeat)],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    ours = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    print(f"xgboost-python {xgboost.__version__}, scikit-learn {sklearn.__version__}; best of {args.repeat} fits; 2 threads for XGBoost\n")
    print("| dataset | learner | rows × features | MLForge fit + predict s | Python fit + predict s | ratio | MLForge score | Python score | max pred. diff | Python loads our JSON: max diff |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    ratios = {}
    for row in ours:
        d = out / row["dataset"] / row["family"]
        train, test = pd.read_csv(d / "train.csv"), pd.read_csv(d / "test.csv")
        xtr, ytr = train.drop(columns="__target").to_numpy(float), train["__target"].to_numpy()
        xte, yte = test.drop(columns="__target").to_numpy(float), test["__target"].to_numpy()
        reg = row["metric"] == "r2"
        if not reg:
            ytr, yte = ytr.astype(int), yte.astype(int)
        fits = []
        for _ in range(args.repeat):
            model = python_model(row["family"], row["metric"], ytr, feature_types(row))
            t0 = time.perf_counter()
            model.fit(xtr, ytr)
            theirs = np.asarray(predict(model, xte, reg), dtype=float)
            fits.append(time.perf_counter() - t0)
        mine = pd.read_csv(d / "ours.csv").to_numpy(float)
        mine = mine[:, 0] if reg else mine
        if not reg and theirs.shape[1] < mine.shape[1]:  # a class absent from training
            mine = mine[:, : theirs.shape[1]]
        diff = float(np.max(np.abs(mine - theirs))) if mine.shape == theirs.shape else float("nan")
        loaded = "—"
        if row["family"] == "xgboost":
            booster = xgboost.Booster()
            booster.load_model(str(d / "model/booster.json"))
            types = feature_types(row)
            p = booster.predict(xgboost.DMatrix(xte, missing=np.nan, feature_types=types, enable_categorical=types is not None))
            if not reg and p.ndim == 1:
                p = np.stack([1 - p, p], axis=1)
            loaded = f"{float(np.max(np.abs(p - mine))):.1e}"
        mine_s = row["fit_s"] + row["predict_s"]
        ratio = mine_s / min(fits)
        ratios.setdefault(row["family"], []).append(ratio)
        print(f"| {row['dataset']} | {row['family']} | {row['train_rows']} × {row['features']} | {mine_s:.4f} | {min(fits):.4f} | "
              f"{ratio:.2f} | {row['score']:.4f} | {score(row['metric'], yte, theirs):.4f} | {diff:.1e} | {loaded} |")
    print()
    for family, r in ratios.items():
        print(f"{family}: geometric-mean time ratio MLForge / Python = {float(np.exp(np.mean(np.log(r)))):.2f} over {len(r)} datasets")


if __name__ == "__main__":
    main()
