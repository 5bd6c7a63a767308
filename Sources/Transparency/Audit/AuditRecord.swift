import AutoML
import Foundation
import Learners
import MLData
import Search

/// One line of a model's `audit.jsonl`: its place in the trail, what it records, and the SHA-256 of the
/// line before it (64 zeros for the first), so that an edited, removed or moved line breaks the chain.
public struct AuditRecord: Codable, Sendable {
    public enum Kind: String, Codable, Sendable {
        /// The run's inputs: data, target, task, metric, seed, validation, settings and policy.
        case run
        /// A plan line (task decision, columns left out, input layout).
        case plan
        /// A trial: configuration, seed, fold scores, score, time, and why it was pruned or failed.
        case trial
        /// A configuration not tried, and why.
        case skipped
        /// A decision after the search: ensemble selection, the guard, a refit.
        case phase
        /// The final ensemble: its members and weights.
        case ensemble
        /// The last record: how many came before it.
        case end
    }

    public var seq: Int
    public var kind: Kind
    public var prev: String
    public var text: String?
    public var run: Run?
    public var trial: LeaderboardEntry?
    /// The seed the trial's fits were given (the run's seed plus the trial number).
    public var seed: UInt64?
    public var members: [Member]?
    public var score: Double?
    public var records: Int?

    public struct Run: Codable, Sendable {
        public var mlforge: String
        public var dataFile: String
        public var dataHash: String?
        public var rows: Int
        public var target: String
        public var task: PredictionTask
        public var classes: [String]
        public var metric: ValidationMetric
        public var seed: UInt64
        public var validation: String?
        public var settings: RunConstraints?
        public var policy: SearchPolicy?
    }

    public struct Member: Codable, Sendable {
        public var trial: Int
        public var family: LearnerFamily
        public var weight: Double
        public var models: Int
    }

    public init(seq: Int, kind: Kind, prev: String) {
        self.seq = seq
        self.kind = kind
        self.prev = prev
    }
}
