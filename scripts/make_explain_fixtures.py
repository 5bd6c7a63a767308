#!/usr/bin/env python3
"""Reference values for the explanation tests (Tests/TransparencyTests/ExplainReferenceTests.swift).

1. TreeSHAP: three XGBoost models trained here by xgboost-python on seeded synthetic data with missing
   values (binary:logistic, multi:softprob with 3 classes, reg:squarederror; 20 rounds, depth 4), saved
   as XGBoost JSON, and shap's TreeExplainer (feature_perturbation="tree_path_dependent") on 12 rows:
   the test loads the same JSON into MLForge's FittedXGBoost and compares its contributions.
2. Permutation importance: scikit-learn's permutation_importance (100 repeats, R²) of a fixed linear
   model y = 3 a − 2 b + 0 c on 300 seeded rows; the test compares MLForge's means within their errors.

    python3 -m venv /tmp/shap-venv && /tmp/shap-venv/bin/pip install shap xgboost scikit-learn
    /tmp/shap-venv/bin/python scripts/make_explain_fixtures.py Sources/TestSupport/Fixtures/explain_references.json

Made with shap 0.51.0 (the newest on PyPI when written), xgboost 3.2.0, scikit-learn 1.9.1.
"""
import json
import sys

import numpy as np
import shap
import sklearn
import xgboost as xgb
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.inspection import permutation_importance


def tree_case(name, objective, rng, classes=None):
    n, f = 400, 4
    X = rng.normal(size=(n, f))
    X[rng.random(size=(n, f)) < 0.1] = np.nan
    z = np.nan_to_num(X[:, 0]) * 2 - np.nan_to_num(X[:, 1]) + 0.5 * np.nan_to_num(X[:, 2]) ** 2
    params = {"objective": objective, "max_depth": 4, "eta": 0.3, "seed": 7, "nthread": 1}
    if objective == "binary:logistic":
        y = (z + rng.normal(size=n) > 0).astype(float)
    elif objective == "multi:softprob":
        y = np.digitize(z + rng.normal(size=n), [-1, 1]).astype(float)
        params["num_class"] = classes
    else:
        y = z + rng.normal(size=n) * 0.3
    booster = xgb.train(params, xgb.DMatrix(X, label=y, missing=np.nan), num_boost_round=20)
    rows = X[:12]
    explainer = shap.TreeExplainer(booster, feature_perturbation="tree_path_dependent")
    values = np.asarray(explainer.shap_values(rows))
    expected = np.atleast_1d(explainer.expected_value).tolist()
    if values.ndim == 2:            # one output: rows × features
        values = values[:, None, :]
    elif values.shape[-1] == len(expected) and values.shape[1] == f:   # rows × features × classes
        values = np.transpose(values, (0, 2, 1))
    return {
        "name": name, "objective": objective, "classes": classes or 0, "features": f, "rounds": 20,
        "booster": bytearray(booster.save_raw("json")).decode(),
        "rows": [[None if np.isnan(v) else float(v) for v in r] for r in rows],
        "shap": values.tolist(),            # rows × outputs × features
        "expected": expected,               # per output
        "margin": booster.predict(xgb.DMatrix(rows, missing=np.nan), output_margin=True).reshape(12, -1).tolist(),
    }


class Linear(BaseEstimator, RegressorMixin):
    def fit(self, X, y):
        return self

    def predict(self, X):
        return 3 * X[:, 0] - 2 * X[:, 1]


def permutation_case(rng):
    X = rng.normal(size=(300, 3))
    y = 3 * X[:, 0] - 2 * X[:, 1] + rng.normal(size=300) * 0.5
    r = permutation_importance(Linear().fit(X, y), X, y, scoring="r2", n_repeats=100, random_state=0)
    return {"x": X.tolist(), "y": y.tolist(), "mean": r.importances_mean.tolist(), "std": r.importances_std.tolist(), "repeats": 100}


def main(out):
    rng = np.random.default_rng(20261204)
    fixture = {
        "versions": {"shap": shap.__version__, "xgboost": xgb.__version__, "scikit-learn": sklearn.__version__},
        "trees": [tree_case("binary", "binary:logistic", rng), tree_case("multiclass", "multi:softprob", rng, classes=3),
                  tree_case("regression", "reg:squarederror", rng)],
        "permutation": permutation_case(rng),
    }
    with open(out, "w") as f:
        json.dump(fixture, f)
    print("wrote", out)


if __name__ == "__main__":
    main(sys.argv[1])
