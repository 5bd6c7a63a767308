#!/usr/bin/env python3
"""Distillation: students against their teacher and against the same family fitted directly.

For each shared dataset (../shared/datasets), in one run:
  - the teacher: `mlforge fit train.csv --time TEACHER` (the usual ensemble);
  - for each student family S: `mlforge distill TEACHER train.csv --student S --time STUDENT` (MUNGE rows);
  - the same family fitted directly: `mlforge fit train.csv --families S --time STUDENT`;
  - for the first student family also the other samplers (resample, none), to show what MUNGE adds.
Each model is scored on test.csv (`mlforge evaluate --json`: ROC AUC for binary, accuracy for multiclass,
R² for regression — scores whose ratio to the teacher's means something) and timed in process
(`mlforge-bench predict`: a batch of 1,000 rows, per row; one row, median of 200); its size is the bytes
of its members' saved models. One JSON line per model; the summary prints the table BENCHMARKS.md shows.

    swift build -c release --product mlforge && swift build -c release --product mlforge-bench
    python3 Benchmarks/scripts/distill_bench.py [--teacher 30] [--student 15] [--families xgboost,mlp]
        [--students xgboost:resample,mlp:munge] [--speedup 10] [--no-direct]
        [--out Benchmarks/results/distill-DATE.jsonl] [DATASET ...]
    python3 Benchmarks/scripts/distill_bench.py --summary Benchmarks/results/distill-DATE.jsonl
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "datasets"
MLFORGE = ROOT / ".build/release/mlforge"
BENCH = ROOT / ".build/release/mlforge-bench"


def score_name(task):
    return {"binary": "roc_auc", "multiclass": "accuracy", "regression": "r2"}[task]


def run(args):
    p = subprocess.run([str(a) for a in args], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))}: {p.stderr.strip()[-400:]}")
    return p.stdout


def measure(folder, test, task):
    metrics = json.loads(run([MLFORGE, "evaluate", folder, test, "--json"]))
    timing = json.loads(run([BENCH, "predict", folder, test, "--repeat", "200", "--batch", "1000"]).strip().splitlines()[-1])
    size = sum(f.stat().st_size for f in (Path(folder) / "members").rglob("*") if f.is_file())
    manifest = json.loads((Path(folder) / "manifest.json").read_text())
    return {
        "score": metrics.get(score_name(task)),
        "metrics": metrics,
        "batch_us_per_row": timing["batch_s"] / timing["batch_rows"] * 1e6,
        "single_row_us": timing["single_row_us"],
        "model_bytes": size,
        "members": [m["family"] for m in manifest["members"]],
        "agreement": (manifest.get("distillation") or {}).get("agreement"),
        "synthetic_rows": (manifest.get("distillation") or {}).get("syntheticRows"),
    }


def bench(name, args, out):
    meta = json.loads((SHARED / name / "meta.json").read_text())
    train, test = SHARED / name / "train.csv", SHARED / name / "test.csv"
    target, task = meta["target"], meta["task"]
    work = Path(tempfile.mkdtemp(prefix=f"distill-{name}-"))
    common = ["--no-card", "--seed", "0"]
    try:
        teacher = work / "teacher"
        run([MLFORGE, "fit", train, "--target", target, "--time", args.teacher, "--out", teacher, "--no-learn"] + common)
        rows = [dict(dataset=name, task=task, kind="teacher", family="ensemble", sampler=None, **measure(teacher, test, task))]
        if args.students:
            plan = [(f, [x]) for f, x in (p.split(":") for p in args.students.split(","))]
        else:
            plan = [(f, ["munge", "resample", "none"] if i == 0 else ["munge"]) for i, f in enumerate(args.families.split(","))]
        speedup = ["--speedup", args.speedup] if args.speedup else []
        for family, samplers in plan:
            for sampler in samplers:
                folder = work / f"student-{family}-{sampler}"
                label = sampler + (f", {args.speedup}x faster" if args.speedup else "")
                try:
                    run([MLFORGE, "distill", teacher, train, "--student", family, "--sampler", sampler, "--time", args.student,
                         "--out", folder] + speedup + common)
                    rows.append(dict(dataset=name, task=task, kind="student", family=family, sampler=label, **measure(folder, test, task)))
                except RuntimeError as e:
                    rows.append(dict(dataset=name, task=task, kind="student", family=family, sampler=label, error=str(e)))
        for family in ([] if args.no_direct else args.families.split(",")):
            folder = work / f"direct-{family}"
            try:
                run([MLFORGE, "fit", train, "--target", target, "--families", family, "--time", args.student, "--out", folder,
                     "--no-learn"] + common)
                rows.append(dict(dataset=name, task=task, kind="direct", family=family, sampler=None, **measure(folder, test, task)))
            except RuntimeError as e:
                rows.append(dict(dataset=name, task=task, kind="direct", family=family, sampler=None, error=str(e)))
        with open(out, "a") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")
        for r in rows:
            print(f"{name:14} {r['kind']:8} {r['family']:8} {str(r['sampler']):9} score {r.get('score')}  "
                  f"{r.get('batch_us_per_row', 0):.2f} us/row  {r.get('model_bytes', 0)} B  {r.get('error', '')}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def summary(path):
    rows = [json.loads(l) for l in open(path)]
    datasets = sorted({r["dataset"] for r in rows})
    teacher = {r["dataset"]: r for r in rows if r["kind"] == "teacher"}
    keys = sorted({(r["kind"], r["family"], r["sampler"]) for r in rows if r["kind"] != "teacher"})
    print("| model | datasets | score / teacher's (mean) | min | keeps ≥ 99% | batch speed-up (median) | single-row speed-up (median) | size / teacher's (median) | beats direct fit |")
    print("|---|---|---|---|---|---|---|---|---|")
    for kind, family, sampler in keys:
        ratios, batch, single, size, wins = [], [], [], [], []
        for d in datasets:
            r = next((x for x in rows if (x["kind"], x["family"], x["sampler"], x["dataset"]) == (kind, family, sampler, d)), None)
            t = teacher.get(d)
            if not r or not t or r.get("score") is None or t.get("score") in (None, 0):
                continue
            ratios.append(r["score"] / t["score"])
            batch.append(t["batch_us_per_row"] / r["batch_us_per_row"])
            single.append(t["single_row_us"] / r["single_row_us"])
            size.append(r["model_bytes"] / t["model_bytes"])
            if kind == "student":
                direct = next((x for x in rows if (x["kind"], x["family"], x["dataset"]) == ("direct", family, d)), None)
                if direct and direct.get("score") is not None:
                    wins.append(r["score"] > direct["score"] + 1e-9)
        name = f"{kind} {family}" + (f" ({sampler})" if sampler else "")
        if not ratios:
            continue
        print(f"| {name} | {len(ratios)} | {statistics.mean(ratios):.4f} | {min(ratios):.4f} | {sum(x >= 0.99 for x in ratios)} of {len(ratios)} | "
              f"{statistics.median(batch):.1f}× | {statistics.median(single):.1f}× | {statistics.median(size):.3f} | "
              + (f"{sum(wins)} of {len(wins)}" if wins else "—") + " |")
    print()
    print("| dataset | metric | teacher | " + " | ".join(f"{k} {f}" + (f" ({s})" if s else "") for k, f, s in keys) + " |")
    print("|---|---|---|" + "---|" * len(keys))
    for d in datasets:
        t = teacher.get(d)
        if not t:
            continue
        cells = []
        for kind, family, sampler in keys:
            r = next((x for x in rows if (x["kind"], x["family"], x["sampler"], x["dataset"]) == (kind, family, sampler, d)), None)
            cells.append("—" if not r or r.get("score") is None else f"{r['score']:.4f}")
        print(f"| {d} | {score_name(t['task'])} | {t['score']:.4f} | " + " | ".join(cells) + " |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--teacher", default="30")
    parser.add_argument("--student", default="15")
    parser.add_argument("--families", default="xgboost,mlp")
    parser.add_argument("--students", help="family:sampler pairs instead of --families' (e.g. xgboost:resample,mlp:munge)")
    parser.add_argument("--speedup", help="passed to every distill: the student at least this many times faster than the teacher")
    parser.add_argument("--no-direct", action="store_true", help="skip the families fitted directly")
    parser.add_argument("--out", default=str(ROOT / "Benchmarks/results/distill.jsonl"))
    parser.add_argument("--summary")
    parser.add_argument("datasets", nargs="*")
    args = parser.parse_args()
    if args.summary:
        summary(args.summary)
        return
    names = args.datasets or sorted(p.name for p in SHARED.iterdir() if (p / "meta.json").exists())
    for name in names:
        try:
            bench(name, args, args.out)
        except RuntimeError as e:
            print(f"{name}: {e}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
