#!/usr/bin/env python3
"""Reference scores for the learner comparison test (Tests/LearnersTests/ReferenceTests.swift).

For every dataset in ../shared/datasets, fits scikit-learn's and xgboost-python's counterpart of each
MLForge learner family with the same hyperparameters as the family's defaults, on train.csv, and
scores test.csv with the dataset's metric (ROC AUC, accuracy or R²). Preprocessing mirrors MLForge's:
median imputation with missing indicators, one-hot encoding with rare levels (< 5) pooled, target
encoding above 16 levels, standardisation (trees: raw numbers with NaN left in, no scaling).

    python3 scripts/make_learner_references.py ../shared/datasets \
        Sources/TestSupport/Fixtures/learner_references.json

Needs: pandas, scikit-learn, xgboost (pip install xgboost-cpu).
"""
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
import xgboost
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, r2_score, roc_auc_score
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler, TargetEncoder


SEEDS = [0, 1, 2]


def mlp_epochs(rows, batch=128):
    """MLPLearner.defaults: enough epochs for about 2,000 steps, 20 to 200."""
    return min(200, max(20, 2000 * batch // max(1, rows)))


def preprocess(train, test, target, dense):
    cats = [c for c in train.columns if c != target and not pd.api.types.is_numeric_dtype(train[c])]
    nums = [c for c in train.columns if c != target and c not in cats]
    nums = [c for c in nums if train[c].nunique(dropna=True) > 1]
    low = [c for c in cats if train[c].value_counts()[lambda s: s >= 5].size + 1 <= 16]
    high = [c for c in cats if c not in low]
    onehot = make_pipeline(
        SimpleImputer(strategy="constant", fill_value="__missing__"),
        OneHotEncoder(min_frequency=5, handle_unknown="infrequent_if_exist", sparse_output=False),
    )
    if dense:
        num = make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler())
    else:
        num = "passthrough"
    parts = [("num", num, nums), ("low", onehot, low)]
    if high:
        tenc = make_pipeline(SimpleImputer(strategy="constant", fill_value="__missing__"), TargetEncoder(random_state=0))
        parts.append(("high", make_pipeline(tenc, StandardScaler()) if dense else tenc, high))
    return ColumnTransformer(parts)


def score(meta, model, x, y):
    if meta["metric"] == "roc_auc":
        return roc_auc_score(y, model.predict_proba(x)[:, 1])
    if meta["metric"] == "accuracy":
        return accuracy_score(y, model.predict(x))
    return r2_score(y, model.predict(x))


def models(meta, y_train, seed=0):
    reg = meta["task"] == "regression"
    base = float(np.mean(y_train)) if meta["task"] in ("regression", "binary") else None
    xgb_common = dict(tree_method="hist", n_jobs=2, random_state=0)
    if base is not None:
        xgb_common["base_score"] = min(max(base, 1e-6), 1 - 1e-6) if not reg else base
    rows = len(y_train)
    mlp = dict(hidden_layer_sizes=(128, 128), activation="relu", solver="adam", alpha=0.0, batch_size=128,
               learning_rate_init=1e-3, max_iter=mlp_epochs(rows), shuffle=True, random_state=seed, tol=0.0,
               n_iter_no_change=10_000)
    if reg:
        return {
            "xgboost": (False, xgboost.XGBRegressor(n_estimators=100, learning_rate=0.3, max_depth=6, **xgb_common)),
            "random_forest": (False, xgboost.XGBRFRegressor(n_estimators=100, max_depth=6, subsample=0.8,
                                                            colsample_bynode=0.8, reg_lambda=1e-5, **xgb_common)),
            "linear": (True, Ridge(alpha=1.0)),
            "knn": (True, KNeighborsRegressor(n_neighbors=5)),
            "mlp": (True, TransformedTargetRegressor(MLPRegressor(**mlp), transformer=StandardScaler())),
        }
    return {
        "xgboost": (False, xgboost.XGBClassifier(n_estimators=100, learning_rate=0.3, max_depth=6, **xgb_common)),
        "random_forest": (False, xgboost.XGBRFClassifier(n_estimators=100, max_depth=6, subsample=0.8,
                                                         colsample_bynode=0.8, reg_lambda=1e-5, **xgb_common)),
        "linear": (True, LogisticRegression(C=1.0, max_iter=10_000)),
        "knn": (True, KNeighborsClassifier(n_neighbors=5)),
        "mlp": (True, MLPClassifier(**mlp)),
    }


def main():
    root, out = Path(sys.argv[1]), Path(sys.argv[2])
    results = {}
    for folder in sorted(p for p in root.iterdir() if (p / "meta.json").exists()):
        meta = json.loads((folder / "meta.json").read_text())
        target = meta["target"]
        train = pd.read_csv(folder / "train.csv").dropna(subset=[target])
        test = pd.read_csv(folder / "test.csv").dropna(subset=[target])
        if meta["task"] == "regression":
            y_train, y_test = train[target].to_numpy(float), test[target].to_numpy(float)
        else:
            classes = sorted(train[target].unique(), key=lambda v: (float(v) if str(v).replace(".", "", 1).lstrip("-").isdigit() else 0, str(v)))
            index = {c: i for i, c in enumerate(classes)}
            y_train = train[target].map(index).to_numpy(int)
            y_test = test[target].map(index).to_numpy(int)
        row = {"test_rows": int(len(test)), "metric": meta["metric"]}
        for family, (dense, _) in models(meta, y_train).items():
            pre = preprocess(train, test, target, dense)
            x_train = pre.fit_transform(train.drop(columns=[target]), y_train)
            x_test = pre.transform(test.drop(columns=[target]))
            start = time.perf_counter()
            # Networks depend on their initial weights: their reference is the mean of three seeds.
            scores = []
            for seed in (SEEDS if family == "mlp" else [0]):
                model = models(meta, y_train, seed)[family][1]
                model.fit(x_train, y_train)
                scores.append(float(score(meta, model, x_test, y_test)))
            row[family] = round(float(np.mean(scores)), 6)
            print(f"{meta['name']:14s} {family:14s} {row[family]:.4f}  ({time.perf_counter() - start:.2f} s)", flush=True)
        results[meta["name"]] = row
    doc = {
        "generated_by": "scripts/make_learner_references.py",
        "versions": {"scikit-learn": sklearn.__version__, "xgboost": xgboost.__version__, "pandas": pd.__version__},
        "datasets": results,
    }
    out.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
