#!/usr/bin/env python3
"""A shared study's throughput against its number of workers: MLForge's PostgresTrialStore beside Optuna's
RDB storage on the same private PostgreSQL server, in the same run.

Usage (from the repository root):
    swift build -c release --product mlforge-bench
    python3 -m venv /tmp/mlf-venv && /tmp/mlf-venv/bin/pip install optuna psycopg2-binary
    /tmp/mlf-venv/bin/python Benchmarks/scripts/store_scaling.py [--trials 2000] [--out FILE.jsonl]

Rows:
  - real processes (1, 2, 4, 8), each one worker, trials with no work (fake 0 ms): what the store itself
    costs per trial; both systems; "ask" (the sampler proposes, then the trial is created) and "claim"
    (the trials were queued first and workers take them: MLForge's claimQueued, Optuna's ask on enqueued
    trials);
  - simulated workers (8 processes of 1, 2, 4, 8 and 16 threads: 8 to 128 workers, a store and a
    connection each) with 20 ms fake trials: where the database side stops scaling.
Every process starts its loop at one moment (set-up, Python's imports and connecting, left out); throughput
is the trials completed by all workers over the time from that moment to the last worker's end.
"""
import argparse, json, os, statistics, subprocess, sys, time, uuid

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BENCH = os.path.join(ROOT, ".build", "release", "mlforge-bench")
PY = sys.executable

def server():
    return subprocess.run(["bash", os.path.join(ROOT, "scripts", "postgres-test-server"), "start"],
                          check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]

def group(commands, lead):
    """Starts the processes, which all begin their loops `lead` seconds from now (their set-up — Python's
    imports, connecting — left out); the wall time runs from then to the last one's end."""
    start_at = time.time() + lead
    procs = [subprocess.Popen(c + ["--start-at", f"{start_at:.3f}"], stdout=subprocess.PIPE, text=True) for c in commands]
    lines = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in procs]
    return max(l["end"] for l in lines) - start_at, lines

def row(system, mode, processes, threads, fake, wall, lines):
    trials = sum(l["trials"] for l in lines)
    return {"system": system, "mode": mode, "processes": processes, "workers": processes * threads, "fake_ms": fake,
            "trials": trials, "seconds": round(wall, 3), "trials_per_s": round(trials / wall, 1),
            "ask_p50_ms": round(statistics.median(l["ask_p50_ms"] for l in lines), 2),
            "ask_p99_ms": round(max(l["ask_p99_ms"] for l in lines), 2),
            "tell_p50_ms": round(statistics.median(l["tell_p50_ms"] for l in lines), 2)}

def mlforge(url, mode, processes, threads, trials, fake):
    study = f"bench-{uuid.uuid4().hex[:10]}"
    per = trials // (processes * threads)
    if mode == "claim":  # every trial queued first, by a process with no workers
        subprocess.run([BENCH, "store", url, "--study", study, "--workers", "0", "--trials", str(per * processes * threads), "--enqueue"],
                       check=True, capture_output=True)
    cmd = lambda: [BENCH, "store", url, "--study", study, "--workers", str(threads), "--trials", str(per * threads),
                   "--fake-ms", str(fake), "--mode", mode]
    wall, lines = group([cmd() for _ in range(processes)], 2 + 0.2 * processes)
    return row("mlforge", mode, processes, threads, fake, wall, lines)

def optuna(url, mode, processes, trials, fake):
    study = f"optuna-{uuid.uuid4().hex[:10]}"
    per = trials // processes
    script = os.path.join(ROOT, "Benchmarks", "scripts", "optuna_rdb.py")
    subprocess.run([PY, script, url, "--study", study, "--trials", str(per * processes), "--mode", mode, "--create"], check=True)
    wall, lines = group([[PY, script, url, "--study", study, "--trials", str(per), "--mode", mode, "--fake-ms", str(fake),
                          "--seed", str(i + 1)] for i in range(processes)], 3 + 1.0 * processes)
    return row("optuna", mode, processes, 1, fake, wall, lines)

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=2000)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    url = server()
    rows = []
    for mode in ["ask", "claim"]:
        for p in [1, 2, 4, 8]:
            rows.append(mlforge(url, mode, p, 1, args.trials, 0)); print(json.dumps(rows[-1]), flush=True)
            rows.append(optuna(url, mode, p, args.trials, 0)); print(json.dumps(rows[-1]), flush=True)
    for threads in [1, 2, 4, 8, 16]:
        rows.append(mlforge(url, "ask", 8, threads, max(args.trials, 8 * threads * 20), 20)); print(json.dumps(rows[-1]), flush=True)
    if args.out:
        with open(args.out, "w") as f:
            for r in rows: f.write(json.dumps(r) + "\n")
    print("\n| system | mode | processes | workers | fake trial | trials/s | ask p50 (ms) | ask p99 (ms) | tell p50 (ms) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['system']} | {r['mode']} | {r['processes']} | {r['workers']} | {r['fake_ms']} ms | {r['trials_per_s']:,} | "
              f"{r['ask_p50_ms']} | {r['ask_p99_ms']} | {r['tell_p50_ms']} |")

if __name__ == "__main__":
    main()
