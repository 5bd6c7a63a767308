// study-worker STORE [--study NAME] [--trials N] [--seed S] [--delay-ms D] [--queued-only]
//                    [--lease S] [--heartbeat S] [--attempts N]
//
// Runs a study of a toy objective on a trial store — a SQLite file, or a PostgreSQL study when STORE is
// a postgresql:// URL — printing "start N" when it begins a trial and "complete N" after each completed
// trial (flushed). Several workers can share one store; the crash tests kill one with SIGKILL mid-trial.
// With --queued-only it runs only trials queued beforehand, and ends when none waits and none runs.
import Foundation
import Search
import Store

let args = CommandLine.arguments
guard args.count >= 2 else {
    FileHandle.standardError.write(Data("usage: study-worker STORE [--study NAME] [--trials N] [--seed S] [--delay-ms D] [--queued-only] [--lease S] [--heartbeat S] [--attempts N]\n".utf8))
    exit(64)
}
func option(_ name: String) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}
func option(_ name: String, _ fallback: Int) -> Int { option(name).flatMap { Int($0) } ?? fallback }
func say(_ line: String) { FileHandle.standardOutput.write(Data("\(line)\n".utf8)) }  // unbuffered

do {
    let store: TrialStore
    if PostgresLocation.isURL(args[1]) {
        var policy = LeasePolicy.standard
        if let v = option("--lease").flatMap(Double.init) { policy.leaseSeconds = v }
        if let v = option("--heartbeat").flatMap(Double.init) { policy.heartbeatSeconds = v }
        if let v = option("--attempts").flatMap(Int.init) { policy.maximumAttempts = v }
        store = try PostgresTrialStore(url: args[1], study: option("--study") ?? "study-worker", policy: policy)
    } else {
        store = try SQLiteTrialStore(path: args[1])
    }
    let space = try SearchSpace([.init("x", .float(-5, 5)), .init("y", .float(-5, 5))])
    let study = Study(space: space, store: store, strategy: TPESampler(seed: UInt64(option("--seed", 1))))
    let delay = option("--delay-ms", 5)
    let queuedOnly = args.contains("--queued-only")
    var asked = 0
    while asked < option("--trials", 1_000_000) {
        let trial: Trial
        if queuedOnly {
            guard let queued = try study.claimQueued() else {
                // A dead worker's trial comes back to the queue when its lease runs out: wait for that.
                if try store.records().contains(where: { $0.state == .running || $0.state == .waiting }) {
                    usleep(50_000)
                    continue
                }
                break
            }
            trial = queued
        } else {
            trial = try study.ask()
        }
        asked += 1
        say("start \(trial.number)")
        let x = trial.double("x") ?? 0, y = trial.double("y") ?? 0
        do {
            for step in 1...3 {
                usleep(useconds_t(delay * 1000 / 3))
                try trial.report(x * x + y * y + Double(3 - step), step: step)
            }
            try study.tell(trial.number, values: [x * x + y * y])
            say("complete \(trial.number)")
        } catch SearchError.leaseLost(let n) {
            say("lost \(n)")
        }
    }
} catch {
    FileHandle.standardError.write(Data("study-worker: error: \(error)\n".utf8))
    exit(1)
}
