import Foundation
import Learners
import MLData

/// Settings of one AutoML run.
public struct AutoMLOptions: Sendable {
    /// The time budget; the run ends, with its artifact written when it saves, within it.
    public var budget: Duration = .seconds(10)
    /// When the budget started (for a caller that counts its own work, CSV loading say); default: now.
    public var start: ContinuousClock.Instant?
    /// The metric to optimise (default: ROC AUC for binary, log loss for multiclass, R² for regression).
    public var metric: ValidationMetric?
    /// The task, when the target alone cannot decide it.
    public var task: TaskKind?
    public var seed: UInt64 = 0
    /// Threads each fit may use.
    public var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    /// A configuration whose estimated memory exceeds this many bytes is skipped (and logged).
    public var memoryLimit: Int?
    /// At most this many trials (with a fixed seed this makes a run reproducible).
    public var maxTrials: Int?
    /// The model families the search may use.
    public var families: [LearnerFamily] = [.xgboost, .randomForest, .linear, .knn, .mlp]
    /// Rounds of greedy ensemble selection.
    public var ensembleRounds = 40
    /// A folder where each family's trials are stored (SQLite) as the search runs, so that a killed run
    /// can be resumed; nil keeps them in memory.
    public var journal: URL?
    /// Continue the search stored in `journal`: each family's strategy starts from its stored trials,
    /// and its best stored configurations are re-evaluated first (they rebuild the ensemble's candidates).
    public var resume = false
    /// Receives progress events (trials, skips, phases) as they happen.
    public var log: (@Sendable (AutoMLEvent) -> Void)?

    public init() {}
}

/// What a run reports while it works.
public enum AutoMLEvent: Sendable {
    /// The plan: rows, task, metric and validation scheme.
    case plan(String)
    /// A finished trial.
    case trial(LeaderboardEntry, best: Double, left: Duration)
    /// A configuration not tried, and why.
    case skipped(LearnerFamily, String)
    /// A phase of the run (ensemble, refit, save).
    case phase(String)
}

/// The metric an AutoML run optimises by default for a task.
extension ValidationMetric {
    public static func automlDefault(for task: PredictionTask) -> ValidationMetric {
        switch task {
        case .binary: return .rocAUC
        case .multiclass: return .logLoss
        case .regression: return .r2
        }
    }
}
