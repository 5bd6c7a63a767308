import Learners
import MLData

extension AutoMLModel {
    /// The class predicted for each row of `frame` from its predictions `p` (nil for regression): the
    /// more probable class, the model's `decisionThreshold`, or, for a model fitted with `--fairness`,
    /// the threshold of the row's group.
    public func decisions(_ p: Predictions, frame: DataFrame) throws -> [Int]? {
        guard let classes = p.classes else { return nil }
        if let t = decidingThreshold, let scores = p.positiveScores { return scores.map { t.isPositive($0) ? 1 : 0 } }
        guard let rule = fairness, let scores = p.positiveScores else { return classes }
        let name = rule.constraint.column
        guard let column = frame[name] else {
            throw AutoMLError.invalidInput("the model decides by the groups of '\(name)' (it was fitted with --fairness), so the data needs that column; its columns are: \(DataError.list(frame.columnNames))")
        }
        let groups = GroupThresholds.labels(column, rows: Array(0..<frame.rowCount))
        return scores.indices.map { rule.isPositive(scores[$0], group: groups[$0]) ? 1 : 0 }
    }
}
