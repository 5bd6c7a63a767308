import Foundation
import MLData

/// One intermediate result of a fit: after `step` rounds (trees, epochs, forest chunks), the validation score.
public struct FitProgress: Sendable, Equatable {
    public var step: Int
    /// Higher is better (see `ValidationMetric`).
    public var score: Double
}

/// What the caller answers to a progress report.
public enum FitControl: Sendable { case proceed, stop }

/// Everything a fit needs besides data and configuration: seed, deadline, threads, the validation
/// metric, and a progress reporter through which a search prunes the fit.
public struct FitContext: Sendable {
    /// Seeds every random choice of the fit: one seed, one model.
    public var seed: UInt64
    /// The fit stops at its next round boundary after this instant (and returns the model so far).
    public var deadline: ContinuousClock.Instant?
    /// Threads the learner may use.
    public var threads: Int
    /// The validation metric reported each round (nil: log loss or R², by task).
    public var metric: ValidationMetric?
    /// Called after each round that had validation rows; `.stop` ends the fit at once.
    public var report: (@Sendable (FitProgress) -> FitControl)?
    /// Data derived from this fit's training and validation rows that earlier fits on the same rows kept
    /// (nil: derive everything afresh). See `FitCache`.
    public var cache: FitCache?
    /// Features (by index) the model's output must not decrease (+1) or not increase (−1) in; only
    /// families whose capabilities say `keepsMonotone` are given any.
    public var monotone: [Int: Int] = [:]
    /// Rows without a target, prepared like the training rows, for the families that pretrain on them
    /// (`LearnerCapabilities.pretrainsOnUnlabeled`); nil: none.
    public var unlabeled: FeatureMatrix?

    public init(
        seed: UInt64 = 0, deadline: ContinuousClock.Instant? = nil,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        metric: ValidationMetric? = nil, report: (@Sendable (FitProgress) -> FitControl)? = nil
    ) {
        self.seed = seed
        self.deadline = deadline
        self.threads = max(1, threads)
        self.metric = metric
        self.report = report
    }

    /// True once the deadline has passed.
    public var isPastDeadline: Bool { deadline.map { ContinuousClock.now >= $0 } ?? false }

    /// A fit with `seconds` from now.
    public static func within(seconds: Double, seed: UInt64 = 0) -> FitContext {
        FitContext(seed: seed, deadline: .now + .milliseconds(Int(seconds * 1000)))
    }

    func metric(for task: PredictionTask) -> ValidationMetric {
        guard let metric, metric.isClassification == task.isClassification else { return .default(for: task) }
        return metric
    }
}
