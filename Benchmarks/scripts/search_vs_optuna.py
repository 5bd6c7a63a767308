#!/usr/bin/env python3
"""MLForge's search strategies against Optuna's samplers on standard test functions, in one run.

Usage (from the repository root):
    swift build -c release --product mlforge-bench
    python3 -m venv /tmp/mlf-venv && /tmp/mlf-venv/bin/pip install optuna
    /tmp/mlf-venv/bin/python Benchmarks/scripts/search_vs_optuna.py --seeds 30

Functions and budgets (trials per run): Branin (60), Hartmann-6 (100), Rosenbrock in 10-D on
[-2.048, 2.048] (100), and a mixed toy (60) with a log-scale float, ints, a categorical and two parameters
that exist only when optimizer = sgd (defined by run in Optuna, by condition in MLForge). Every strategy
runs each function with seeds 0..N-1; the table shows the median over seeds of the best value found
(lower is better), and the mean time to propose one trial ("ask").
"""
import argparse, json, math, os, statistics, subprocess, sys, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

def branin(t):
    x1, x2 = t.suggest_float("x1", -5, 10), t.suggest_float("x2", 0, 15)
    b, c, s = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - s) * math.cos(x1) + 10

ALPHA = [1.0, 1.2, 3.0, 3.2]
A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P = [[v * 1e-4 for v in row] for row in [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
                                         [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]]

def hartmann6(t):
    x = [t.suggest_float(f"x{i}", 0, 1) for i in range(6)]
    return -sum(ALPHA[i] * math.exp(-sum(A[i][j] * (x[j] - P[i][j]) ** 2 for j in range(6))) for i in range(4))

def rosenbrock10(t):
    x = [t.suggest_float(f"x{i}", -2.048, 2.048) for i in range(10)]
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(9))

def mixed_toy(t):
    lr = t.suggest_float("lr", 1e-4, 1, log=True)
    layers = t.suggest_int("layers", 1, 8)
    t.suggest_int("units", 16, 1024, log=True)
    dropout = t.suggest_float("dropout", 0, 0.5)
    opt = t.suggest_categorical("optimizer", ["sgd", "adam", "rmsprop"])
    loss = (math.log10(lr) + 2) ** 2 + 0.1 * (layers - 3) ** 2 + dropout
    if opt == "sgd":
        momentum = t.suggest_float("momentum", 0, 0.99)
        t.suggest_categorical("nesterov", ["yes", "no"])
        loss += (momentum - 0.9) ** 2
    else:
        loss += 0.3
    t.suggest_int("batch", 16, 256, step=16)
    return loss

PROBLEMS = {"branin": (branin, 60), "hartmann6": (hartmann6, 100), "rosenbrock10": (rosenbrock10, 100), "mixed_toy": (mixed_toy, 60)}
OPTIMA = {"branin": 0.397887, "hartmann6": -3.32237, "rosenbrock10": 0.0, "mixed_toy": 0.0}

def run_optuna(seeds):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    samplers = {
        "optuna-random": lambda s: optuna.samplers.RandomSampler(seed=s),
        "optuna-tpe": lambda s: optuna.samplers.TPESampler(seed=s),
        "optuna-tpe-multivariate": lambda s: optuna.samplers.TPESampler(seed=s, multivariate=True, group=True),
    }
    rows = []
    for fname, (f, trials) in PROBLEMS.items():
        for sname, make in samplers.items():
            for seed in range(seeds):
                study = optuna.create_study(sampler=make(seed))
                ask = 0.0
                for _ in range(trials):
                    t0 = time.perf_counter()
                    trial = study.ask()
                    value = f(trial)  # parameters are sampled inside suggest_*, so time them with the ask
                    ask += time.perf_counter() - t0
                    study.tell(trial, value)
                rows.append({"function": fname, "strategy": sname, "seed": seed, "best": study.best_value, "ask_ms": ask / trials * 1000})
    return rows, optuna.__version__

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=30)
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "mlforge-bench"))
    args = ap.parse_args()
    out = subprocess.run([args.binary, "search", "--seeds", str(args.seeds)], check=True, capture_output=True, text=True).stdout
    rows = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
    theirs, version = run_optuna(args.seeds)
    rows += theirs
    strategies = list(dict.fromkeys(r["strategy"] for r in rows))
    print(f"Optuna {version}; {args.seeds} seeds; median best value (lower is better), mean ask time in ms")
    print()
    print("| strategy | " + " | ".join(f"{f} ({PROBLEMS[f][1]} trials)" for f in PROBLEMS) + " | mean ask ms |")
    print("|---|" + "---:|" * (len(PROBLEMS) + 1))
    for s in strategies:
        cells, asks = [], []
        for f in PROBLEMS:
            rs = [r for r in rows if r["function"] == f and r["strategy"] == s]
            cells.append(f"{statistics.median(r['best'] for r in rs):.4g}")
            asks += [r["ask_ms"] for r in rs]
        print(f"| {s} | " + " | ".join(cells) + f" | {statistics.mean(asks):.3f} |")
    print()
    print("Known optima: " + ", ".join(f"{f} {v}" for f, v in OPTIMA.items()))

if __name__ == "__main__":
    main()
