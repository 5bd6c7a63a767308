#!/usr/bin/env python3
"""The tensor engine against PyTorch (CPU, 2 threads), side by side in one run.

Usage (from the repository root):
    swift build -c release --product mlforge-bench
    python3 -m venv /tmp/mlf-venv && /tmp/mlf-venv/bin/pip install 'torch==2.13.0+cpu' numpy
    /tmp/mlf-venv/bin/python Benchmarks/scripts/tensor_vs_torch.py --rounds 3

Each round runs `mlforge-bench tensor` (the engine), `mlforge-bench tensor --only sgemm-direct` (a direct
cblas_sgemm call with OpenBLAS's own 2 threads) and the same work in PyTorch, in separate processes, one
after the other; the table shows the median over rounds of each process's median time.
"""
import argparse, json, os, statistics, subprocess, sys, textwrap

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

TORCH = textwrap.dedent("""
    import json, sys, time, torch
    torch.set_num_threads(2)
    torch.manual_seed(1)
    reps = int(sys.argv[1])
    def med(f, n):
        f(); ts = []
        for _ in range(n):
            t = time.perf_counter(); f(); ts.append(time.perf_counter() - t)
        return sorted(ts)[len(ts) // 2]
    with torch.no_grad():
        for n in (256, 512, 1024, 2048):
            a = torch.randn(n, n); b = torch.randn(n, n)
            s = med(lambda: torch.matmul(a, b), max(3, reps * 256 // n))
            print(json.dumps({"name": "sgemm", "n": n, "seconds": s}))
    mlp = torch.nn.Sequential(torch.nn.Linear(64, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
    x = torch.randn(256, 64); y = torch.arange(256) % 10
    opt = torch.optim.Adam(mlp.parameters(), lr=1e-3)
    def step():
        opt.zero_grad(); torch.nn.functional.cross_entropy(mlp(x), y).backward(); opt.step()
    print(json.dumps({"name": "mlp_step", "n": 256, "seconds": med(step, reps * 10)}))
    cnn = torch.nn.Sequential(
        torch.nn.Conv1d(1, 32, 5, padding=2), torch.nn.ReLU(), torch.nn.Conv1d(32, 32, 5, padding=2), torch.nn.ReLU(),
        torch.nn.Conv1d(32, 32, 5, padding=2), torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(32 * 40, 10))
    x2 = torch.randn(128, 1, 40); y2 = torch.arange(128) % 10
    opt2 = torch.optim.Adam(cnn.parameters(), lr=1e-3)
    def step2():
        opt2.zero_grad(); torch.nn.functional.cross_entropy(cnn(x2), y2).backward(); opt2.step()
    print(json.dumps({"name": "cnn1d_step", "n": 128, "seconds": med(step2, reps * 5)}))
    print(json.dumps({"name": "torch_version", "n": 0, "seconds": 0, "version": torch.__version__}))
""")

def lines(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return [json.loads(l) for l in out.splitlines() if l.startswith("{")]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "mlforge-bench"))
    args = ap.parse_args()
    ours, theirs, direct = {}, {}, {}
    version, kernel = "?", "?"
    for _ in range(args.rounds):
        for r in lines([args.binary, "tensor", "--repeat", str(args.repeat)]):
            if r["name"] == "blas_kernel":
                kernel = r["kernel"]; continue
            ours.setdefault((r["name"], r["n"]), []).append(r["seconds"])
        for r in lines([args.binary, "tensor", "--only", "sgemm-direct", "--repeat", str(args.repeat)]):
            if r["name"] == "blas_kernel":
                continue
            direct.setdefault(("sgemm", r["n"]), []).append(r["seconds"])
        for r in lines([sys.executable, "-c", TORCH, str(args.repeat)]):
            if r["name"] == "torch_version":
                version = r["version"]; continue
            theirs.setdefault((r["name"], r["n"]), []).append(r["seconds"])
    print(f"MLForge on OpenBLAS kernel set {kernel}; PyTorch {version}, 2 threads; median of {args.rounds} rounds (each the median of its repetitions)")
    print()
    print("| work | MLForge ms | direct BLAS ms | PyTorch ms | MLForge / BLAS | MLForge / PyTorch |")
    print("|---|---:|---:|---:|---:|---:|")
    for key in ours:
        o = statistics.median(ours[key]) * 1e3
        t = statistics.median(theirs[key]) * 1e3
        d = statistics.median(direct[key]) * 1e3 if key in direct else None
        label = f"SGEMM n={key[1]}" if key[0] == "sgemm" else {"mlp_step": "MLP 64-256-256-10 step, batch 256", "cnn1d_step": "1-D CNN step, batch 128"}[key[0]]
        dtxt = f"{d:.3f}" if d else "–"
        rb = f"{o / d:.2f} ({d / o * 100:.0f}% of BLAS speed)" if d else "–"
        print(f"| {label} | {o:.3f} | {dtxt} | {t:.3f} | {rb} | {o / t:.2f} |")

if __name__ == "__main__":
    main()
