import AutoML
import Foundation
import Learners
import MLData
import Search
import Support
import Testing
import TestSupport

/// A clock the test moves: a fit advances it by the time it says it took; the load it reports is the
/// test's too.
final class ManualClock: RunClock {
    private let instant = LockedBox(ContinuousClock.now)
    private let load = LockedBox(1.0)
    var now: ContinuousClock.Instant { instant.current }
    var slowdown: Double { load.current }
    func advance(_ seconds: Double) { instant.withLock { $0 += .seconds(seconds) } }
    func setSlowdown(_ value: Double) { load.withLock { $0 = value } }
}

/// A regression learner that takes `secondsPerFit` on the test's clock and predicts the training mean
/// plus `offset` (so one family is better than the other), with one searched parameter that changes
/// nothing but the configuration.
protocol ClockedLearner: Learner where Model == FittedConstant {
    static var offset: Double { get }
    var x: Double { get set }
    init()
}

nonisolated(unsafe) var testClock = ManualClock()
let secondsPerFit = 0.1

extension ClockedLearner {
    static var capabilities: LearnerCapabilities {
        LearnerCapabilities(stopsAtDeadline: false, prunable: false, firstRung: 1, refitsOnAllRows: false, preprocessing: .dense)
    }
    static func searchSpace(for shape: DataShape) -> SearchSpace {
        do { return try SearchSpace([.init("x", .float(0, 1), lowCost: .double(0))]) } catch {
            preconditionFailure("a space of one float parameter is valid: \(error)")
        }
    }
    init(configuration: Configuration, shape: DataShape) throws {
        self.init()
        x = configuration["x"]?.doubleValue ?? 0
    }
    static func defaults(for shape: DataShape) -> Self { Self() }
    var configuration: Configuration { ["x": .double(x)] }
    var description: String { "\(Self.family) \(x)" }
    func estimatedCost(for shape: DataShape) -> Double { secondsPerFit }
    func estimatedMemory(for shape: DataShape) -> Int { 0 }
    func fit(_ data: LabeledData, validation: LabeledData?, context: FitContext) throws -> FittedConstant {
        testClock.advance(secondsPerFit)
        let mean = data.values.reduce(0, +) / Double(max(1, data.values.count))
        return FittedConstant(family: Self.family, featureCount: data.features.columns, value: mean + Self.offset)
    }
}

struct GoodLearner: ClockedLearner {
    static let family = LearnerFamily(named: "clocked_good")
    static let offset = 0.0
    var x = 0.0
    init() {}
}

struct WorseLearner: ClockedLearner {
    static let family = LearnerFamily(named: "clocked_worse")
    static let offset = 10.0
    var x = 0.0
    init() {}
}

struct FittedConstant: FittedModel {
    static var family: LearnerFamily { GoodLearner.family }
    var family: LearnerFamily
    var task: PredictionTask { .regression }
    var featureCount: Int
    var value: Double
    func predict(_ x: FeatureMatrix) throws -> Predictions { .values([Double](repeating: value, count: x.rows)) }
    func bundle() throws -> ModelBundle { ModelBundle(family: family, parts: ["value": Array(String(value).utf8)]) }
    init(family: LearnerFamily, featureCount: Int, value: Double) {
        self.family = family
        self.featureCount = featureCount
        self.value = value
    }
    init(bundle: ModelBundle) throws {
        family = bundle.family
        featureCount = 0
        value = Double(String(decoding: try bundle.part("value"), as: UTF8.self)) ?? .nan
    }
}

@Suite("Time shares on an injected clock", .serialized) struct TimeShareTests {
    /// Registers `learners` and points the test clock at a new one; the diabetes table and options that
    /// search those families for `seconds` on that clock, starting now.
    static func onTestClock(_ learners: [any Learner.Type], seconds: Int) throws -> (ManualClock, DataFrame, AutoMLOptions) {
        learners.forEach(LearnerRegistry.register)
        let clock = ManualClock()
        testClock = clock
        let frame = try CSVReader.read(path: Fixtures.repositoryRoot.appendingPathComponent("examples/diabetes/train.csv").path)
        var options = AutoMLOptions()
        options.clock = clock
        options.families = learners.map { $0.family }
        options.budget = .seconds(seconds)
        options.start = clock.now
        return (clock, frame, options)
    }

    @Test("The leader gets three parts of the time to the runner-up's two, and nothing starts that cannot finish")
    func sharesAndBudget() throws {
        let (clock, frame, options) = try Self.onTestClock([GoodLearner.self, WorseLearner.self], seconds: 10)
        let start = clock.now
        let model = try AutoML.fitSynchronously(frame, target: "progression", options: options)

        let done = model.leaderboard.entries.filter { $0.state == .complete }
        let good = done.filter { $0.family == GoodLearner.family }.count
        let worse = done.filter { $0.family == WorseLearner.family }.count
        // Five folds of 0.1 s: 0.5 s a trial. The search ends at 10 s less the reserve (8% under
        // cross-validation, 0.8 s): 9.2 s. These learners cannot stop early, so a trial starts only while
        // it fits 40% of the time left (`uncuttableShareOfTimeLeft`): while 1.25 s are left, 16 trials,
        // shared 3 : 2.
        #expect(good + worse == 16, "\(good) + \(worse) trials")
        #expect(abs(Double(good) / Double(good + worse) - 0.6) < 0.06, "\(good) against \(worse)")
        let elapsed = (clock.now - start).inSeconds
        #expect(elapsed <= 9.2 + 1e-9, "the search ran to \(elapsed) s, past its end at 9.2 s")
        // The trials ended on the test's clock, in order, none after the search's end.
        let ends = done.compactMap(\.finishedAt)
        #expect(ends == ends.sorted() && (ends.last ?? 0) <= 9.2 + 1e-9)
        // What could not finish in the time left was skipped, not started.
        #expect(model.leaderboard.entries.allSatisfy { $0.state != .failed })
        #expect(model.members.allSatisfy { $0.family == GoodLearner.family })

        // With equal shares the two families get the same time.
        var even = options
        even.policy.scheduler.familyShares = [1, 1, 1]
        let evenClock = ManualClock()
        testClock = evenClock
        even.clock = evenClock
        even.start = evenClock.now
        let evenModel = try AutoML.fitSynchronously(frame, target: "progression", options: even)
        let evenGood = evenModel.leaderboard.entries.filter { $0.family == GoodLearner.family && $0.state == .complete }.count
        let evenWorse = evenModel.leaderboard.entries.filter { $0.family == WorseLearner.family && $0.state == .complete }.count
        #expect(abs(evenGood - evenWorse) <= 1, "\(evenGood) against \(evenWorse)")
    }

    @Test("On a loaded machine the search ends earlier by the stretched reserve, and the busy machine is logged")
    func loadStretchesTheReserve() throws {
        let (clock, frame, base) = try Self.onTestClock([GoodLearner.self, WorseLearner.self], seconds: 10)
        var options = base
        let lines = LockedBox<[String]>([])
        options.log = { event in if case .phase(let text) = event { lines.withLock { $0.append(text) } } }
        clock.setSlowdown(3)
        let start = clock.now
        let model = try AutoML.fitSynchronously(frame, target: "progression", options: options)
        // The reserve of 0.8 s (8% of 10 s) stretched three times: the search ends at 10 − 2.4 = 7.6 s.
        let ends = model.leaderboard.entries.compactMap(\.finishedAt)
        #expect((ends.max() ?? 0) <= 7.6 + 1e-9 && (ends.max() ?? 0) > 6, "\(ends)")
        #expect((clock.now - start).inSeconds <= 7.6 + 1e-9)
        #expect(lines.withLock { $0 }.contains { $0.contains("the machine is busy (work runs 3.0× slower") && $0.contains("2.40 s kept after the search instead of 0.80 s") })
        // Never past the cap: at a slowdown of 100 the factor is at most 4 (3.2 s), and all that is
        // kept after the search at most 60% of the budget.
        let policy = options.policy.budget
        #expect(abs(policy.stretched(0.8, slowdown: 100, tail: 0.8, total: 10) - 3.2) < 1e-12)
        #expect(abs(policy.stretched(0.5, slowdown: 4, tail: 2, total: 10) - 1.5) < 1e-12)
        #expect(policy.stretched(0.8, slowdown: 0.5, tail: 0.8, total: 10) == 0.8)
        // Under a trial cap one seed gives one sequence of trials: the load changes nothing.
        var capped = base
        capped.maxTrials = 6
        let idle = ManualClock(), busy = ManualClock()
        busy.setSlowdown(3)
        testClock = idle; capped.clock = idle; capped.start = idle.now
        let a = try AutoML.fitSynchronously(frame, target: "progression", options: capped)
        testClock = busy; capped.clock = busy; capped.start = busy.now
        let b = try AutoML.fitSynchronously(frame, target: "progression", options: capped)
        #expect(a.leaderboard.entries.map(\.configuration) == b.leaderboard.entries.map(\.configuration))
    }

    @Test("The process's load reads at least 1.5 while twice as many of its threads as cores are busy")
    func processLoad() throws {
        let gauge = ProcessLoad()
        let threads = 2 * ProcessInfo.processInfo.activeProcessorCount
        let stop = LockedBox(false)
        let group = DispatchGroup()
        for _ in 0..<threads {
            group.enter()
            Thread.detachNewThread {
                var x = 0.0
                while !stop.current { for _ in 0..<10_000 { x += 1 } }
                if x < 0 { print(x) }
                group.leave()
            }
        }
        // Read while the busy threads run (a thread's statistics go with it when it ends).
        Thread.sleep(forTimeInterval: 0.4)
        let slowdown = gauge.slowdown()
        stop.withLock { $0 = true }
        group.wait()
        #if os(Linux)
        // Twice as many busy threads as cores: each runs at most half the time it is runnable.
        #expect(slowdown >= 1.5, "\(slowdown)")
        #else
        #expect(slowdown == 1)
        #endif
    }

    @Test("A learner that cannot stop early runs on a seeded subsample that fits the time left, or is skipped")
    func subsampleWhenTooSlow() throws {
        let (_, frame, base) = try Self.onTestClock([RowTimedLearner.self], seconds: 2)
        var options = base
        options.policy.scheduler.subsampleMinimumRows = 50
        let lines = LockedBox<[String]>([])
        options.log = { event in
            switch event {
            case .phase(let text), .skipped(_, let text): lines.withLock { $0.append(text) }
            default: break
            }
        }
        let model = try AutoML.fitSynchronously(frame, target: "progression", options: options)
        // 1 ms a training row: each of five folds of about 280 rows takes 0.28 s, 1.4 s a trial, more than
        // 40% of the 1.84 s search. The first trial runs on the share of the rows that fits.
        let first = try #require(model.leaderboard.entries.first)
        let rows = try #require(first.trainingRows, "\(model.leaderboard.entries)")
        let searchEnd = 2 - options.policy.budget.withoutRefit.seconds(of: 2)
        #expect(Double(rows) * 5 * 1e-3 <= 0.4 * searchEnd + 1e-9)
        #expect(lines.withLock { $0 }.contains { $0.contains("seeded subsample of \(rows) of") && $0.contains("cannot stop early") })
        #expect(model.members.first?.trainingRows == rows)
        // Nothing ran past the search's end, and what no longer fitted was skipped with its reason.
        let ends = model.leaderboard.entries.compactMap(\.finishedAt)
        #expect((ends.max() ?? 0) <= searchEnd + 1e-9, "\(ends)")
        #expect(lines.withLock { $0 }.contains { $0.contains("would take about") && $0.contains("cannot stop early") })

        // Without a subsample floor low enough, it is skipped instead of started.
        options.policy.scheduler.subsampleMinimumRows = 1000
        let late = ManualClock()
        testClock = late
        options.clock = late
        options.start = late.now
        #expect(throws: AutoMLError.self) { try AutoML.fitSynchronously(frame, target: "progression", options: options) }
        #expect((late.now - options.start!).inSeconds == 0, "nothing was fitted")
    }

    @Test("A learner that stops at a deadline but must first prepare its data is not started when that alone passes the time left")
    func setupPastTheTimeLeft() throws {
        let (clock, frame, base) = try Self.onTestClock([SetupHeavyLearner.self, GoodLearner.self], seconds: 10)
        var options = base
        let lines = LockedBox<[String]>([])
        options.log = { event in if case .skipped(_, let text) = event { lines.withLock { $0.append(text) } } }
        let start = clock.now
        let model = try AutoML.fitSynchronously(frame, target: "progression", options: options)
        // Its 20 s of setup a fold cannot fit the 9.2 s search: it is skipped for good, never started
        // (without the rule its first trial would run, as a cuttable family's first trial always does).
        #expect(!model.leaderboard.entries.contains { $0.family == SetupHeavyLearner.family && $0.state == .complete })
        #expect(lines.withLock { $0 }.contains { $0.contains("preparing its data before it could stop") })
        #expect(model.members.allSatisfy { $0.family == GoodLearner.family })
        #expect((clock.now - start).inSeconds <= 10 + 1e-9)
    }
}

/// A learner that stops at its deadline, but only after a setup of 20 s of the test's clock a fit that
/// no deadline cuts (as XGBoost's DMatrix), which its estimate reports as reusable.
struct SetupHeavyLearner: ClockedLearner {
    static let family = LearnerFamily(named: "clocked_setup_heavy")
    static let offset = 0.0
    static var capabilities: LearnerCapabilities {
        LearnerCapabilities(stopsAtDeadline: true, prunable: false, firstRung: 1, refitsOnAllRows: false, preprocessing: .dense)
    }
    var x = 0.0
    init() {}
    func estimatedCost(for shape: DataShape) -> Double { 20.001 }
    func estimatedReusableCost(for shape: DataShape) -> Double { 20 }
    func fit(_ data: LabeledData, validation: LabeledData?, context: FitContext) throws -> FittedConstant {
        testClock.advance(20)
        let mean = data.values.reduce(0, +) / Double(max(1, data.values.count))
        return FittedConstant(family: Self.family, featureCount: data.features.columns, value: mean)
    }
}

/// A learner that cannot stop early and takes 1 ms of the test's clock per training row.
struct RowTimedLearner: ClockedLearner {
    static let family = LearnerFamily(named: "clocked_rows")
    static let offset = 0.0
    var x = 0.0
    init() {}
    func estimatedCost(for shape: DataShape) -> Double { 1e-3 * Double(shape.rows) }
    func fit(_ data: LabeledData, validation: LabeledData?, context: FitContext) throws -> FittedConstant {
        testClock.advance(1e-3 * Double(data.rows))
        let mean = data.values.reduce(0, +) / Double(max(1, data.values.count))
        return FittedConstant(family: Self.family, featureCount: data.features.columns, value: mean)
    }
}
