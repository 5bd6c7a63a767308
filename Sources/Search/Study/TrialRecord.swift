import Foundation

/// Where a trial is in its life.
public enum TrialState: String, Codable, Sendable {
    /// Queued by hand ("try this configuration first"), not yet started.
    case waiting
    case running
    case complete
    /// Stopped early by the pruner.
    case pruned
    /// The objective threw; `error` says why.
    case failed

    /// Complete, pruned or failed: the trial takes no more events.
    public var hasEnded: Bool { self == .complete || self == .pruned || self == .failed }
}

/// Whether an objective is to be made small or large.
public enum Direction: String, Codable, Sendable {
    case minimize, maximize

    /// `a` is better than `b`.
    public func better(_ a: Double, _ b: Double) -> Bool { self == .minimize ? a < b : a > b }
}

/// A trial frozen as a value: its configuration, state, objective values and intermediate reports.
public struct TrialRecord: Codable, Sendable, Equatable {
    public var number: Int
    public var state: TrialState
    public var configuration: Configuration
    /// One value per objective, once complete.
    public var values: [Double]?
    /// Constraint values, once complete: the trial is feasible when every one is ≤ 0 (Optuna's convention).
    public var constraints: [Double]?
    /// Intermediate values by step (epoch, boosting round, data fraction…), as reported.
    public var intermediate: [Int: Double]
    public var error: String?
    public var started: Date?
    public var finished: Date?

    public init(
        number: Int, state: TrialState, configuration: Configuration, values: [Double]? = nil,
        intermediate: [Int: Double] = [:], error: String? = nil, started: Date? = nil, finished: Date? = nil
    ) {
        self.number = number
        self.state = state
        self.configuration = configuration
        self.values = values
        self.constraints = nil
        self.intermediate = intermediate
        self.error = error
        self.started = started
        self.finished = finished
    }

    /// No constraint is violated (trials without constraints are feasible).
    public var isFeasible: Bool { (constraints ?? []).allSatisfy { $0 <= 0 } }

    /// The last reported step and value.
    public var lastReport: (step: Int, value: Double)? {
        intermediate.max { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

/// What a trial store keeps: the events of every trial, from which records are rebuilt.
public enum TrialEvent: Codable, Sendable, Equatable {
    case created(number: Int, configuration: Configuration, state: TrialState, time: Date)
    case started(number: Int, time: Date)
    case reported(number: Int, step: Int, value: Double)
    case finished(number: Int, state: TrialState, values: [Double]?, error: String?, time: Date)
    case constrained(number: Int, constraints: [Double])
    /// The trial goes back to the queue to run again from the start (its worker stopped heart-beating:
    /// a shared store's lease expired); its reports and start are forgotten, its configuration kept.
    case requeued(number: Int, reason: String, time: Date)

    public var number: Int {
        switch self {
        case .created(let n, _, _, _), .started(let n, _), .reported(let n, _, _), .finished(let n, _, _, _, _),
             .constrained(let n, _), .requeued(let n, _, _): return n
        }
    }

    /// Applies the event to the records (by trial number); stores rebuild their records with it.
    public static func replay(_ event: TrialEvent, into records: inout [Int: TrialRecord]) {
        apply(event, to: &records)
    }

    /// Applies the event to the records (by trial number).
    static func apply(_ event: TrialEvent, to records: inout [Int: TrialRecord]) {
        switch event {
        case .created(let n, let config, let state, let time):
            records[n] = TrialRecord(number: n, state: state, configuration: config, values: nil, intermediate: [:],
                                     error: nil, started: state == .running ? time : nil, finished: nil)
        case .started(let n, let time):
            records[n]?.state = .running
            records[n]?.started = time
        case .reported(let n, let step, let value):
            records[n]?.intermediate[step] = value
        case .constrained(let n, let constraints):
            records[n]?.constraints = constraints
        case .requeued(let n, _, _):
            records[n]?.state = .waiting
            records[n]?.started = nil
            records[n]?.intermediate = [:]
            records[n]?.constraints = nil
        case .finished(let n, let state, let values, let error, let time):
            records[n]?.state = state
            records[n]?.values = values
            records[n]?.error = error
            records[n]?.finished = time
        }
    }
}
