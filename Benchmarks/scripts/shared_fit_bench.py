#!/usr/bin/env python3
"""Distributed fit: `mlforge fit` alone against a coordinator with 1 and 2 `mlforge worker` processes on a
shared PostgreSQL study, at the same budget, on the same machine, on the same splits.

Configurations (each process's threads in brackets; this machine has 2 cores):
  - alone-j2:  mlforge fit --jobs 2                          (one process, 2 threads)
  - alone-j1:  mlforge fit --jobs 1                          (one process, 1 thread)
  - coord+0:   mlforge fit --jobs 1 --storage … --study …    (no worker: what the shared store costs)
  - coord+1:   the same + 1 mlforge worker --jobs 1
  - coord+2:   the same + 2 workers (3 processes on 2 cores: oversubscribed)
Each final model is scored on test.csv with the dataset's metric (meta.json); from the leaderboard, the
number of trials, and the best validation score reached by 25%, 50% and 100% of the budget (the
search's best score against time). One JSON line per run; --summary prints the tables of BENCHMARKS.md.

    bash scripts/postgres-test-server start     # prints the URL
    swift build -c release --product mlforge
    python3 Benchmarks/scripts/shared_fit_bench.py --storage URL [--budget 20] [--configs …] [--out FILE] [DATASET_FOLDER ...]
    python3 Benchmarks/scripts/shared_fit_bench.py --summary FILE
"""
import argparse
import json
import statistics
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
MLFORGE = ROOT / ".build/release/mlforge"
DATASETS = [f"corpus/{n}" for n in ["kershaw_pitches", "nmes_visits", "page_blocks0", "star_kinder_math", "twonorm",
                                    "smoke_ban", "cran_check_times", "portal_rodents"]]
# (jobs, workers, shared): coord+0 is a coordinator with no worker, to show what the shared store costs.
CONFIGS = {"alone-j2": (2, 0, False), "alone-j1": (1, 0, False), "coord+0": (1, 0, True), "coord+1": (1, 1, True), "coord+2": (1, 2, True)}


def run(folder, config, budget, storage, work):
    meta = json.loads((folder / "meta.json").read_text())
    jobs, workers, shared = CONFIGS[config]
    out = work / config
    args = [MLFORGE, "fit", folder / "train.csv", "--target", meta["target"], "--time", str(budget), "--jobs", str(jobs),
            "--out", out, "--no-card", "--no-learn"]
    procs = []
    if shared:
        study = f"bench-{folder.name}-{config}-{uuid.uuid4().hex[:8]}"
        args += ["--storage", storage, "--study", study]
        procs = [subprocess.Popen([str(MLFORGE), "worker", "--storage", storage, "--study", study, "--jobs", "1"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(workers)]
    start = time.time()
    p = subprocess.run([str(a) for a in args], capture_output=True, text=True)
    fit_s = time.time() - start
    for w in procs:
        w.wait(timeout=60)
    if p.returncode != 0:
        raise RuntimeError(p.stderr.strip()[-300:])
    metrics = json.loads(subprocess.run([str(MLFORGE), "evaluate", str(out), str(folder / "test.csv"), "--json"],
                                        capture_output=True, text=True).stdout)
    entries = json.loads((out / "leaderboard.json").read_text())["entries"]
    def best_by(t):
        scores = [e["score"] for e in entries if e.get("score") is not None and e.get("finishedAt", 1e9) <= t]
        return max(scores) if scores else None
    return {"score": metrics.get(meta["metric"]), "fit_s": fit_s, "trials": len(entries),
            "complete": sum(e["state"] == "complete" for e in entries),
            "processes": len({e.get("worker") for e in entries}),
            "best_25": best_by(0.25 * budget), "best_50": best_by(0.5 * budget), "best_100": best_by(budget),
            "metric": meta["metric"], "rows": sum(1 for _ in open(folder / "train.csv")) - 1}


def summary(path):
    rows = [json.loads(l) for l in open(path)]
    by = {}
    for r in rows:
        if r.get("score") is not None:
            by.setdefault(r["dataset"], {})[r["config"]] = r
    configs = [c for c in CONFIGS if any(c in s for s in by.values())]
    mean = lambda xs: statistics.mean(xs) if xs else float("nan")
    print("| configuration | datasets | trials (mean) | test score (mean) | vs alone-j2: better / same / worse (±0.002) | mean gain vs alone-j2 | best validation by 25% / 50% / 100% of the budget (mean gain vs alone-j2) |")
    print("|---|---|---|---|---|---|---|")
    for c in configs:
        ds = [d for d, s in by.items() if c in s and "alone-j2" in s]
        gains = [by[d][c]["score"] - by[d]["alone-j2"]["score"] for d in ds]
        def curve(k):
            g = [by[d][c][k] - by[d]["alone-j2"][k] for d in ds if by[d][c].get(k) is not None and by[d]["alone-j2"].get(k) is not None]
            return f"{mean(g):+.4f}"
        print(f"| {c} | {len(ds)} | {mean([by[d][c]['trials'] for d in ds]):.0f} | {mean([by[d][c]['score'] for d in ds]):.4f} | "
              f"{sum(g > 0.002 for g in gains)} / {sum(abs(g) <= 0.002 for g in gains)} / {sum(g < -0.002 for g in gains)} | {mean(gains):+.4f} | "
              f"{curve('best_25')} / {curve('best_50')} / {curve('best_100')} |")
    print()
    print("| dataset | rows | metric | " + " | ".join(f"{c} (trials)" for c in configs) + " |")
    print("|---|---|---|" + "---|" * len(configs))
    for d, s in sorted(by.items()):
        any_row = next(iter(s.values()))
        cells = [f"{s[c]['score']:.4f} ({s[c]['trials']})" if c in s else "—" for c in configs]
        print(f"| {d} | {any_row['rows']} | {any_row['metric']} | " + " | ".join(cells) + " |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--storage")
    ap.add_argument("--budget", type=float, default=20)
    ap.add_argument("--configs", default=",".join(CONFIGS))
    ap.add_argument("--out", default=str(ROOT / "Benchmarks/results/shared-fit.jsonl"))
    ap.add_argument("--summary")
    ap.add_argument("datasets", nargs="*")
    args = ap.parse_args()
    if args.summary:
        summary(args.summary)
        return
    for name in args.datasets or DATASETS:
        folder = SHARED / name
        for config in args.configs.split(","):
            row = {"dataset": folder.name, "config": config, "budget": args.budget}
            with tempfile.TemporaryDirectory(prefix="shared-fit-") as tmp:
                try:
                    row.update(run(folder, config, args.budget, args.storage, Path(tmp)))
                except Exception as e:  # recorded, and the run goes on
                    row["error"] = str(e)
            with open(args.out, "a") as f:
                f.write(json.dumps(row) + "\n")
            print(f"{folder.name:18} {config:9} {row.get('score')} trials {row.get('trials')} {row.get('error', '')}", flush=True)


if __name__ == "__main__":
    main()
