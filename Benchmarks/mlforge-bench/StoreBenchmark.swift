import Foundation
import Search
import Store

/// A shared study's throughput: `workers` threads in this process, each with a store of its own (one
/// connection), as separate processes would have, running fake trials (`fakeMs` of sleep) until `trials`
/// are done between them. `Benchmarks/scripts/store_scaling.sh` runs it in 1–8 processes and beside Optuna's
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
        let askTimes = LockedTimes(), tellTimes = LockedTimes(), failures = LockedTimes()
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
                    askTimes.add(seconds(ContinuousClock.now - t0))
                    if fakeMs > 0 { usleep(useconds_t(fakeMs * 1000)) }
                    let x = trial.double("x") ?? 0, y = trial.double("y") ?? 0
                    let t1 = ContinuousClock.now
                    try study.tell(trial.number, values: [x * x + y * y])
                    tellTimes.add(seconds(ContinuousClock.now - t1))
                    done += 1
                } catch {
                    failures.add(0)
                    FileHandle.standardError.write(Data("store benchmark: \(error)\n".utf8))
                    break
                }
            }
        }
        let elapsed = seconds(ContinuousClock.now - start)
        let end = Date().timeIntervalSince1970
        for s in stores { s.close() }
        let asks = askTimes.sorted, tells = tellTimes.sorted
        func pct(_ v: [Double], _ p: Double) -> Double { v.isEmpty ? .nan : v[min(v.count - 1, Int(Double(v.count) * p))] * 1000 }
        let line: [String: Any] = [
            "mode": mode, "workers": workers, "trials": tells.count, "fake_ms": fakeMs, "seconds": elapsed,
            "trials_per_s": Double(tells.count) / elapsed, "ask_p50_ms": pct(asks, 0.5), "ask_p99_ms": pct(asks, 0.99),
            "tell_p50_ms": pct(tells, 0.5), "tell_p99_ms": pct(tells, 0.99), "failures": failures.sorted.count, "end": end,
        ]
        let data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    private static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}

/// Latencies gathered from several threads.
final class LockedTimes: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Double] = []
    func add(_ v: Double) { lock.withLock { values.append(v) } }
    var sorted: [Double] { lock.withLock { values.sorted() } }
}
