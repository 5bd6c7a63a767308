/// Exact per-feature attributions of a model's raw output (TreeSHAP, Lundberg et al. 2018/2020, as
/// XGBoost computes it with `pred_contribs`): for every row and output, one value per feature and a
/// bias, summing to the model's margin (log-odds for a binary task, per-class scores for multiclass, the
/// value for regression).
public struct Contributions: Sendable, Equatable {
    public var rows: Int
    /// 1 for binary and regression, the class count for multiclass.
    public var outputs: Int
    public var features: Int
    /// Row-major: row, then output, then the features and the bias last (`features + 1` values).
    public var values: [Double]

    public init(rows: Int, outputs: Int, features: Int, values: [Double]) {
        precondition(values.count == rows * outputs * (features + 1), "contributions need rows × outputs × (features + 1) values")
        self.rows = rows
        self.outputs = outputs
        self.features = features
        self.values = values
    }

    /// The attributions of `row` for `output`: `features` values, then the bias.
    public func of(row: Int, output: Int = 0) -> ArraySlice<Double> {
        let start = (row * outputs + output) * (features + 1)
        return values[start..<(start + features + 1)]
    }

    /// The weighted average of several models' contributions over the same rows (a forest's chunks, a
    /// member's fold models): attributions are linear in the margin.
    public static func average(_ parts: [Contributions], weights: [Double]) -> Contributions? {
        guard let first = parts.first, parts.allSatisfy({ $0.values.count == first.values.count }) else { return nil }
        let total = weights.reduce(0, +)
        var sum = [Double](repeating: 0, count: first.values.count)
        for (p, w) in zip(parts, weights) { for i in sum.indices { sum[i] += p.values[i] * w / total } }
        return Contributions(rows: first.rows, outputs: first.outputs, features: first.features, values: sum)
    }
}
