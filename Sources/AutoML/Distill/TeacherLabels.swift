import Foundation
import Learners
import MLData

/// What a teacher model says about a training table and about synthetic rows made from it: the targets a
/// student learns in distillation (`AutoMLOptions.teacher`). The table's own targets stay what every
/// validation fold is scored on; the teacher's replace them in every fit, and the synthetic rows join
/// each fold's training rows — only those made from that fold's training rows — and the refit, never a
/// validation fold.
public struct TeacherLabels: Sendable {
    /// The teacher's prediction for each row of the training table (class probabilities in `classes`'
    /// order, or values).
    public var table: Predictions
    /// The teacher's class labels in index order (empty for regression).
    public var classes: [String]
    /// Synthetic rows with the table's columns (the target column holds no values; a column the run
    /// excludes may be absent or is dropped).
    public var synthetic: DataFrame
    /// The teacher's prediction for each synthetic row.
    public var syntheticPredictions: Predictions
    /// For each synthetic row, the rows of the table it was made from (a row made from no single row,
    /// as a resampled one, has none and may train every fold).
    public var sources: [[Int]]

    public init(table: Predictions, classes: [String], synthetic: DataFrame, syntheticPredictions: Predictions, sources: [[Int]]) {
        self.table = table
        self.classes = classes
        self.synthetic = synthetic
        self.syntheticPredictions = syntheticPredictions
        self.sources = sources
    }
}

/// A plan's view of its teacher's labels: indexed by the plan's rows (those with a target) and its
/// classes, checked once. (`package`: the tests check which synthetic rows a fold may use.)
package struct TeacherTargets: Sendable {
    let labels: TeacherLabels
    /// The teacher's predictions for the plan's rows, with classes in the plan's order.
    let rows: Predictions
    /// The teacher's predictions for the synthetic rows, with classes in the plan's order.
    let synthetic: Predictions
    /// The synthetic rows' sources as plan rows (nil for a source the plan dropped: it had no target).
    let sources: [[Int?]]
    /// The synthetic rows with the plan's columns (those the run excluded dropped).
    let syntheticFrame: DataFrame
    let task: PredictionTask

    package init(_ labels: TeacherLabels, keptRows: [Int], input: DataFrame, classes: [String], task: PredictionTask) throws {
        let inputRows = input.rowCount
        guard labels.table.rows == inputRows else {
            throw AutoMLError.invalidInput("the teacher labelled \(labels.table.rows) rows but the table has \(inputRows)")
        }
        guard labels.syntheticPredictions.rows == labels.synthetic.rowCount, labels.sources.count == labels.synthetic.rowCount else {
            throw AutoMLError.invalidInput("the teacher labelled \(labels.syntheticPredictions.rows) of \(labels.synthetic.rowCount) synthetic rows")
        }
        var order: [Int]?
        if task.isClassification {
            guard Set(labels.classes) == Set(classes), labels.classes.count == classes.count else {
                throw AutoMLError.invalidInput("the teacher knows the classes \(DataError.list(labels.classes)) but the table's target holds \(DataError.list(classes)); distil on the table the teacher was trained on")
            }
            order = classes.map { labels.classes.firstIndex(of: $0)! }
        } else {
            guard case .values = labels.table else {
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
        self.rows = reordered(labels.table).selecting(rows: keptRows)
        self.synthetic = reordered(labels.syntheticPredictions)
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

    /// The training frame and targets for the plan rows `rows` of `frame`: those rows and the synthetic
    /// rows made from them, with the teacher's targets (for classes: each row's most probable class, and
    /// the probabilities as soft targets).
    package func training(_ frame: DataFrame, rows: [Int]) throws -> (frame: DataFrame, target: TargetValues, soft: [Double]?) {
        let extra = syntheticRows(within: rows)
        let joined = try frame.selecting(rows: rows).appending(syntheticFrame.selecting(rows: extra))
        let p = Self.joined(rows.map { (self.rows, $0) } + extra.map { (synthetic, $0) })
        switch p {
        case .values(let v): return (joined, .values(v), nil)
        case .probabilities(let q, _): return (joined, .classes(p.classes ?? [], classCount: task.classCount), q)
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
