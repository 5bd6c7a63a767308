#!/usr/bin/env python3
"""MLForge's `fit` on every shared dataset, in the format of ../shared/bench/peers.py, so that
../shared/bench/summarize.py can rank it beside FLAML, AutoGluon, LightGBM, XGBoost and scikit-learn.

Each dataset: `mlforge fit train.csv --target T --time BUDGET --metric M` (M is the dataset's metric
from meta.json, the one peers.py gives FLAML and AutoGluon) as a whole process (CSV loading,
search, ensemble, refit and saving the model folder included: that wall time is fit_s), then
`mlforge predict MODEL test.csv --proba` (predict_s); the test metric is computed by peers.py's own
compute_metrics on the same label encoding. Also prints the budget check: fit_s against
1.05 × budget + 1 s.

    swift build -c release --product mlforge
    /tmp/peers-venv/bin/python Benchmarks/scripts/automl_vs_peers.py --budget 10 --out /tmp/mlforge-b10.jsonl
    python3 ../shared/bench/summarize.py /tmp/peers-b10.jsonl /tmp/mlforge-b10.jsonl
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT.parent / "shared" / "bench"))
import peers  # noqa: E402  (compute_metrics, encode_labels: the peers' own scoring)


def run(cmd):
    """Runs a process; returns (status, wall seconds, its peak RSS in MB, stderr, stdout)."""
    timed = ["/usr/bin/time", "-f", "MLFORGE_MAXRSS_KB %M"] + cmd if os.path.exists("/usr/bin/time") else cmd
    start = time.perf_counter()
    proc = subprocess.run(timed, capture_output=True, cwd=ROOT)
    wall = time.perf_counter() - start
    err = proc.stderr.decode(errors="replace")
    rss = None
    lines = err.rstrip().splitlines()
    if lines and lines[-1].startswith("MLFORGE_MAXRSS_KB "):
        rss = int(lines[-1].split()[1]) / 1024
        err = "\n".join(lines[:-1])
    return proc.returncode, wall, rss, err, proc.stdout.decode(errors="replace")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "datasets"))
    ap.add_argument("--budget", type=float, default=10)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--fit-args", default="", help="extra arguments for `mlforge fit`, e.g. \"--prior none --no-learn\"")
    ap.add_argument("--variant", default=None, help="the rows' variant name (summarize.py shows mlforge:VARIANT)")
    ap.add_argument("--binary", default=str(ROOT / ".build/release/mlforge"),
                    help="the mlforge executable (a copy, so that a rebuild during the run does not change it)")
    ap.add_argument("datasets", nargs="*")
    args = ap.parse_args()
    binary = Path(args.binary)
    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout.strip()
    folders = [Path(p) for p in peers.discover_datasets([args.data])]
    if args.datasets:
        folders = [f for f in folders if f.name in args.datasets]
    work = Path(tempfile.mkdtemp(prefix="mlforge-peers-"))
    print(f"| dataset | metric | MLForge | fit s (budget {args.budget:g} s) | within 1.05 × budget + 1 s |")
    print("|---|---|---|---|---|")
    with open(args.out, "a") as sink:
        for folder in folders:
            meta = peers.read_meta(str(folder))
            target, task = meta["target"], meta["task"]
            model = work / meta["name"]
            pred = work / f"{meta['name']}.csv"
            line = {"dataset": meta["name"], "peer": "mlforge", "peer_version": version, "budget": args.budget,
                    "metric_name": meta["metric"], "metric": None, "secondary": {}, "fit_s": None,
                    "predict_s": None, "peak_rss_mb": None, "status": "error", "error": None}
            if args.variant:
                line["variant"] = args.variant
            status, fit_s, rss, err, _ = run([str(binary), "fit", str(folder / "train.csv"), "--target", target,
                                              "--time", str(args.budget), "--task", task, "--metric", meta["metric"],
                                              "--seed", str(args.seed),
                                              "--out", str(model)] + args.fit_args.split())
            line["fit_s"], line["peak_rss_mb"] = fit_s, rss
            manifest = model / "manifest.json"
            if status == 0 and manifest.exists():
                # The known datasets that lent configurations (issue 17's stream: were earlier fits used?).
                line["prior_neighbours"] = (json.loads(manifest.read_text()).get("prior") or {}).get("neighbours")
            if status != 0:
                line["error"] = err.strip().splitlines()[-1] if err.strip() else f"exit {status}"
            else:
                status, predict_s, _, err, _ = run([str(binary), "predict", str(model), str(folder / "test.csv"),
                                                    "--proba", "--out", str(pred)])
                line["predict_s"] = predict_s
                if status != 0:
                    line["error"] = err.strip()
                else:
                    _, y_tr, _, y_te, _, _ = peers.load_dataset(str(folder), meta)
                    # peers.py drops test rows without a target; so do we (we predicted every row).
                    raw = pd.read_csv(folder / "test.csv", dtype=str, keep_default_na=True)[target]
                    keep = (pd.to_numeric(raw, errors="coerce") if task == "regression" else raw).notna().to_numpy()
                    p = pd.read_csv(pred, dtype=str, keep_default_na=False).loc[keep].reset_index(drop=True)
                    if task == "regression":
                        y = y_te.to_numpy(float)
                        P = p[target].astype(float).to_numpy()
                    else:
                        _, y, classes = peers.encode_labels(y_tr, y_te, meta)
                        columns = {c[2:]: c for c in p.columns if c.startswith("p_")}
                        P = np.stack([p[columns[str(c)]].astype(float).to_numpy() if str(c) in columns
                                      else np.zeros(len(p)) for c in classes], axis=1)
                    value, secondary = peers.compute_metrics(task, meta["metric"], y, P)
                    line.update(metric=value, secondary=secondary, status="ok")
            sink.write(json.dumps(line) + "\n")
            sink.flush()
            limit = 1.05 * args.budget + 1
            shown = f"{line['metric']:.4f}" if line["metric"] is not None else f"error: {line['error']}"
            print(f"| {meta['name']} | {meta['metric']} | {shown} | {fit_s:.2f} | {'yes' if fit_s <= limit else 'NO'} |", flush=True)


if __name__ == "__main__":
    main()
