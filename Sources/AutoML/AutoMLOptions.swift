import Foundation
import Learners
import MLData
import Search

/// Settings of one AutoML run.
public struct AutoMLOptions: Sendable {
    /// The time budget; the run ends, with its artifact written when it saves, within it.
    public var budget: Duration = .seconds(10)
    /// When the budget started (for a caller that counts its own work, CSV loading say); default: now.
    public var start: ContinuousClock.Instant?
    /// Where the run reads the time. Learners compare their deadlines with the system clock, so another
    /// clock is only for tests, with learners that move it themselves.
    public var clock: any RunClock = SystemRunClock()
    /// The metric to optimise (default: ROC AUC for binary, log loss for multiclass, R² for regression).
    public var metric: ValidationMetric?
    /// The metric for a classification task when `metric` is nil (nil: the default above).
    public var classificationMetric: ValidationMetric?
    /// The task, when the target alone cannot decide it.
    public var task: TaskKind?
    public var seed: UInt64 = 0
    /// Threads each fit may use.
    public var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    /// A configuration whose estimated memory exceeds this many bytes is skipped (and logged).
    public var memoryLimit: Int?
    /// At most this many trials (with a fixed seed this makes a run reproducible).
    public var maxTrials: Int?
    /// The model families the search may use (nil: `standardFamilies`, plus architecture search when the
    /// rows are a signal or an image).
    public var families: [LearnerFamily]?
    public static let standardFamilies: [LearnerFamily] = [.xgboost, .randomForest, .linear, .knn, .mlp]
    /// Columns the model's output must not decrease (+1) or not increase (−1) in (`--monotone`): only
    /// families that keep monotone constraints run (XGBoost's trees and forests), with XGBoost's
    /// `monotone_constraints`; the others are left out, and the plan says so.
    public var monotone: [String: Int] = [:]
    /// Input columns the model must not use (`--exclude`): dropped before anything else, and recorded.
    public var excludedColumns: [String] = []
    /// A bound on how differently the model may treat the groups of a sensitive column (`--fairness`,
    /// binary classification): met with a decision threshold per group (`GroupThresholds`).
    public var fairness: FairnessConstraint?
    /// The shape of the rows for architecture search: `[L]` a signal, `[H, W]` an image (nil: detected from
    /// the columns when `detectsInputLayout`, else tabular).
    public var inputShape: [Int]?
    /// Whether a table whose columns look like a signal or an image is read as one (`InputLayout.detect`);
    /// false is `--shape none`.
    public var detectsInputLayout = true
    /// The architecture-search space (nil: from the input shape).
    public var networkSpace: NetworkSpace?
    /// The strategy that searches the architecture space.
    public var nasStrategy: SearchStrategyKind = .evolution
    /// Hard limits on a designed network: trainable parameters and the latency of predicting one row.
    /// `maxLatencyMs` also bounds the final model: the ensemble's members together (each predicting every
    /// row) must predict within it per row, as measured on the validation rows in batch.
    public var maxParameters: Int?
    public var maxLatencyMs: Double?
    /// A hard limit on the final model's size in bytes (its members' saved models, before preprocessing).
    public var maxModelBytes: Int?
    /// Validate on a hold-out of this fraction of the rows whatever the data size (nil: 5-fold
    /// cross-validation up to 5,000 rows, else a 20% hold-out).
    public var holdoutFraction: Double?
    /// Repeats of the cross-validation (nil: `ValidationPolicy.repeats` for the budget; one under a trial
    /// cap, and in a shared search, whose folds every process and every resumed coordinator must share
    /// whatever its --time). No effect under a hold-out.
    public var validationRepeats: Int?

    /// The cross-validation repeats this run asks for (see `validationRepeats`).
    var repeatsWanted: Int {
        let byBudget = maxTrials == nil && sharedStart == nil && sharedRun == nil
        return validationRepeats ?? (byBudget ? policy.validation.repeats(budgetSeconds: budget.inSeconds) : 1)
    }
    /// Climb from cheap to costly configurations (FLAML's cost allowance). Off, every family's strategy
    /// proposes freely (used to compare search strategies as they are).
    public var costAllowance = true
    /// Queue each family's portfolio of known-good configurations right after its low-cost point. Off,
    /// the strategies alone propose (used to compare them).
    public var portfolio = true
    /// What was learned from other datasets (`LearnedPrior`): the nearest known datasets' best
    /// configurations and the learned portfolio become each family's a-priori configurations (nil: the
    /// families' hand-set portfolios).
    public var prior: LearnedPrior? = LearnedPrior.shipped
    /// The local knowledge base (`KnowledgeBase`, SQLite) that this fit reads beside the prior and that
    /// `FolderFit` appends the fit's meta-features and trials to (nil: neither; `mlforge fit` passes
    /// ~/.mlforge/knowledge.sqlite unless `--no-learn`).
    public var knowledge: URL?
    /// Called with each new best trial, with a function that predicts new rows with that trial's models.
    public var onIncumbent: (@Sendable (Incumbent) -> Void)?
    /// Every tuning constant of the plan, search, ensemble and refit (see `SearchPolicy`); recorded in
    /// the model folder's manifest.
    public var policy = SearchPolicy.standard
    /// Keep searched configurations in the ensemble only when they beat the a-priori ones (low-cost points
    /// and portfolios) on held-out halves of the validation rows (see `EnsembleSelection.gate`).
    public var searchGate = true
    /// A folder where each family's trials are stored (SQLite) as the search runs, so that a killed run
    /// can be resumed; nil keeps them in memory.
    public var journal: URL?
    /// Continue the search stored in `journal`: each family's strategy starts from its stored trials,
    /// and its best stored configurations are re-evaluated first (they rebuild the ensemble's candidates).
    public var resume = false
    /// This process's side of a shared search (`SharedSearch`), set by `FolderFit` for a coordinator and
    /// by `SearchWorker`; nil: the search is this process's alone.
    var sharedRun: SharedRun?
    /// A coordinator's study to start once the fit has checked its options and data (`FolderFit`).
    var sharedStart: SharedStart?
    /// Time kept at the end of the budget for the model's documents (`FolderFit` with a documenter
    /// sets it from `BudgetPolicy.documents`); the run plans within the budget less this.
    public var documentsReserve: Duration = .zero
    /// Configurations queued first in each family, before its a-priori ones (a self-training round starts
    /// from the ensemble members of the round before); empty by default.
    public var startingConfigurations: [LearnerFamily: [Configuration]] = [:]
    /// A teacher's labels for the table and for synthetic rows (`mlforge distill`): every fit learns them
    /// instead of the table's targets (soft labels for the families that learn them), with the synthetic
    /// rows added to its training rows; validation stays on the table's own targets (see `TeacherLabels`).
    public var teacher: TeacherLabels?
    /// Rows without a target (the training table's columns; the target absent or empty) that the network
    /// families may pretrain on (`MLPLearner`'s `pretrain`: VIME), a searched choice like any other;
    /// `fit --unlabeled` sets it. nil: none.
    public var unlabeled: DataFrame?
    /// Validate on the plan's folds to the end: no hold-out in place of cross-validation that does not
    /// fit the budget (`SearchRun.holdOutIfFoldsDoNotFit`). Self-training sets it for each of its fits:
    /// a round is kept only by a comparison with the fit before it on the same folds, and each fold's
    /// pseudo-labels come from models that never saw that fold.
    public var keepsValidationScheme = false
    /// Receives progress events (trials, skips, phases) as they happen.
    public var log: (@Sendable (AutoMLEvent) -> Void)?
    /// Set when the task that called the async `AutoML.fit` was cancelled: the search stops and the run
    /// throws `CancellationError` without building a model.
    var cancellation: LockedBox<Bool>?

    /// Throws `CancellationError` once the run was cancelled.
    func checkCancellation() throws {
        if cancellation?.current == true { throw CancellationError() }
    }

    public init() {}

    /// The settings of an architecture search on its own (`mlforge nas`): only the NAS family, searched
    /// by `strategy` as it proposes (no cost allowance), validated on a 20% hold-out, and the single best
    /// network kept; classification is scored by accuracy.
    public static func architectureSearch(strategy: SearchStrategyKind, budget: Duration, seed: UInt64 = 0) -> AutoMLOptions {
        var o = AutoMLOptions()
        o.families = [.nas]
        o.nasStrategy = strategy
        o.budget = budget
        o.seed = seed
        o.holdoutFraction = 0.2
        o.costAllowance = false
        o.policy.ensemble.rounds = 1
        o.classificationMetric = .accuracy
        o.searchGate = false
        return o
    }
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
