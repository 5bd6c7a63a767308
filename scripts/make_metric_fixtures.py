#!/usr/bin/env python3
"""Writes Sources/TestSupport/Fixtures/metrics.json: metric values computed once with scikit-learn.

    python3 -m venv /tmp/mlf-venv && /tmp/mlf-venv/bin/pip install scikit-learn
    /tmp/mlf-venv/bin/python scripts/make_metric_fixtures.py

The Swift tests compare MLData's metrics against these numbers. Cases cover ties in ROC AUC, single-class
folds (where AUC is undefined: recorded as "error"), probabilities of exactly 0 and 1 in log loss, classes
never predicted (zero-division F1), a constant regression target, and a class absent from y_true.
"""
import json, os
import numpy as np
import sklearn
from sklearn import metrics as M

rng = np.random.default_rng(20261122)
cases = []

def safe(f):
    try:
        v = float(f())
        return v if np.isfinite(v) else "error"
    except ValueError:
        return "error"

def classification(name, y_true, proba, n_classes):
    y_true = np.asarray(y_true)
    proba = np.asarray(proba, dtype=float)
    y_pred = proba.argmax(axis=1)
    labels = list(range(n_classes))
    exp = {
        "accuracy": safe(lambda: M.accuracy_score(y_true, y_pred)),
        "balanced_accuracy": safe(lambda: M.balanced_accuracy_score(y_true, y_pred)),
        "log_loss": safe(lambda: M.log_loss(y_true, proba, labels=labels)),
        "f1_macro": safe(lambda: M.f1_score(y_true, y_pred, average="macro", zero_division=0)),
    }
    if n_classes == 2:
        exp["roc_auc"] = safe(lambda: M.roc_auc_score(y_true, proba[:, 1]))
        exp["f1"] = safe(lambda: M.f1_score(y_true, y_pred, pos_label=1, zero_division=0))
    else:
        exp["roc_auc_ovr_macro"] = safe(lambda: M.roc_auc_score(y_true, proba, multi_class="ovr", average="macro", labels=labels))
    cases.append({"name": name, "kind": "classification", "n_classes": n_classes,
                  "y_true": y_true.tolist(), "proba": proba.tolist(), "expected": exp})

def regression(name, y_true, y_pred):
    y_true = np.asarray(y_true, dtype=float); y_pred = np.asarray(y_pred, dtype=float)
    exp = {
        "r2": safe(lambda: M.r2_score(y_true, y_pred)),
        "rmse": safe(lambda: np.sqrt(M.mean_squared_error(y_true, y_pred))),
        "mae": safe(lambda: M.mean_absolute_error(y_true, y_pred)),
    }
    cases.append({"name": name, "kind": "regression", "y_true": y_true.tolist(), "y_pred": y_pred.tolist(), "expected": exp})

def binary_proba(p1):
    p1 = np.asarray(p1, dtype=float)
    return np.stack([1 - p1, p1], axis=1)

# Binary: random, with many ties (scores on a coarse grid).
y = rng.integers(0, 2, 200)
classification("binary_random_ties", y, binary_proba(np.clip((y * 0.3 + rng.random(200)).round(1) / 1.3, 0, 1)), 2)
# Binary: continuous scores, imbalanced.
y = (rng.random(300) < 0.15).astype(int)
classification("binary_imbalanced", y, binary_proba(1 / (1 + np.exp(-(2 * y - 1 + rng.normal(0, 1.5, 300))))), 2)
# Binary: probabilities of exactly 0 and 1, some confidently wrong.
classification("binary_hard_zero_one", [0, 1, 1, 0, 1, 0, 0, 1], binary_proba([0.0, 1.0, 0.0, 1.0, 0.7, 0.2, 0.0, 1.0]), 2)
# Binary: all scores equal (AUC 0.5 by ties).
classification("binary_all_tied", [0, 1, 0, 1, 1, 0], binary_proba([0.5] * 6), 2)
# Single-class fold: AUC undefined.
classification("binary_single_class_fold", [1, 1, 1, 1], binary_proba([0.9, 0.4, 0.6, 0.99]), 2)
# Never predicts the positive class: F1 zero division.
classification("binary_never_positive", [0, 1, 0, 1, 0], binary_proba([0.1, 0.2, 0.3, 0.4, 0.1]), 2)
# Multiclass: 4 classes, random probabilities.
k = 4
raw = rng.random((150, k)) ** 2
yk = rng.integers(0, k, 150)
raw[np.arange(150), yk] += 0.4
classification("multiclass_random", yk, raw / raw.sum(axis=1, keepdims=True), k)
# Multiclass with ties in probabilities (coarse grid) and a 0 probability.
raw = np.round(rng.random((60, 3)) * 4) + 0.0
raw[0] = [0, 0, 4]
raw[raw.sum(axis=1) == 0] = [1, 1, 1]
y3 = rng.integers(0, 3, 60)
y3[0] = 0
classification("multiclass_ties_and_zero", y3, raw / raw.sum(axis=1, keepdims=True), 3)
# Multiclass where one class never occurs in y_true (OvR AUC undefined for it).
raw = rng.random((30, 3)) + 0.1
classification("multiclass_missing_class", rng.integers(0, 2, 30), raw / raw.sum(axis=1, keepdims=True), 3)
# Regression.
yt = rng.normal(10, 3, 120)
regression("regression_random", yt, yt + rng.normal(0, 1.2, 120))
regression("regression_constant_truth_imperfect", [5.0] * 6, [5.0, 5.5, 4.0, 5.0, 6.0, 5.0])
regression("regression_constant_truth_perfect", [5.0] * 4, [5.0] * 4)
regression("regression_worse_than_mean", [1.0, 2.0, 3.0, 4.0], [4.0, 3.0, 2.0, 1.0])

out = os.path.join(os.path.dirname(__file__), "..", "Sources", "TestSupport", "Fixtures", "metrics.json")
with open(out, "w") as f:
    json.dump({"generator": f"scikit-learn {sklearn.__version__}", "cases": cases}, f, indent=1)
print(f"wrote {len(cases)} cases to {os.path.normpath(out)}")
