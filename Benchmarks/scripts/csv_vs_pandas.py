#!/usr/bin/env python3
"""CSV loading: MLForge's reader against pandas.read_csv, side by side in one run.

Usage (from the repository root):
    swift build -c release --product mlforge-bench
    python3 -m venv /tmp/mlf-venv && /tmp/mlf-venv/bin/pip install pandas numpy
    /tmp/mlf-venv/bin/python Benchmarks/scripts/csv_vs_pandas.py --repeat 5

Each load runs in a fresh process, so peak RSS (VmHWM) is the process's own; the load time is measured
inside the process around the read call only (interpreter start-up and imports are not counted).
The 1,000,000-row x 20-column mixed-type file is generated once (seeded) under --workdir.
"""
import argparse, json, os, subprocess, statistics, sys, textwrap

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))

def generate(path, rows=1_000_000, seed=7):
    import numpy as np
    import pandas as pd
    rng = np.random.default_rng(seed)
    cols = {}
    for k in range(8):
        x = rng.normal(loc=k * 10, scale=3 + k, size=rows).round(4)
        cols[f"f{k}"] = x
    for k in range(4):
        cols[f"i{k}"] = rng.integers(0, 10 ** (k + 2), size=rows)
    words = ["red", "green", "blue", "yellow", "black", "white", "orange", "purple"]
    cols["color"] = rng.choice(words, size=rows)
    cols["city"] = rng.choice([f"city_{i:04d}" for i in range(1500)], size=rows)
    cols["grade"] = rng.choice(["A", "B", "C", "D"], size=rows, p=[0.4, 0.3, 0.2, 0.1])
    cols["label"] = rng.choice(["yes", "no"], size=rows)
    cols["comment"] = rng.choice(["ok", "late, but fine", "said \"no\"", "n/a", "great"], size=rows)
    cols["flag"] = rng.choice(["true", "false"], size=rows)
    a = rng.normal(size=rows).round(3).astype(object)
    a[rng.random(rows) < 0.1] = None
    cols["m0"] = a
    b = rng.choice(["x", "y", "z"], size=rows).astype(object)
    b[rng.random(rows) < 0.2] = None
    cols["m1"] = b
    pd.DataFrame(cols).to_csv(path + ".tmp", index=False)
    os.replace(path + ".tmp", path)

PANDAS_CHILD = textwrap.dedent("""
    import sys, time, json
    import pandas as pd
    t = time.perf_counter()
    df = pd.read_csv(sys.argv[1])
    dt = time.perf_counter() - t
    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]
    print(json.dumps({"seconds": dt, "rows": len(df), "cols": df.shape[1], "peak_rss_mb": int(hwm) / 1024}))
""")

def run_pandas(python, path):
    out = subprocess.run([python, "-c", PANDAS_CHILD, path], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)

def run_mlforge(binary, path, serial=False):
    out = subprocess.run([binary, "csv", path] + (["--serial"] if serial else []), check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--workdir", default="/tmp/mlforge-bench")
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "mlforge-bench"))
    ap.add_argument("--datasets", default=os.path.join(ROOT, "..", "shared", "datasets"))
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    big = os.path.join(args.workdir, "mixed_1m_x20.csv")
    if not os.path.exists(big):
        print(f"generating {big} ...", file=sys.stderr)
        generate(big)
    files = [("diamonds/train.csv", os.path.join(args.datasets, "diamonds", "train.csv")), ("mixed 1M x 20", big)]
    import pandas
    print(f"pandas {pandas.__version__}; median of {args.repeat} interleaved runs; peak RSS is the maximum over runs")
    print()
    print("| file | size MB | rows | MLForge s (2 threads) | MLForge s (1 thread) | pandas s | ratio 2T | ratio 1T | MLForge peak RSS MB | pandas peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, path in files:
        ours, serial, theirs = [], [], []
        for _ in range(args.repeat):  # interleaved, so all see the same machine state
            ours.append(run_mlforge(args.binary, path))
            serial.append(run_mlforge(args.binary, path, serial=True))
            theirs.append(run_pandas(sys.executable, path))
        assert ours[0]["rows"] == theirs[0]["rows"], (ours[0], theirs[0])
        t_o = statistics.median(r["seconds"] for r in ours)
        t_s = statistics.median(r["seconds"] for r in serial)
        t_p = statistics.median(r["seconds"] for r in theirs)
        m_o = max(r["peak_rss_mb"] for r in ours + serial)
        m_p = max(r["peak_rss_mb"] for r in theirs)
        size = os.path.getsize(path) / 1e6
        print(f"| {label} | {size:.1f} | {ours[0]['rows']} | {t_o:.3f} | {t_s:.3f} | {t_p:.3f} | {t_o / t_p:.2f} | {t_s / t_p:.2f} | {m_o:.0f} | {m_p:.0f} |")

if __name__ == "__main__":
    main()
