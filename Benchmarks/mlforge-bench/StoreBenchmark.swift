import Foundation
import Search
import Store
import Support

/// A shared study's throughput: `workers` threads in this process, each with a store of its own (one
/// connection), as separate processes would have, running fake trials (`fakeMs` of sleep) until `trials`
/// are done between them. `Benchmarks/scripts/store_scaling.py` runs it in 1–8 processes and beside Optuna's
/// RDB storage on the same server.
///
/// Modes: `ask` — each worker asks the study (random search) and tells a value: the plain Study API;
/// `claim` — the trials are queued first, workers claim them (`claimQueued`) and tell: a coordinator's
/// queue. With `startAt` (seconds since 1970) the loop starts then, so that several processes start
/// together. Prints one JSON line: seconds, trials/s, its end time, and ask (or claim) and tell latency
/// percentiles.
enum StoreBenchmark {
    static func run(url: String, study: String, workers: Int, trials: Int, fakeMs: Int, mode: String, enqueue: Bool, startAt: Double?) throws {
        precondition(workers >= 0, "--workers cannot be negative")
        let space = try SearchSpace([.init("x", .float(-5, 5)), .init("y", .float(-5, 5))])
        if enqueue {
            let store = try PostgresTrialStore(url: url, study: study)
            let queue = Study(space: space, store: store, strategy: RandomSearch(seed: 0))
            for i in 0..<trials { try queue.enqueue(["x": .double(Double(i % 100) / 10 - 5), "y": .double(0)]) }
            store.close()
        }
        guard workers > 0 else { return }
        var policy = LeasePolicy.standard
        policy.connections = 1
        let stores = try (0..<workers).map { _ in try PostgresTrialStore(url: url, study: study, policy: policy) }
        let quota = (0..<workers).map { trials / workers + ($0 < trials % workers ? 1 : 0) }
        let askTimes = LockedBox<[Double]>([]), tellTimes = LockedBox<[Double]>([]), failures = LockedBox(0)
        // Several processes start their loops together (their set-up left out of the timing).
        if let startAt { Thread.sleep(forTimeInterval: max(0, startAt - Date().timeIntervalSince1970)) }
        let start = ContinuousClock.now
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let study = Study(space: space, store: stores[w], strategy: RandomSearch(seed: UInt64(w + 1)))
            var done = 0
            while done < quota[w] {
                do {
                    let t0 = ContinuousClock.now
                    let trial: Trial
                    if mode == "claim" {
                        guard let queued = try study.claimQueued() else { break }
                        trial = queued
                    } else {
                        trial = try study.ask()
                    }
                    askTimes.withLock { $0.append((ContinuousClock.now - t0).inSeconds) }
                    if fakeMs > 0 { usleep(useconds_t(fakeMs * 1000)) }
                    let x = trial.double("x") ?? 0, y = trial.double("y") ?? 0
                    let t1 = ContinuousClock.now
                    try study.tell(trial.number, values: [x * x + y * y])
                    tellTimes.withLock { $0.append((ContinuousClock.now - t1).inSeconds) }
                    done += 1
                } catch {
                    failures.withLock { $0 += 1 }
                    FileHandle.standardError.write(Data("store benchmark: \(error)\n".utf8))
                    break
                }
            }
        }
        let elapsed = (ContinuousClock.now - start).inSeconds
        let end = Date().timeIntervalSince1970
        for s in stores { s.close() }
        let asks = askTimes.current.sorted(), tells = tellTimes.current.sorted()
        func pct(_ v: [Double], _ p: Double) -> Double { v.isEmpty ? .nan : v[min(v.count - 1, Int(Double(v.count) * p))] * 1000 }
        let line: [String: Any] = [
            "mode": mode, "workers": workers, "trials": tells.count, "fake_ms": fakeMs, "seconds": elapsed,
            "trials_per_s": Double(tells.count) / elapsed, "ask_p50_ms": pct(asks, 0.5), "ask_p99_ms": pct(asks, 0.99),
            "tell_p50_ms": pct(tells, 0.5), "tell_p99_ms": pct(tells, 0.99), "failures": failures.current, "end": end,
        ]
        let data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}
