import Foundation
import Learners
import MLData

/// Labels for a training table's fits from a model: the targets a student learns in distillation, or
/// the pseudo-labels of unlabeled rows in self-training (`AutoMLOptions.teacher`). The table's own
/// targets stay what every validation fold is scored on. A teacher's labels of the table's rows (when
/// given) replace the table's targets in every fit; the synthetic (or unlabeled) rows join each fold's
/// training rows — in distillation only those made from that fold's training rows, in self-training the
/// rows a labeller that never saw the fold's validation rows chose (`perFold`) — and the refit, never a
/// validation fold.
public struct TeacherLabels: Sendable {
    /// The teacher's prediction for each row of the training table (class probabilities in `classes`'
    /// order, or values); nil: the table's own targets (self-training).
    public var table: Predictions?
    /// The teacher's class labels in index order (empty for regression).
    public var classes: [String]
    /// Synthetic (or unlabeled) rows with the table's columns (the target column holds no values; a
    /// column the run excludes may be absent or is dropped).
    public var synthetic: DataFrame
    /// The teacher's prediction for each synthetic row.
    public var syntheticPredictions: Predictions
    /// For each synthetic row, the rows of the table it was made from (a row made from no single row,
    /// as a resampled one, has none and may train every fold).
    public var sources: [[Int]]
    /// Per validation fold, the synthetic rows that fold's fits learn and their labels (self-training:
    /// labelled by models fitted on the fold's training rows only); nil: by `sources`.
    public var perFold: [RowLabels]?
    /// The synthetic rows the refit on all rows learns and their labels; nil: all, with
    /// `syntheticPredictions`.
    public var refit: RowLabels?

    public init(table: Predictions?, classes: [String], synthetic: DataFrame, syntheticPredictions: Predictions, sources: [[Int]],
                perFold: [RowLabels]? = nil, refit: RowLabels? = nil) {
        self.table = table
        self.classes = classes
        self.synthetic = synthetic
        self.syntheticPredictions = syntheticPredictions
        self.sources = sources
        self.perFold = perFold
        self.refit = refit
    }
}

/// Some synthetic rows and what they are to learn (their predictions, in the rows' order).
public struct RowLabels: Sendable {
    public var rows: [Int]
    public var predictions: Predictions

    public init(rows: [Int], predictions: Predictions) {
        self.rows = rows
        self.predictions = predictions
    }
}

/// A plan's view of its teacher's labels: indexed by the plan's rows (those with a target) and its
/// classes, checked once. (`package`: the tests check which synthetic rows a fold may use.)
package struct TeacherTargets: Sendable {
    let labels: TeacherLabels
    /// The teacher's predictions for the plan's rows, with classes in the plan's order (nil: the
    /// table's targets).
    let rows: Predictions?
    /// The teacher's predictions for the synthetic rows, with classes in the plan's order.
    let synthetic: Predictions
    /// `labels.perFold` and `labels.refit` with classes in the plan's order.
    let perFold: [RowLabels]?
    let refit: RowLabels?
    /// The synthetic rows' sources as plan rows (nil for a source the plan dropped: it had no target).
    let sources: [[Int?]]
    /// The synthetic rows with the plan's columns (those the run excluded dropped).
    let syntheticFrame: DataFrame
    let task: PredictionTask

    package init(_ labels: TeacherLabels, keptRows: [Int], input: DataFrame, classes: [String], task: PredictionTask, folds: Int = 1) throws {
        let inputRows = input.rowCount
        if let table = labels.table, table.rows != inputRows {
            throw AutoMLError.invalidInput("the teacher labelled \(table.rows) rows but the table has \(inputRows)")
        }
        guard labels.syntheticPredictions.rows == labels.synthetic.rowCount, labels.sources.count == labels.synthetic.rowCount else {
            throw AutoMLError.invalidInput("the teacher labelled \(labels.syntheticPredictions.rows) of \(labels.synthetic.rowCount) synthetic rows")
        }
        for choice in (labels.perFold ?? []) + (labels.refit.map { [$0] } ?? []) {
            guard choice.predictions.rows == choice.rows.count, choice.rows.allSatisfy({ (0..<labels.synthetic.rowCount).contains($0) }) else {
                throw AutoMLError.invalidInput("a fold's synthetic rows do not match their labels")
            }
        }
        if let perFold = labels.perFold, perFold.count != folds {
            throw AutoMLError.invalidInput("the labels name synthetic rows for \(perFold.count) folds but the plan has \(folds)")
        }
        var order: [Int]?
        if task.isClassification {
            guard Set(labels.classes) == Set(classes), labels.classes.count == classes.count else {
                throw AutoMLError.invalidInput("the teacher knows the classes \(DataError.list(labels.classes)) but the table's target holds \(DataError.list(classes)); distil on the table the teacher was trained on")
            }
            order = classes.map { labels.classes.firstIndex(of: $0)! }
        } else {
            guard case .values = labels.syntheticPredictions else {
                throw AutoMLError.invalidInput("the teacher is a classifier but the table's target is numeric; give --task to read it as classes")
            }
        }
        func reordered(_ p: Predictions) -> Predictions {
            guard let order, case .probabilities(let q, let k) = p else { return p }
            var out = q
            for r in 0..<(q.count / max(1, k)) { for (c, from) in order.enumerated() { out[r * k + c] = q[r * k + from] } }
            return .probabilities(out, classes: k)
        }
        var planRow = [Int?](repeating: nil, count: inputRows)
        for (i, r) in keptRows.enumerated() { planRow[r] = i }
        self.labels = labels
        self.rows = labels.table.map { reordered($0).selecting(rows: keptRows) }
        self.synthetic = reordered(labels.syntheticPredictions)
        self.perFold = labels.perFold?.map { RowLabels(rows: $0.rows, predictions: reordered($0.predictions)) }
        self.refit = labels.refit.map { RowLabels(rows: $0.rows, predictions: reordered($0.predictions)) }
        self.sources = labels.sources.map { $0.map { planRow[$0] } }
        let extra = Set(labels.synthetic.columnNames).subtracting(input.columnNames)
        self.syntheticFrame = labels.synthetic.dropping(extra)
        self.task = task
    }

    /// The synthetic rows a fit on the plan rows `training` may use: those made from training rows only
    /// (every synthetic row for all rows).
    package func syntheticRows(within training: [Int]) -> [Int] {
        let allowed = Set(training)
        return sources.indices.filter { i in sources[i].allSatisfy { $0.map(allowed.contains) ?? false } }
    }

    /// The training frame and targets of a fit on the plan rows `rows` of `frame` (whose targets, for
    /// every plan row, are `target`) — validation fold `fold`'s training rows, or all rows for the refit
    /// (nil) — with the synthetic rows it may use. With a teacher's labels of the table: the teacher's
    /// targets, for classes each row's most probable class with the probabilities as soft targets;
    /// without (self-training): the table's targets and the synthetic rows' most probable classes (hard
    /// pseudo-labels, which measured better than soft ones for XGBoost), no soft targets.
    package func training(_ frame: DataFrame, target: TargetValues, rows: [Int], fold: Int?) throws -> (frame: DataFrame, target: TargetValues, soft: [Double]?) {
        let choice: RowLabels
        if let fold, let perFold {
            choice = perFold[fold]
        } else if fold == nil, let refit {
            choice = refit
        } else {
            let extra = syntheticRows(within: rows)
            choice = RowLabels(rows: extra, predictions: synthetic.selecting(rows: extra))
        }
        let joined = try frame.selecting(rows: rows).appending(syntheticFrame.selecting(rows: choice.rows))
        let table = self.rows ?? Self.predictions(target, classes: task.classCount)
        let p = Self.joined(rows.map { (table, $0) } + choice.rows.indices.map { (choice.predictions, $0) })
        switch p {
        case .values(let v): return (joined, .values(v), nil)
        case .probabilities(let q, _): return (joined, .classes(p.classes ?? [], classCount: task.classCount), self.rows == nil ? nil : q)
        }
    }

    /// Targets as predictions: class labels as one-hot probabilities, values as values.
    static func predictions(_ target: TargetValues, classes: Int) -> Predictions {
        switch target {
        case .values(let v): return .values(v)
        case .classes(let labels, _):
            let k = max(2, classes)
            var p = [Double](repeating: 0, count: labels.count * k)
            for (r, c) in labels.enumerated() where c >= 0 { p[r * k + c] = 1 }
            return .probabilities(p, classes: k)
        }
    }

    /// The rows picked out of several predictions, in order.
    private static func joined(_ picks: [(Predictions, Int)]) -> Predictions {
        guard let first = picks.first?.0 else { return .values([]) }
        switch first {
        case .values:
            return .values(picks.map { p, i in if case .values(let v) = p { return v[i] } else { return .nan } })
        case .probabilities(_, let k):
            var out: [Double] = []
            out.reserveCapacity(picks.count * k)
            for (p, i) in picks { if case .probabilities(let q, _) = p { out += q[(i * k)..<(i * k + k)] } }
            return .probabilities(out, classes: k)
        }
    }
}
