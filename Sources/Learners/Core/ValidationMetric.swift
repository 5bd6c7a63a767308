import MLData

/// The score a learner reports on validation rows while it trains; higher is always better
/// (losses and errors are negated).
public enum ValidationMetric: String, Codable, Sendable, CaseIterable {
    case logLoss = "log_loss"
    case accuracy
    case rocAUC = "roc_auc"
    case r2
    case rmse
    case mae

    /// Log loss for classification, R² for regression.
    public static func `default`(for task: PredictionTask) -> ValidationMetric { task.isClassification ? .logLoss : .r2 }

    public var isClassification: Bool { self == .logLoss || self == .accuracy || self == .rocAUC }

    /// Whether the metric scores only the order of the predictions: where the probabilities lie, and so
    /// which class they decide, does not change it.
    public var ranksOnly: Bool { self == .rocAUC }

    /// The metric a learner stops early, restores its best round and reports progress by: accuracy is a
    /// step function that stops improving after a few rounds (boosting stopped there keeps an undertrained,
    /// near-uniform model), so it is followed through log loss, its smooth proxy; the others as they are.
    public var roundMetric: ValidationMetric { self == .accuracy ? .logLoss : self }

    /// The metric that can actually be computed on `target`: ROC AUC needs both classes, so a
    /// validation fold with one class falls back to log loss.
    public func effective(for target: TargetValues) -> ValidationMetric {
        guard self == .rocAUC, case .classes(let labels, _) = target else { return self }
        return Set(labels).count < 2 ? .logLoss : self
    }

    /// The score of `predictions` against `target`, higher is better.
    public func score(_ predictions: Predictions, _ target: TargetValues) -> Double {
        switch (predictions, target) {
        case (.probabilities(let p, let k), .classes(let y, _)):
            switch effective(for: target) {
            case .accuracy: return Metrics.accuracy(y, Metrics.argmax(probabilities: p, classes: k))
            case .rocAUC:
                let auc = k == 2
                    ? try? Metrics.rocAUC(y, scores: stride(from: 1, to: p.count, by: 2).map { p[$0] })
                    : try? Metrics.rocAUCOneVsRest(y, probabilities: p, classes: k)
                return auc ?? -Metrics.logLoss(y, probabilities: p, classes: k)
            default: return -Metrics.logLoss(y, probabilities: p, classes: k)
            }
        case (.values(let v), .values(let y)):
            switch self {
            case .rmse: return -Metrics.rmse(y, v)
            case .mae: return -Metrics.mae(y, v)
            default: return Metrics.r2(y, v)
            }
        default:
            preconditionFailure("ValidationMetric.score: predictions and targets are of different kinds")
        }
    }
}
