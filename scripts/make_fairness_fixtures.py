#!/usr/bin/env python3
"""Reference group figures for the model card's tests (Tests/TransparencyTests/FairnessReferenceTests.swift).

Seeded synthetic binary predictions (500 rows, three groups of different sizes and base rates, no
probability exactly 0.5), and fairlearn's MetricFrame per group — selection rate, true- and false-positive
rates, accuracy, ROC AUC (scikit-learn's) — with its demographic-parity and equalized-odds differences.
The predicted label is the more probable class, as MLForge's.

    python3 -m venv /tmp/fair-venv && /tmp/fair-venv/bin/pip install fairlearn
    /tmp/fair-venv/bin/python scripts/make_fairness_fixtures.py Sources/TestSupport/Fixtures/fairness_references.json

Made with fairlearn 0.15.0, scikit-learn 1.9.1.
"""
import json
import sys

import fairlearn
import numpy as np
import sklearn
from fairlearn.metrics import (MetricFrame, demographic_parity_difference, equalized_odds_difference,
                               false_positive_rate, selection_rate, true_positive_rate)
from sklearn.metrics import accuracy_score, roc_auc_score


def main(out):
    rng = np.random.default_rng(1912)
    n = 500
    group = rng.choice(["a", "b", "c"], size=n, p=[0.5, 0.3, 0.2])
    base = {"a": 0.3, "b": 0.5, "c": 0.7}
    y = (rng.random(n) < np.vectorize(base.get)(group)).astype(int)
    shift = {"a": -0.1, "b": 0.0, "c": 0.15}
    logit = 1.5 * (2 * y - 1) + np.vectorize(shift.get)(group) * 4 + rng.normal(size=n) * 1.5
    p = 1 / (1 + np.exp(-logit))
    p[np.isclose(p, 0.5)] = 0.51
    pred = (p > 0.5).astype(int)
    frame = MetricFrame(metrics={"selection_rate": selection_rate, "tpr": true_positive_rate,
                                 "fpr": false_positive_rate, "accuracy": accuracy_score},
                        y_true=y, y_pred=pred, sensitive_features=group)
    auc = {g: roc_auc_score(y[group == g], p[group == g]) for g in ["a", "b", "c"]}
    by = frame.by_group
    fixture = {
        "versions": {"fairlearn": fairlearn.__version__, "scikit-learn": sklearn.__version__},
        "group": group.tolist(), "y": y.tolist(), "p": p.tolist(),
        "groups": {g: {**{k: float(by.loc[g, k]) for k in by.columns}, "roc_auc": auc[g], "count": int((group == g).sum())}
                   for g in ["a", "b", "c"]},
        "demographic_parity_difference": float(demographic_parity_difference(y, pred, sensitive_features=group)),
        "equalized_odds_difference": float(equalized_odds_difference(y, pred, sensitive_features=group)),
    }
    with open(out, "w") as f:
        json.dump(fixture, f)
    print("wrote", out)


if __name__ == "__main__":
    main(sys.argv[1])
