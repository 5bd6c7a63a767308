#!/usr/bin/env python3
"""Self-training: `fit --unlabeled` against `fit` on the labelled rows alone, with AutoGluon's
`fit_pseudolabel` beside them, at the same budget, on the same splits.

For each classification dataset and each label fraction (5%, 10%, 25%): a seeded, stratified share of
train.csv keeps its labels; the other rows are passed as unlabeled (target column dropped). Then
  - mlforge:      `mlforge fit labelled.csv --time B`
  - mlforge+st:   `mlforge fit labelled.csv --unlabeled unlabeled.csv --time B`
  - autogluon+pl: TabularPredictor.fit(labelled, time_limit=B/2), then fit_pseudolabel(unlabeled,
                  time_limit=B/2) (AutoGluon's own pseudo-labelling; medium quality, 2 CPUs), in a
                  fresh process;
each scored on test.csv with the dataset's metric (ROC AUC binary, accuracy multiclass; meta.json).
One JSON line per run; --summary prints the tables of BENCHMARKS.md.

    swift build -c release --product mlforge
    /tmp/peers-venv/bin/python Benchmarks/scripts/selftrain_bench.py [--budget 10] [--fractions 0.05,0.1,0.25]
        [--peers mlforge,mlforge+st,autogluon+pl] [--out FILE] [DATASET_FOLDER ...]
    python3 Benchmarks/scripts/selftrain_bench.py --summary FILE
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

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
MLFORGE = ROOT / ".build/release/mlforge"
DATASETS = ["datasets/churn", "datasets/credit_data", "datasets/digits", "datasets/titanic"] + [
    f"corpus/{n}" for n in ["cell_segmentation", "chicago_taxi_tip", "cracker_brand", "dengue", "email_spam", "flchain_death",
                            "hmda_mortgage", "kershaw_pitches", "marketing_income", "mushroom", "page_blocks0", "pen_digits",
                            "phoneme", "ringnorm", "texture", "twonorm"]]

AUTOGLUON = r'''
import json, sys, time
import numpy as np, pandas as pd
from sklearn import metrics as skm
from autogluon.tabular import TabularPredictor
lab, unl, test, target, task, metric, budget, path = sys.argv[1:9]
budget = float(budget)
L, U, T = pd.read_csv(lab), pd.read_csv(unl), pd.read_csv(test)
start = time.time()
p = TabularPredictor(label=target, problem_type=task, eval_metric=metric, path=path, verbosity=0)
p.fit(L, time_limit=budget / 2, presets="medium_quality", num_cpus=2, num_gpus=0)
p.fit_pseudolabel(U, max_iter=3, time_limit=budget / 2)
fit_s = time.time() - start
P = p.predict_proba(T.drop(columns=[target]), as_multiclass=True)
y = T[target].astype(str).to_numpy()
classes = [str(c) for c in P.columns]
if task == "binary":
    pos = classes[1]
    score = float(skm.roc_auc_score((y == pos).astype(int), P.iloc[:, 1].to_numpy()))
else:
    score = float(np.mean(np.array(classes)[P.to_numpy().argmax(axis=1)] == y))
print(json.dumps({"score": score, "fit_s": fit_s}))
'''


def split(folder, fraction, seed, work):
    """Writes labelled.csv and unlabeled.csv (stratified, seeded) and returns their paths."""
    import pandas as pd
    meta = json.loads((folder / "meta.json").read_text())
    df = pd.read_csv(folder / "train.csv")
    target = meta["target"]
    labelled = df.groupby(target, group_keys=False).apply(
        lambda g: g.sample(n=max(1, int(round(len(g) * fraction))), random_state=seed))
    unlabeled = df.drop(index=labelled.index).drop(columns=[target])
    lab, unl = work / "labelled.csv", work / "unlabeled.csv"
    labelled.sample(frac=1, random_state=seed).to_csv(lab, index=False)
    unlabeled.to_csv(unl, index=False)
    return meta, lab, unl, len(labelled), len(unlabeled)


def mlforge(meta, lab, unl, test, budget, work, self_train):
    out = work / ("st" if self_train else "plain")
    args = [MLFORGE, "fit", lab, "--target", meta["target"], "--time", str(budget), "--out", out, "--no-card", "--no-learn"]
    if self_train:
        args += ["--unlabeled", unl]
    start = time.time()
    p = subprocess.run([str(a) for a in args], capture_output=True, text=True)
    fit_s = time.time() - start
    if p.returncode != 0:
        raise RuntimeError(p.stderr.strip()[-300:])
    metrics = json.loads(subprocess.run([str(MLFORGE), "evaluate", str(out), str(test), "--json"], capture_output=True, text=True).stdout)
    manifest = json.loads((out / "manifest.json").read_text())
    record = manifest.get("selfTraining") or {}
    return {"score": metrics.get(meta["metric"]), "fit_s": fit_s,
            "pseudo_labelled": sum(r["pseudoLabelledRows"] for r in record.get("rounds", []) if r.get("kept")),
            "rounds": len(record.get("rounds", []))}


def autogluon(meta, lab, unl, test, budget, work, python):
    p = subprocess.run([python, "-c", AUTOGLUON, str(lab), str(unl), str(test), meta["target"], meta["task"], meta["metric"],
                        str(budget), str(work / "ag")], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(p.stderr.strip()[-300:])
    return json.loads(p.stdout.strip().splitlines()[-1])


def summary(path):
    rows = [json.loads(l) for l in open(path)]
    fractions = sorted({r["fraction"] for r in rows})
    peers = ["mlforge", "mlforge+st", "autogluon+pl"]
    print("| labels | datasets | mlforge (labelled only) | mlforge --unlabeled | better / same / worse (vs labelled only, ±0.002) | mean gain | worst | AutoGluon fit_pseudolabel | mlforge --unlabeled beats AutoGluon |")
    print("|---|---|---|---|---|---|---|---|---|")
    for f in fractions:
        by = {}
        for r in rows:
            if r["fraction"] == f and r.get("score") is not None:
                by.setdefault(r["dataset"], {})[r["peer"]] = r["score"]
        both = [d for d, s in by.items() if "mlforge" in s and "mlforge+st" in s]
        gains = [by[d]["mlforge+st"] - by[d]["mlforge"] for d in both]
        better = sum(g > 0.002 for g in gains)
        worse = sum(g < -0.002 for g in gains)
        ag = [d for d in both if "autogluon+pl" in by[d]]
        mean = lambda xs: statistics.mean(xs) if xs else float("nan")
        print(f"| {f:.0%} | {len(both)} | {mean([by[d]['mlforge'] for d in both]):.4f} | {mean([by[d]['mlforge+st'] for d in both]):.4f} | "
              f"{better} / {len(both) - better - worse} / {worse} | {mean(gains):+.4f} | {min(gains) if gains else float('nan'):+.4f} | "
              f"{mean([by[d]['autogluon+pl'] for d in ag]):.4f} ({len(ag)}) | {sum(by[d]['mlforge+st'] > by[d]['autogluon+pl'] for d in ag)} of {len(ag)} |")
    print()
    print("| dataset | labels | labelled rows | mlforge | mlforge --unlabeled (pseudo-labelled rows kept) | AutoGluon fit_pseudolabel |")
    print("|---|---|---|---|---|---|")
    keyed = {}
    for r in rows:
        keyed.setdefault((r["dataset"], r["fraction"]), {})[r["peer"]] = r
    for (d, f), s in sorted(keyed.items()):
        cell = lambda p: "—" if p not in s or s[p].get("score") is None else f"{s[p]['score']:.4f}"
        st = cell("mlforge+st") + (f" ({s['mlforge+st'].get('pseudo_labelled', 0)})" if "mlforge+st" in s and s["mlforge+st"].get("score") is not None else "")
        labelled = next(iter(s.values())).get("labelled_rows")
        print(f"| {d} | {f:.0%} | {labelled} | {cell('mlforge')} | {st} | {cell('autogluon+pl')} |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--budget", type=float, default=10)
    ap.add_argument("--fractions", default="0.05,0.1,0.25")
    ap.add_argument("--peers", default="mlforge,mlforge+st,autogluon+pl")
    ap.add_argument("--python", default="/tmp/peers-venv/bin/python")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=str(ROOT / "Benchmarks/results/selftrain.jsonl"))
    ap.add_argument("--summary")
    ap.add_argument("datasets", nargs="*")
    args = ap.parse_args()
    if args.summary:
        summary(args.summary)
        return
    for name in args.datasets or DATASETS:
        folder = SHARED / name
        for fraction in [float(x) for x in args.fractions.split(",")]:
            with tempfile.TemporaryDirectory(prefix="selftrain-") as tmp:
                work = Path(tmp)
                meta, lab, unl, n_lab, n_unl = split(folder, fraction, args.seed, work)
                test = folder / "test.csv"
                for peer in args.peers.split(","):
                    row = {"dataset": folder.name, "fraction": fraction, "peer": peer, "budget": args.budget,
                           "labelled_rows": n_lab, "unlabeled_rows": n_unl, "metric": meta["metric"]}
                    try:
                        if peer == "autogluon+pl":
                            row.update(autogluon(meta, lab, unl, test, args.budget, work, args.python))
                        else:
                            row.update(mlforge(meta, lab, unl, test, args.budget, work, peer == "mlforge+st"))
                    except Exception as e:  # recorded, and the run goes on
                        row["error"] = str(e)
                    with open(args.out, "a") as f:
                        f.write(json.dumps(row) + "\n")
                    print(f"{folder.name:18} {fraction:4.0%} {peer:13} {row.get('score')} {row.get('error', '')}", flush=True)


if __name__ == "__main__":
    main()
