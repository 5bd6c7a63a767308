import MLData

/// What kind of prediction a model makes.
public enum PredictionTask: Codable, Sendable, Hashable, CustomStringConvertible {
    case regression
    /// Two classes; probabilities are given for both (class 1 is the positive class).
    case binary
    case multiclass(classes: Int)

    /// The number of classes (0 for regression).
    public var classCount: Int {
        switch self {
        case .regression: return 0
        case .binary: return 2
        case .multiclass(let k): return k
        }
    }

    public var isClassification: Bool { self != .regression }

    /// Scores a margin-based model fits per row: one for regression and two classes, one per class
    /// beyond (what the trees and the linear model grow or weigh per output).
    public var scoreCount: Int { classCount > 2 ? classCount : 1 }

    /// The task as the kind a user names (`--task`).
    public var kind: TaskKind {
        switch self {
        case .regression: return .regression
        case .binary: return .binary
        case .multiclass: return .multiclass
        }
    }

    /// The task for `k` classes (binary for 2 or fewer).
    public static func classification(classes k: Int) -> PredictionTask { k <= 2 ? .binary : .multiclass(classes: k) }

    public var description: String {
        switch self {
        case .regression: return "regression"
        case .binary: return "binary classification"
        case .multiclass(let k): return "\(k)-class classification"
        }
    }
}

/// Model inputs with their targets: preprocessed features and one target per row.
public struct LabeledData: Sendable, Equatable {
    public var features: FeatureMatrix
    public var target: TargetValues
    public var task: PredictionTask
    /// Class probabilities to learn instead of the labels (rows × classes, row-major; a teacher's soft
    /// labels in distillation): the families whose capabilities say `learnsSoftTargets` minimise the
    /// cross-entropy against them; the others learn `target`, which then holds each row's most probable
    /// class. Nil: the labels are the targets.
    public private(set) var softTargets: [Double]?

    public init(features: FeatureMatrix, target: TargetValues, task: PredictionTask) throws {
        guard features.rows == target.count else {
            throw LearnerError.invalidData("the features have \(features.rows) rows but there are \(target.count) targets")
        }
        switch (target, task) {
        case (.classes(let labels, let k), _) where task.isClassification:
            guard k == task.classCount || (task == .binary && k <= 2) else {
                throw LearnerError.invalidData("the targets have \(k) classes but the task is \(task)")
            }
            if let bad = labels.first(where: { $0 < 0 || $0 >= max(k, 2) }) {
                throw LearnerError.invalidData("class label \(bad) is outside 0..<\(max(k, 2)); drop rows whose target is missing first")
            }
        case (.values(let v), .regression):
            if v.contains(where: { !$0.isFinite }) {
                throw LearnerError.invalidData("a regression target is missing or not finite; drop those rows first")
            }
        default:
            throw LearnerError.invalidData("the targets do not match the task (\(task))")
        }
        self.features = features
        self.target = target
        self.task = task
    }

    public var rows: Int { features.rows }

    /// The same rows with class probabilities to learn (`softTargets`); each row's probabilities must be
    /// finite, non-negative and sum to 1 (within 1e-6).
    public func withSoftTargets(_ probabilities: [Double]) throws -> LabeledData {
        let k = max(2, task.classCount)
        guard task.isClassification else { throw LearnerError.invalidData("soft targets are class probabilities; a regression learns values") }
        guard probabilities.count == rows * k else {
            throw LearnerError.invalidData("\(probabilities.count) soft targets for \(rows) rows of \(k) classes")
        }
        for r in 0..<rows {
            let row = probabilities[(r * k)..<(r * k + k)]
            guard row.allSatisfy({ $0.isFinite && $0 >= 0 }), abs(row.reduce(0, +) - 1) <= 1e-6 else {
                throw LearnerError.invalidData("the soft targets of row \(r) are not probabilities that sum to 1")
            }
        }
        var copy = self
        copy.softTargets = probabilities
        return copy
    }

    /// The probabilities to learn per row: the soft targets, or each label as a one-hot row (rows ×
    /// classes; empty for regression).
    public var classProbabilities: [Double] {
        if let softTargets { return softTargets }
        let k = max(2, task.classCount)
        var out = [Double](repeating: 0, count: rows * (task.isClassification ? k : 0))
        if task.isClassification { for (r, c) in labels.enumerated() { out[r * k + c] = 1 } }
        return out
    }

    /// Class labels (empty for regression).
    public var labels: [Int] { if case .classes(let c, _) = target { return c } else { return [] } }
    /// Regression targets (empty for classification).
    public var values: [Double] { if case .values(let v) = target { return v } else { return [] } }

    /// The given rows.
    public func selecting(rows: [Int]) -> LabeledData {
        // Invariants hold for any subset of valid rows.
        var copy = self
        copy.features = features.selecting(rows: rows)
        copy.target = target.selecting(rows: rows)
        if let soft = softTargets {
            let k = max(2, task.classCount)
            copy.softTargets = rows.flatMap { soft[($0 * k)..<($0 * k + k)] }
        }
        return copy
    }

    /// The size and kind of the data, for search spaces and cost estimates.
    public var shape: DataShape {
        DataShape(rows: features.rows, features: features.columns, task: task,
                  categoricalGroups: features.categoricalGroups.count)
    }
}

/// The size and kind of a training set: what a learner's search space and cost estimate depend on.
public struct DataShape: Codable, Sendable, Hashable {
    public var rows: Int
    public var features: Int
    public var task: PredictionTask
    /// One-hot encoded categorical columns among the features.
    public var categoricalGroups: Int
    /// When the features are a signal (`[L]`) or an image (`[H, W]`) in order: the shape, for the
    /// convolutional spaces of architecture search.
    public var inputShape: [Int]?
    /// The architecture-search space to use (nil: chosen from `inputShape`).
    public var networkSpace: NetworkSpace?
    /// Rows without a target the fit may pretrain on (`FitContext.unlabeled`), for the families that can
    /// (`LearnerCapabilities.pretrainsOnUnlabeled`); nil: none.
    public var unlabeledRows: Int?

    public init(rows: Int, features: Int, task: PredictionTask, categoricalGroups: Int = 0) {
        self.rows = rows
        self.features = features
        self.task = task
        self.categoricalGroups = categoricalGroups
    }
}
