import AutoML
import Foundation
import Learners
import MLData
import Support

/// Permutation importance (Breiman 2001, as scikit-learn's `permutation_importance`): each column's values
/// are shuffled among the rows, `repeats` times, and the drop of the score is the column's importance.
public enum PermutationImportance {
    /// Importances of `columns` of `frame` for a model that predicts with `predict`, scored by `metric`
    /// against `target`. Whole rounds (every column once) run while the next one is expected to end
    /// by `deadline`, up to `repeats`; at least `minimumRepeats` rounds run, whatever the deadline.
    public static func measure(
        _ frame: DataFrame, target: TargetValues, columns: [String], metric: ValidationMetric, repeats: Int, seed: UInt64,
        source: String, minimumRepeats: Int = 1, deadline: ContinuousClock.Instant? = nil, predict: (DataFrame) throws -> Predictions
    ) throws -> Importance {
        let baseline = metric.score(try predict(frame), target)
        var drops = [[Double]](repeating: [], count: columns.count)
        var rng = SeededGenerator(seed: seed)
        var round = 0
        while round < repeats {
            let started = ContinuousClock.now
            for (c, name) in columns.enumerated() {
                guard let column = frame[name] else { continue }
                var order = Array(0..<frame.rowCount)
                order.seededShuffle(using: &rng)
                var shuffled = frame
                try shuffled.setColumn(column.selecting(rows: order))
                drops[c].append(baseline - metric.score(try predict(shuffled), target))
            }
            round += 1
            let took = ContinuousClock.now - started
            if round >= minimumRepeats, let deadline, ContinuousClock.now + took > deadline { break }
        }
        let out = columns.indices.map { c -> Importance.Column in
            let d = drops[c].filter(\.isFinite)
            let mean = d.isEmpty ? 0 : d.reduce(0, +) / Double(d.count)
            let std = d.count < 2 ? 0 : (d.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(d.count - 1)).squareRoot()
            let half = d.isEmpty ? 0 : 2 * std / Double(d.count).squareRoot()
            return .init(column: columns[c], mean: mean, std: std, low: mean - half, high: mean + half)
        }
        return Importance(source: source, rows: frame.rowCount, repeats: round, metric: metric.rawValue,
                          baseline: Leaderboard.display(baseline, metric), columns: out.sorted { $0.mean > $1.mean })
    }
}
