import Foundation

/// Thrown by an objective (usually after `trial.shouldPrune()`) to end its trial as pruned.
public struct TrialPruned: Error, Sendable { public init() {} }

/// What an objective returns: one value per objective, and optional constraint values (feasible when
/// every one is ≤ 0; for example `parameters − maxParameters`).
public struct Outcome: Sendable {
    public var values: [Double]
    public var constraints: [Double]

    public init(values: [Double], constraints: [Double] = []) {
        self.values = values
        self.constraints = constraints
    }
}

/// A search: a space, objective directions, and the triple that does the work — a trial store, a
/// strategy and an optional pruner. `ask` / `tell` is the primitive; `optimize` is a loop over it.
public final class Study: @unchecked Sendable {
    public let space: SearchSpace
    public let directions: [Direction]
    public let store: TrialStore
    public let strategy: Strategy
    public let pruner: Pruner?
    private let askLock = NSLock()

    public init(space: SearchSpace, directions: [Direction] = [.minimize], store: TrialStore = InMemoryTrialStore(),
                strategy: Strategy, pruner: Pruner? = nil) {
        precondition(!directions.isEmpty, "a study needs at least one objective direction")
        self.space = space
        self.directions = directions
        self.store = store
        self.strategy = strategy
        self.pruner = pruner
    }

    /// Queues a configuration to be tried before the strategy's own proposals.
    @discardableResult
    public func enqueue(_ configuration: Configuration) throws -> Int {
        try space.validate(configuration)
        return try store.create(configuration: configuration, state: .waiting)
    }

    /// Starts a trial: the oldest queued configuration, or the strategy's proposal.
    public func ask() throws -> Trial {
        askLock.lock()
        defer { askLock.unlock() }
        if let waiting = try claimQueued() { return waiting }
        let config = strategy.suggest(in: space, history: try store.records(), directions: directions)
        let n = try store.create(configuration: config, state: .running)
        return Trial(study: self, number: n, configuration: config)
    }

    /// Starts the oldest queued trial, or returns nil when none waits (a worker that runs only what a
    /// coordinator queued).
    public func claimQueued() throws -> Trial? {
        try store.claimWaiting().map { Trial(study: self, number: $0.number, configuration: $0.configuration) }
    }

    /// Ends a trial as complete with one value per objective (and its constraint values, if any).
    public func tell(_ number: Int, values: [Double], constraints: [Double] = []) throws {
        guard values.count == directions.count else {
            throw SearchError.invalidConfiguration("trial \(number) returned \(values.count) values for \(directions.count) objectives")
        }
        if !constraints.isEmpty { try store.append(.constrained(number: number, constraints: constraints)) }
        try store.append(.finished(number: number, state: .complete, values: values, error: nil, time: Date()))
    }

    /// Ends a trial as pruned or failed.
    public func tell(_ number: Int, state: TrialState, error: String? = nil) throws {
        precondition(state == .pruned || state == .failed, "tell(state:) ends a trial as pruned or failed")
        try store.append(.finished(number: number, state: state, values: nil, error: error, time: Date()))
    }

    /// Queues the configurations of failed trials (for example those a crash interrupted) to run again.
    @discardableResult
    public func retryFailed() throws -> [Int] {
        try store.records().filter { $0.state == .failed }.map { try store.create(configuration: $0.configuration, state: .waiting) }
    }

    public var trials: [TrialRecord] { (try? store.records()) ?? [] }

    /// The best complete, feasible trial of a single-objective study.
    public var bestTrial: TrialRecord? {
        let d = directions[0]
        return trials.filter { $0.state == .complete && $0.isFeasible && $0.values?.first?.isFinite == true }
            .min { a, b in d.better(a.values?[0] ?? 0, b.values?[0] ?? 0) }
    }

    /// The non-dominated complete trials (for several objectives).
    public var paretoFront: [TrialRecord] { Pareto.front(trials, directions) }

    /// Runs trials until `trials` have been asked or `timeout` passes, `jobs` at a time.
    public func optimize(
        trials: Int? = nil, timeout: Duration? = nil, trialTimeout: Duration? = nil, jobs: Int = 1,
        _ objective: @escaping @Sendable (Trial) async throws -> [Double]
    ) async throws {
        try await optimize(trials: trials, timeout: timeout, trialTimeout: trialTimeout, jobs: jobs) { trial in
            Outcome(values: try await objective(trial))
        }
    }

    /// Runs trials until `trials` have been asked or `timeout` passes, `jobs` at a time, with constraints.
    ///
    /// A trial that throws is recorded as failed (with its error) and the study goes on; `TrialPruned`
    /// records it as pruned. At the study's deadline, or after `trialTimeout` for one trial, the objective
    /// is cancelled (it sees `Task.isCancelled`; `trial.deadline` says when to stop) and recorded as
    /// failed; no new trial starts after the deadline.
    public func optimize(
        trials: Int? = nil, timeout: Duration? = nil, trialTimeout: Duration? = nil, jobs: Int = 1,
        outcome objective: @escaping @Sendable (Trial) async throws -> Outcome
    ) async throws {
        precondition(trials != nil || timeout != nil, "optimize needs a trial count or a timeout")
        let deadline = timeout.map { ContinuousClock.now + $0 }
        let budget = Counter(trials ?? Int.max)
        let workers = max(1, jobs)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    while !Task.isCancelled, budget.take() {
                        if let deadline, ContinuousClock.now >= deadline { break }
                        let trial = try self.ask()
                        let limit = trialTimeout.map { ContinuousClock.now + $0 }
                        trial.deadline = [deadline, limit].compactMap { $0 }.min()
                        do {
                            let result = try await Self.run(objective, trial, until: limit)
                            try self.tell(trial.number, values: result.values, constraints: result.constraints)
                        } catch is TrialPruned {
                            try self.tell(trial.number, state: .pruned)
                        } catch let error as TrialTimedOut {
                            try self.tell(trial.number, state: .failed, error: error.description)
                        } catch is CancellationError {
                            try self.tell(trial.number, state: .failed, error: "cancelled at the study's deadline")
                        } catch {
                            try self.tell(trial.number, state: .failed, error: "\(error)")
                        }
                    }
                    return true
                }
            }
            if let deadline {
                group.addTask {
                    try? await Task.sleep(until: deadline, clock: .continuous)
                    return false
                }
            }
            var done = 0
            while let isWorker = try await group.next() {
                if isWorker {
                    done += 1
                    if done == workers { group.cancelAll() }  // every worker finished: stop the timer
                } else {
                    group.cancelAll()  // the deadline: running objectives see Task.isCancelled
                }
            }
        }
    }

    /// Runs one objective, cancelling it at `limit` (cooperatively: it must notice `Task.isCancelled`).
    private static func run(
        _ objective: @escaping @Sendable (Trial) async throws -> Outcome, _ trial: Trial, until limit: ContinuousClock.Instant?
    ) async throws -> Outcome {
        guard let limit else { return try await objective(trial) }
        return try await withThrowingTaskGroup(of: Outcome?.self) { group in
            group.addTask { try await objective(trial) }
            group.addTask {
                try await Task.sleep(until: limit, clock: .continuous)
                return nil
            }
            defer { group.cancelAll() }
            while let first = try await group.next() {
                if let outcome = first { return outcome }
                group.cancelAll()
                // The objective has been asked to stop; wait for it so no work outlives the trial.
                while let late = try? await group.next() { if let outcome = late { _ = outcome } }
                throw TrialTimedOut()
            }
            throw TrialTimedOut()
        }
    }
}

/// A trial that ran past its per-trial time limit.
struct TrialTimedOut: Error, CustomStringConvertible {
    var description: String { "stopped at its per-trial time limit" }
}

/// A running trial: its configuration, and the channel for intermediate reports and pruning decisions.
public final class Trial: @unchecked Sendable {
    public let number: Int
    public let configuration: Configuration
    /// The study's deadline, if any: an objective should stop by then.
    public internal(set) var deadline: ContinuousClock.Instant?
    /// Held strongly: a trial handed to a callback that outlives the study still reaches its store (the
    /// study holds no trials, so there is no cycle).
    private let study: Study

    init(study: Study, number: Int, configuration: Configuration) {
        self.study = study
        self.number = number
        self.configuration = configuration
    }

    public subscript(name: String) -> ParameterValue? { configuration[name] }
    public func double(_ name: String) -> Double? { configuration[name]?.doubleValue }
    public func int(_ name: String) -> Int? { if case .int(let v)? = configuration[name] { return v } else { return nil } }
    public func string(_ name: String) -> String? { if case .string(let v)? = configuration[name] { return v } else { return nil } }

    /// Records the objective's value after `step` units of resource.
    public func report(_ value: Double, step: Int) throws {
        try study.store.append(.reported(number: number, step: step, value: value))
    }

    /// Whether the pruner would stop this trial now (always false without a pruner).
    public func shouldPrune() throws -> Bool {
        guard let pruner = study.pruner else { return false }
        let history = try study.store.records()
        guard let me = history.first(where: { $0.number == number }) else { throw SearchError.unknownTrial(number) }
        return pruner.shouldPrune(me, history: history, direction: study.directions[0])
    }
}

/// A thread-safe countdown.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var left: Int
    init(_ n: Int) { left = n }
    func take() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard left > 0 else { return false }
        left -= 1
        return true
    }
}
