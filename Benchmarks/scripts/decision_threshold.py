#!/usr/bin/env python3
"""The decision threshold of a ranking metric, measured on the same fits: every binary dataset whose
metric is roc_auc is fitted once at the budget (`--no-learn --no-card`), its test rows predicted with
`--proba`, and the test accuracy and balanced accuracy are computed twice from that one prediction —
deciding at p > 0.5 (the more probable class) and by the model's labels (its `decisionThreshold`, when
the fit placed one). Paired, so the search's noise does not enter the difference.

    python3 Benchmarks/scripts/decision_threshold.py --data DIR --binary .build/release/mlforge \\
        --out results.jsonl [--budget 10] [NAME ...]
    python3 Benchmarks/scripts/decision_threshold.py --summary results.jsonl

DIR holds dataset folders (train.csv, test.csv, meta.json); without names, every roc_auc dataset in it.
Standard library only.
"""
import argparse
import csv
import json
import os
import shutil
import subprocess
import tempfile
import time


def accuracy(pred, truth):
    return sum(a == b for a, b in zip(pred, truth)) / len(truth)


def balanced(pred, truth, classes):
    recalls = []
    for c in classes:
        idx = [i for i, t in enumerate(truth) if t == c]
        if idx:
            recalls.append(sum(pred[i] == c for i in idx) / len(idx))
    return sum(recalls) / len(recalls)


def run(args):
    names = args.names or sorted(n for n in os.listdir(args.data)
                                 if os.path.isfile(os.path.join(args.data, n, 'meta.json'))
                                 and json.load(open(os.path.join(args.data, n, 'meta.json'))).get('metric') == 'roc_auc')
    scratch = tempfile.mkdtemp(prefix='mlforge-threshold-')
    with open(args.out, 'a') as out:
        for name in names:
            d = os.path.join(args.data, name)
            meta = json.load(open(os.path.join(d, 'meta.json')))
            model, predictions = os.path.join(scratch, name), os.path.join(scratch, name + '.csv')
            started = time.time()
            fit = subprocess.run([args.binary, 'fit', os.path.join(d, 'train.csv'), '--target', meta['target'],
                                  '--time', str(args.budget), '--no-learn', '--no-card', '--out', model],
                                 capture_output=True, text=True)
            if fit.returncode:
                print(name, 'fit failed:', fit.stderr[-300:])
                continue
            predict = subprocess.run([args.binary, 'predict', model, os.path.join(d, 'test.csv'), '--proba', '--out', predictions],
                                     capture_output=True, text=True)
            if predict.returncode:
                print(name, 'predict failed:', predict.stderr[-300:])
                continue
            rows = list(csv.reader(open(predictions)))
            classes = [h[2:] for h in rows[0][1:]]
            labels = [r[0] for r in rows[1:]]
            at_half = [classes[1] if float(r[2]) > 0.5 else classes[0] for r in rows[1:]]
            truth = [r[meta['target']] for r in csv.DictReader(open(os.path.join(d, 'test.csv')))]
            placed = json.load(open(os.path.join(model, 'manifest.json'))).get('decisionThreshold')
            record = dict(dataset=name, rows=meta.get('rows'), threshold=placed and placed['threshold'],
                          acc05=accuracy(at_half, truth), acc=accuracy(labels, truth),
                          bacc05=balanced(at_half, truth, classes), bacc=balanced(labels, truth, classes),
                          val_before=placed and placed['accuracyBefore'], val_after=placed and placed['accuracyAfter'],
                          fit_s=round(time.time() - started, 2))
            out.write(json.dumps(record) + '\n')
            out.flush()
            print(json.dumps(record), flush=True)
            shutil.rmtree(model, ignore_errors=True)
    shutil.rmtree(scratch, ignore_errors=True)


def summary(path):
    rs = [json.loads(line) for line in open(path)]
    placed = [r for r in rs if r['threshold'] is not None]
    print('| dataset | rows | threshold | validation accuracy 0.5 → threshold | test accuracy 0.5 → threshold | test balanced accuracy |')
    print('|---|---|---|---|---|---|')
    for r in placed:
        print(f"| {r['dataset']} | {r['rows']} | {r['threshold']:.3f} | {r['val_before']:.4f} → {r['val_after']:.4f} | "
              f"{r['acc05']:.4f} → {r['acc']:.4f} | {r['bacc05']:.4f} → {r['bacc']:.4f} |")
    d = [r['acc'] - r['acc05'] for r in placed]
    better, worse = sum(x > 1e-12 for x in d), sum(x < -1e-12 for x in d)
    print(f"\n{len(rs)} datasets, a threshold placed on {len(placed)}; test accuracy better / same / worse: "
          f"{better} / {len(d) - better - worse} / {worse}; mean {sum(d) / max(1, len(d)):+.4f} where placed, "
          f"{sum(d) / len(rs):+.4f} over all; balanced accuracy {sum(r['bacc'] - r['bacc05'] for r in placed) / max(1, len(placed)):+.4f} where placed")
    single = lambda key: sum(abs(r[key] - 0.5) < 1e-9 for r in rs)
    print(f"one class predicted for every test row (balanced accuracy 0.5): {single('bacc05')} at 0.5, {single('bacc')} by the threshold")


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--data')
    p.add_argument('--binary', default='.build/release/mlforge')
    p.add_argument('--budget', type=float, default=10)
    p.add_argument('--out')
    p.add_argument('--summary')
    p.add_argument('names', nargs='*')
    a = p.parse_args()
    if a.summary:
        summary(a.summary)
    else:
        if not (a.data and a.out):
            p.error('--data and --out are needed to run (or --summary FILE)')
        run(a)
