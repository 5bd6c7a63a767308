import Foundation
import Learners
import MLData
import Search

/// An input column the model was trained on, with its type.
public struct InputColumn: Codable, Sendable, Equatable {
    public var name: String
    public var type: ColumnType
}

/// One model of the final ensemble: its weight and its fitted models (one per validation fold, or one
/// refitted on all rows), each with the key of the preprocessing it expects.
public struct EnsembleMember: Sendable {
    public var family: LearnerFamily
    public var weight: Double
    public var summary: String
    public var trial: Int
    public var configuration: Configuration
    /// The training rows of each fold model when the trial ran on a seeded subsample (nil: all rows);
    /// a refit on all rows keeps the same share.
    public var trainingRows: Int?
    var models: [(key: String, model: any FittedModel)]

    public var modelCount: Int { models.count }

    /// The fitted models with the key of the preprocessing each expects (exporters read them).
    package var parts: [(key: String, model: any FittedModel)] { models }
}

/// The result of `AutoML.fit`: preprocessing, a weighted ensemble of fitted models, and the record of
/// the search. Predicts from a table with the training columns (extra columns ignored; missing values and
/// unseen categories handled), and saves to / loads from an artifact folder.
public struct AutoMLModel: Sendable {
    public var schema: [InputColumn]
    public var targetName: String
    public var task: PredictionTask
    /// Class labels in index order (empty for regression).
    public var classes: [String]
    public var metric: ValidationMetric
    public var seed: UInt64
    public var preprocessors: [String: FittedPreprocessor]
    public var members: [EnsembleMember]
    public var leaderboard: Leaderboard
    /// A checksum of the training data, when the caller gave one.
    public var dataHash: String?
    /// The policy the run used (nil for a model folder written before policies were recorded).
    public var policy: SearchPolicy?
    /// What the training table looked like to the meta-learner (nil in older model folders).
    public var metaFeatures: MetaFeatures?
    /// What the fit took from the learned prior and the local knowledge base (nil: nothing).
    public var prior: PriorUse?
    /// What the user constrained (nil in older model folders).
    public var constraints: RunConstraints?
    /// The ensemble's validation predictions, right after a fit (nil once the model was saved and
    /// loaded: they are not part of the folder).
    public var validation: ValidationRecord?
    /// The decision threshold per group that meets a fairness bound (`fit --fairness`; nil: the more
    /// probable class). Stored in the manifest.
    public var fairness: GroupThresholds?
    /// The probability of the positive class from which a binary model whose metric only ranks decides
    /// for it (nil: the more probable class). Stored in the manifest.
    public var decisionThreshold: DecisionThreshold?

    /// The decision threshold when it decides: a fairness rule's per-group thresholds come first.
    public var decidingThreshold: DecisionThreshold? { fairness == nil ? decisionThreshold : nil }
    /// The teacher this model learned from (`mlforge distill`; nil: it learned the table's targets).
    /// Stored in the manifest.
    public var distillation: DistillationRecord?
    /// What self-training did (`fit --unlabeled`; nil: no unlabeled rows were given). Stored in the manifest.
    public var selfTraining: SelfTrainingRecord?

    /// Class probabilities (or values) for every row of `frame`.
    public func predict(_ frame: DataFrame) throws -> Predictions {
        try checkSchema(frame)
        var features: [String: FeatureMatrix] = [:]
        for key in Set(members.flatMap { $0.models.map(\.key) }) {
            guard let p = preprocessors[key] else {
                throw AutoMLError.unreadableArtifact("the preprocessing '\(key)' that a model needs is missing")
            }
            features[key] = try p.transform(frame).features
        }
        var memberPredictions: [Predictions] = []
        for m in members {
            let parts = try m.models.map { part -> Predictions in
                guard let x = features[part.key] else { throw AutoMLError.unreadableArtifact("no features for '\(part.key)'") }
                return try part.model.predict(x)
            }
            guard let mean = EnsembleSelection.combine(parts, weights: [Double](repeating: 1, count: parts.count)) else { continue }
            memberPredictions.append(mean)
        }
        guard let out = EnsembleSelection.combine(memberPredictions, weights: members.map(\.weight)) else {
            throw AutoMLError.unreadableArtifact("the model has no ensemble members")
        }
        return out
    }

    /// The predicted label per row (class labels as in the training data, or numbers as text).
    public func predictLabels(_ frame: DataFrame) throws -> [String] {
        let p = try predict(frame)
        if let c = try decisions(p, frame: frame) { return c.map { classes[$0] } }
        return EnsembleSelection.values(p).map { Column.format($0) }
    }

    /// The input columns some member's preprocessing reads, in the schema's order (the others were left
    /// out: missing, constant, identifier-like or copies).
    public var usedColumns: [String] {
        let used = Set(preprocessors.values.flatMap(\.usedColumns))
        return schema.map(\.name).filter { used.contains($0) }
    }

    /// The training columns must be present; their types are read as at training time.
    func checkSchema(_ frame: DataFrame) throws {
        let missing = schema.map(\.name).filter { frame[$0] == nil }
        guard !missing.isEmpty else { return }
        let used = Set(preprocessors.values.flatMap(\.usedColumns))
        let needed = missing.filter { used.contains($0) }
        if !needed.isEmpty {
            throw AutoMLError.invalidInput("the data lacks the column\(needed.count == 1 ? "" : "s") \(DataError.list(needed)) that the model was trained on; its columns are: \(DataError.list(frame.columnNames))")
        }
    }

    /// Scores the model on a labelled table with its metric and the usual companions.
    public func evaluate(_ frame: DataFrame) throws -> [String: Double] {
        guard let column = frame[targetName] else {
            throw AutoMLError.invalidInput("the data has no target column '\(targetName)' to evaluate against")
        }
        let p = try predict(frame)
        var out: [String: Double] = [:]
        if task.isClassification {
            let (labels, _) = LabelEncoder(classes: classes).encode(column)
            let rows = labels.indices.filter { labels[$0] >= 0 }
            guard !rows.isEmpty else { throw AutoMLError.invalidInput("no row of '\(targetName)' holds a class the model knows") }
            let y = rows.map { labels[$0] }
            let q = p.selecting(rows: rows)
            let target = TargetValues.classes(y, classCount: classes.count)
            let decided = try decisions(p, frame: frame) ?? []
            out["accuracy"] = Double(rows.filter { decided[$0] == labels[$0] }.count) / Double(rows.count)
            out["log_loss"] = -ValidationMetric.logLoss.score(q, target)
            if Set(y).count > 1 { out["roc_auc"] = ValidationMetric.rocAUC.score(q, target) }
            out["rows"] = Double(rows.count)
        } else {
            let v = column.numericView().values
            let rows = v.indices.filter { v[$0].isFinite }
            let target = TargetValues.values(rows.map { v[$0] })
            let q = p.selecting(rows: rows)
            out["r2"] = ValidationMetric.r2.score(q, target)
            out["rmse"] = -ValidationMetric.rmse.score(q, target)
            out["mae"] = -ValidationMetric.mae.score(q, target)
            out["rows"] = Double(rows.count)
        }
        return out
    }
}
