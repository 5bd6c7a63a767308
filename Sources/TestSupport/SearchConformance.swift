import Foundation
import Support
import Search

/// Checks every strategy, pruner and trial store must pass; each returns the problems it found (empty when
/// conformant), so a test can assert on them and print them.
public enum SearchConformance {
    /// A mixed space with a conditional branch, used by the suites.
    public static func mixedSpace() throws -> SearchSpace {
        try SearchSpace([
            .init("lr", .float(1e-4, 1, log: true)),
            .init("layers", .int(1, 8)),
            .init("units", .int(16, 1024, log: true)),
            .init("dropout", .float(0, 0.5)),
            .init("optimizer", .categorical(["sgd", "adam", "rmsprop"])),
            .init("momentum", .float(0, 0.99), when: .init(parent: "optimizer", values: [.string("sgd")])),
            .init("nesterov", .categorical(["yes", "no"]), when: .init(parent: "optimizer", values: [.string("sgd")])),
            .init("batch", .int(16, 256, step: 16)),
        ])
    }

    /// A toy objective on `mixedSpace` with a known optimum near lr 0.01, 3 layers, sgd with momentum 0.9.
    public static func toyLoss(_ c: Configuration) -> Double {
        let lr = c["lr"]?.doubleValue ?? 1, layers = c["layers"]?.doubleValue ?? 1
        var loss = pow(log10(lr) + 2, 2) + 0.1 * pow(layers - 3, 2) + (c["dropout"]?.doubleValue ?? 0)
        if c["optimizer"] == .string("sgd") { loss += pow((c["momentum"]?.doubleValue ?? 0) - 0.9, 2) } else { loss += 0.3 }
        return loss
    }

    /// A strategy's conformance: valid samples, conditions respected, determinism, state save / restore.
    public static func strategy(_ make: (UInt64) -> Strategy, trials: Int = 60) throws -> [String] {
        var problems: [String] = []
        let space = try mixedSpace()
        func run(_ s: Strategy, _ history: inout [TrialRecord], _ n: Int) -> [Configuration] {
            var out: [Configuration] = []
            for _ in 0..<n {
                let c = s.suggest(in: space, history: history, directions: [.minimize])
                out.append(c)
                history.append(TrialRecord(number: history.count, state: .complete, configuration: c, values: [toyLoss(c)],
                                           intermediate: [:], error: nil, started: nil, finished: Date(timeIntervalSince1970: Double(history.count))))
            }
            return out
        }
        var h1: [TrialRecord] = [], h2: [TrialRecord] = []
        let a = run(make(7), &h1, trials)
        for c in a {
            do { try space.validate(c) } catch { problems.append("invalid sample \(c): \(error)") }
            if c["optimizer"] != .string("sgd") && c["momentum"] != nil { problems.append("inactive parameter present: \(c)") }
        }
        let b = run(make(7), &h2, trials)
        if a != b { problems.append("two runs with the same seed differ") }
        // Save after half the trials, restore into a fresh instance, and continue identically.
        let s1 = make(11)
        var hA: [TrialRecord] = [], hB: [TrialRecord] = []
        _ = run(s1, &hA, trials / 2)
        let saved = try s1.saveState()
        let restored = make(999)
        try restored.restoreState(saved)
        let contA = run(s1, &hA, trials / 2)
        hB = Array(hA.prefix(trials / 2))
        let contB = run(restored, &hB, trials / 2)
        if contA != contB { problems.append("a restored strategy does not continue like the original") }
        return problems
    }

    /// A pruner's conformance: no decision without reports, the leader at a step is never stopped,
    /// decisions are deterministic, and maximising mirrored values gives the same decisions.
    public static func pruner(_ pruner: Pruner) -> [String] {
        var problems: [String] = []
        var rng = SplitMix(seed: 21)
        // 30 finished trials with curves at steps 1…27, decreasing (minimised).
        let history = (0..<30).map { n -> TrialRecord in
            let level = rng.nextUnit() * 10
            var curve: [Int: Double] = [:]
            for step in 1...27 { curve[step] = level + 5 / Double(step) }
            return TrialRecord(number: n, state: .complete, configuration: [:], values: [level], intermediate: curve)
        }
        func mirrored(_ r: TrialRecord) -> TrialRecord {
            var m = r
            m.intermediate = r.intermediate.mapValues { -$0 }
            return m
        }
        let silent = TrialRecord(number: 99, state: .running, configuration: [:])
        if pruner.shouldPrune(silent, history: history + [silent], direction: .minimize) { problems.append("pruned a trial with no reports") }
        for step in [1, 3, 9, 27] {
            let best = (history.compactMap { $0.intermediate[step] }.min() ?? 0) - 1
            let leader = TrialRecord(number: 99, state: .running, configuration: [:], intermediate: [step: best])
            if pruner.shouldPrune(leader, history: history + [leader], direction: .minimize) { problems.append("pruned the leader at step \(step)") }
            for value in [0.5, 5.0, 20.0] {
                let t = TrialRecord(number: 99, state: .running, configuration: [:], intermediate: [step: value])
                let a = pruner.shouldPrune(t, history: history + [t], direction: .minimize)
                let b = pruner.shouldPrune(t, history: history + [t], direction: .minimize)
                let c = pruner.shouldPrune(mirrored(t), history: history.map(mirrored) + [mirrored(t)], direction: .maximize)
                if a != b { problems.append("nondeterministic at step \(step) value \(value)") }
                if a != c { problems.append("maximising mirrored values decides differently at step \(step) value \(value)") }
            }
        }
        let worst = TrialRecord(number: 99, state: .running, configuration: [:], intermediate: [1: 1e9])
        if !(pruner.shouldPrune(worst, history: history + [worst], direction: .minimize)) && !(pruner is HyperbandPruner) {
            problems.append("kept a trial far worse than every other at the first rung")
        }
        return problems
    }

    /// A store's conformance: creation numbers, event round trip, claims, and concurrent writers.
    public static func store(_ make: () throws -> TrialStore) throws -> [String] {
        var problems: [String] = []
        let store = try make()
        let n0 = try store.create(configuration: ["x": .double(1)], state: .running)
        let n1 = try store.create(configuration: ["x": .double(2)], state: .waiting)
        try store.append(.reported(number: n0, step: 1, value: 0.5))
        try store.append(.finished(number: n0, state: .complete, values: [0.25], error: nil, time: Date()))
        let records = try store.records()
        if records.map(\.number) != [n0, n1] || n0 == n1 { problems.append("numbers are not distinct and ordered") }
        if records.first?.values != [0.25] || records.first?.intermediate != [1: 0.5] || records.first?.state != .complete {
            problems.append("events did not round-trip: \(String(describing: records.first))")
        }
        let claimed = try store.claimWaiting()
        if claimed?.number != n1 || claimed?.state != .running { problems.append("claimWaiting did not take the waiting trial") }
        if try store.claimWaiting() != nil { problems.append("a trial was claimed twice") }
        do {
            try store.append(.reported(number: 12345, step: 1, value: 1))
            problems.append("an event for an unknown trial was accepted")
        } catch {}
        // Concurrent writers: 8 threads × 25 trials with 3 reports each.
        let shared = try make()
        let group = DispatchGroup()
        let errors = ErrorBox()
        for t in 0..<8 {
            group.enter()
            Thread {
                defer { group.leave() }
                do {
                    for i in 0..<25 {
                        let n = try shared.create(configuration: ["t": .int(t), "i": .int(i)], state: .running)
                        for step in 1...3 { try shared.append(.reported(number: n, step: step, value: Double(step))) }
                        try shared.append(.finished(number: n, state: .complete, values: [Double(i)], error: nil, time: Date()))
                    }
                } catch { errors.add("\(error)") }
            }.start()
        }
        group.wait()
        problems += errors.all
        let all = try shared.records()
        if all.count != 200 || Set(all.map(\.number)).count != 200 { problems.append("concurrent writers lost or duplicated trials (\(all.count))") }
        if !all.allSatisfy({ $0.state == .complete && $0.intermediate.count == 3 }) { problems.append("concurrent writers lost events") }
        return problems
    }
}

final class ErrorBox: Sendable {
    private let items = LockedBox<[String]>([])
    func add(_ s: String) { items.withLock { $0.append(s) } }
    var all: [String] { items.current }
}
