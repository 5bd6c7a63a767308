import Foundation
import Search
import Testing
import TestSupport

@Suite("Spaces, studies, pruners and stores")
struct StudyTests {
    @Test("Spaces reject bad definitions and bad configurations")
    func spaces() throws {
        #expect(throws: SearchError.self) { try SearchSpace([.init("x", .float(2, 1))]) }
        #expect(throws: SearchError.self) { try SearchSpace([.init("x", .float(0, 1, log: true))]) }
        #expect(throws: SearchError.self) { try SearchSpace([.init("x", .int(0, 1)), .init("x", .int(0, 2))]) }
        #expect(throws: SearchError.self) {
            try SearchSpace([.init("m", .float(0, 1), when: .init(parent: "opt", values: [.string("sgd")])), .init("opt", .categorical(["sgd"]))])
        }
        let space = try SearchConformance.mixedSpace()
        #expect(throws: SearchError.self) { try space.validate(["lr": .double(5)]) }
        var rng = SplitMix(seed: 1)
        for _ in 0..<100 { try space.validate(space.sample(using: &rng)) }
        for p in space.parameters {
            for u in stride(from: 0.0, through: 1.0, by: 0.05) {
                let v = p.distribution.value(atUnit: u)
                #expect(p.distribution.contains(v), "\(p.name) at \(u): \(v)")
                #expect(p.distribution.value(atUnit: p.distribution.unit(of: v)) == v, "\(p.name) round trip at \(u)")
            }
        }
    }

    @Test("Store conformance: in-memory")
    func inMemoryStore() throws {
        let problems = try SearchConformance.store { InMemoryTrialStore() }
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("A study runs queued configurations first, records failures and prunes, and goes on")
    func studyLoop() async throws {
        let space = try SearchSpace([.init("x", .float(-5, 5))])
        let study = Study(space: space, strategy: RandomSearch(seed: 3))
        try study.enqueue(["x": .double(0.5)])
        try await study.optimize(trials: 20) { trial in
            let x = trial.double("x") ?? 0
            if trial.number == 3 { throw SearchError.invalidState("boom") }
            if trial.number == 4 { throw TrialPruned() }
            return [x * x]
        }
        let trials = study.trials
        #expect(trials.count == 20)
        #expect(trials[0].configuration == ["x": .double(0.5)])
        #expect(trials[3].state == .failed && trials[3].error == "boom")
        #expect(trials[4].state == .pruned)
        #expect(trials.filter { $0.state == .complete }.count == 18)
        #expect(study.bestTrial?.values?.first == trials.filter { $0.state == .complete }.compactMap { $0.values?.first }.min())
    }

    // Swift Testing runs suites in parallel on the same cooperative threads as the study's workers, and other
    // suites train networks synchronously; these tests therefore check invariants, not wall-clock throughput.

    @Test("Two jobs run two trials at once")
    func parallelJobs() async throws {
        let space = try SearchSpace([.init("x", .float(0, 1))])
        let study = Study(space: space, strategy: RandomSearch(seed: 4))
        let running = Gauge()
        try await study.optimize(trials: 4, jobs: 2) { trial in
            running.enter()
            defer { running.leave() }
            let giveUp = ContinuousClock.now + .seconds(30)
            while running.peak < 2 && ContinuousClock.now < giveUp { try await Task.sleep(for: .milliseconds(5)) }
            return [trial.double("x") ?? 0]
        }
        #expect(running.peak == 2)
        #expect(study.trials.filter { $0.state == .complete }.count == 4)
    }

    @Test("No trial starts after the deadline; trials cut by it are recorded as failed")
    func deadline() async throws {
        let space = try SearchSpace([.init("x", .float(0, 1))])
        let study = Study(space: space, strategy: RandomSearch(seed: 5))
        let start = Date()
        try await study.optimize(timeout: .milliseconds(300), jobs: 2) { trial in
            try await Task.sleep(for: .milliseconds(40))
            return [trial.double("x") ?? 0]
        }
        let trials = study.trials
        #expect(trials.allSatisfy { ($0.started ?? start).timeIntervalSince(start) < 0.3 + 0.05 }, "a trial started after the deadline")
        #expect(trials.allSatisfy { $0.state == .complete || ($0.state == .failed && $0.error == "cancelled at the study's deadline") })
    }

    @Test("A trial past its own time limit is cancelled and recorded as failed; the study goes on")
    func trialTimeout() async throws {
        let space = try SearchSpace([.init("x", .float(0, 1))])
        let study = Study(space: space, strategy: RandomSearch(seed: 8))
        try await study.optimize(trials: 3, trialTimeout: .milliseconds(100)) { trial in
            if trial.number == 1 { try await Task.sleep(for: .seconds(30)) }  // Task.sleep honours cancellation
            return [trial.double("x") ?? 0]
        }
        let t = study.trials
        #expect(t.count == 3)
        #expect(t[1].state == .failed && t[1].error == "stopped at its per-trial time limit")
        #expect(t[0].state == .complete && t[2].state == .complete)
    }

    @Test("Constraints: infeasible trials never win, and the Pareto front holds feasible trials only")
    func constraints() async throws {
        let space = try SearchSpace([.init("x", .float(-1, 1))])
        let study = Study(space: space, strategy: TPESampler(seed: 2, startupTrials: 5))
        try await study.optimize(trials: 40, outcome: { trial in
            let x = trial.double("x") ?? 0
            return Outcome(values: [x], constraints: [0.2 - x])  // minimise x subject to x ≥ 0.2
        })
        let best = try #require(study.bestTrial)
        #expect(best.isFeasible && (best.values?[0] ?? 0) >= 0.2)
        #expect(study.trials.contains { !$0.isFeasible })
        let pareto = Study(space: space, directions: [.minimize, .maximize], strategy: RandomSearch(seed: 3))
        try await pareto.optimize(trials: 30, outcome: { trial in
            let x = trial.double("x") ?? 0
            return Outcome(values: [x, x], constraints: [x - 0.5])
        })
        #expect(pareto.paretoFront.allSatisfy { $0.isFeasible })
        #expect(!pareto.paretoFront.isEmpty)
    }

    @Test("Pruner conformance", arguments: ["median", "asha", "successive halving", "hyperband"])
    func prunerConformance(_ name: String) {
        let pruner: Pruner = switch name {
        case "median": MedianPruner(startupTrials: 5)
        case "asha": ASHAPruner(minResource: 1, reductionFactor: 3)
        case "successive halving": ASHAPruner.successiveHalving(cohort: 27)
        default: HyperbandPruner(minResource: 1, maxResource: 27)
        }
        let problems = SearchConformance.pruner(pruner)
        #expect(problems.isEmpty, "\(name): \(problems)")
    }

    @Test("Median pruner stops a trial worse than the median at its step")
    func medianPruner() {
        func record(_ n: Int, _ values: [Int: Double]) -> TrialRecord {
            TrialRecord(number: n, state: .complete, configuration: [:], values: nil, intermediate: values, error: nil, started: nil, finished: nil)
        }
        let history = (0..<5).map { record($0, [1: Double($0), 2: Double($0) / 2]) }
        let pruner = MedianPruner(startupTrials: 5)
        #expect(pruner.shouldPrune(record(9, [1: 3.5]), history: history, direction: .minimize))
        #expect(!pruner.shouldPrune(record(9, [1: 1.5]), history: history, direction: .minimize))
        #expect(!pruner.shouldPrune(record(9, [1: 3.5]), history: Array(history.prefix(3)), direction: .minimize))
    }

    @Test("ASHA keeps the top 1/η at each rung; successive halving waits for its cohort; Hyperband brackets")
    func halving() {
        func record(_ n: Int, _ values: [Int: Double]) -> TrialRecord {
            TrialRecord(number: n, state: .running, configuration: [:], values: nil, intermediate: values, error: nil, started: nil, finished: nil)
        }
        let asha = ASHAPruner(minResource: 1, reductionFactor: 3)
        #expect(asha.rung(of: 1) == 0 && asha.rung(of: 3) == 1 && asha.rung(of: 9) == 2 && asha.rung(of: 4) == nil)
        let history = (0..<6).map { record($0, [1: Double($0)]) }
        #expect(!asha.shouldPrune(record(6, [1: 0.5]), history: history, direction: .minimize))
        #expect(asha.shouldPrune(record(6, [1: 4.5]), history: history, direction: .minimize))
        #expect(!asha.shouldPrune(record(6, [2: 100]), history: history, direction: .minimize))  // not a rung
        let sh = ASHAPruner.successiveHalving(cohort: 27)
        #expect(!sh.shouldPrune(record(6, [1: 4.5]), history: history, direction: .minimize))  // 7 of 27 reached rung 0
        let hb = HyperbandPruner(minResource: 1, maxResource: 27, reductionFactor: 3)
        #expect(hb.brackets.count == 4)
        #expect(hb.brackets.map(\.minEarlyStoppingRate) == [0, 1, 2, 3])
    }

    @Test("Two objectives: the study reports the Pareto front")
    func paretoFront() async throws {
        let space = try SearchSpace([.init("x", .float(0, 1))])
        let study = Study(space: space, directions: [.minimize, .minimize], strategy: RandomSearch(seed: 5))
        try await study.optimize(trials: 30) { trial in
            let x = trial.double("x") ?? 0
            return [x, (1 - x) * (1 - x)]
        }
        let front = study.paretoFront
        #expect(front.count == study.trials.count)  // every point of this curve is non-dominated
        let dominatedStudy = Study(space: space, directions: [.minimize, .minimize], strategy: RandomSearch(seed: 6))
        try await dominatedStudy.optimize(trials: 30) { trial in
            let x = trial.double("x") ?? 0
            return [x, x]
        }
        #expect(dominatedStudy.paretoFront.count == 1)
    }
}

/// Counts how many objectives run at once.
final class Gauge: @unchecked Sendable {
    private let lock = NSLock()
    private var now = 0
    private(set) var peak = 0
    func enter() { lock.lock(); now += 1; peak = max(peak, now); lock.unlock() }
    func leave() { lock.lock(); now -= 1; lock.unlock() }
}
