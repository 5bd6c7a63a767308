#!/usr/bin/env python3
"""Optuna's RDB storage on a PostgreSQL server: the same fake-trial throughput as `mlforge-bench store`.

Each run of this script is one worker process (Optuna's storage is shared by processes: the GIL serialises
threads); store_scaling.py starts as many as it measures.

    python optuna_rdb.py URL --study NAME --trials N [--mode ask|claim] [--fake-ms F] [--create] [--start-at T]

--create makes the study (and with --mode claim queues N trials with enqueue_trial); workers then load it.
Prints one JSON line: trials, seconds, trials/s and ask / tell latency percentiles (ms).
"""
import argparse, json, sys, time

import optuna
from optuna.distributions import FloatDistribution

optuna.logging.set_verbosity(optuna.logging.WARNING)
parser = argparse.ArgumentParser()
parser.add_argument("url")
parser.add_argument("--study", required=True)
parser.add_argument("--trials", type=int, default=1000)
parser.add_argument("--mode", choices=["ask", "claim"], default="ask")
parser.add_argument("--fake-ms", type=int, default=0)
parser.add_argument("--seed", type=int, default=1)
parser.add_argument("--create", action="store_true")
parser.add_argument("--start-at", type=float, default=None, help="seconds since 1970: start the loop then (with other processes)")
args = parser.parse_args()
url = args.url.replace("postgresql://", "postgresql+psycopg2://", 1)
storage = optuna.storages.RDBStorage(url, engine_kwargs={"pool_size": 1})
dist = {"x": FloatDistribution(-5, 5), "y": FloatDistribution(-5, 5)}
if args.create:
    study = optuna.create_study(study_name=args.study, storage=storage, sampler=optuna.samplers.RandomSampler(seed=0))
    if args.mode == "claim":
        for i in range(args.trials):
            study.enqueue_trial({"x": (i % 100) / 10 - 5, "y": 0.0})
    sys.exit(0)
study = optuna.load_study(study_name=args.study, storage=storage, sampler=optuna.samplers.RandomSampler(seed=args.seed))
asks, tells = [], []
if args.start_at:
    time.sleep(max(0.0, args.start_at - time.time()))
start = time.perf_counter()
for _ in range(args.trials):
    t0 = time.perf_counter()
    trial = study.ask(dist)
    asks.append(time.perf_counter() - t0)
    if args.fake_ms:
        time.sleep(args.fake_ms / 1000)
    x, y = trial.params["x"], trial.params["y"]
    t1 = time.perf_counter()
    study.tell(trial, x * x + y * y)
    tells.append(time.perf_counter() - t1)
elapsed = time.perf_counter() - start
asks.sort(); tells.sort()
pct = lambda v, p: v[min(len(v) - 1, int(len(v) * p))] * 1000 if v else float("nan")
print(json.dumps({"system": "optuna", "mode": args.mode, "trials": len(tells), "seconds": elapsed,
                  "trials_per_s": len(tells) / elapsed, "end": time.time(), "ask_p50_ms": pct(asks, 0.5), "ask_p99_ms": pct(asks, 0.99),
                  "tell_p50_ms": pct(tells, 0.5), "tell_p99_ms": pct(tells, 0.99)}, sort_keys=True))
