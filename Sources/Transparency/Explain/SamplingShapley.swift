import Foundation
import Learners
import MLData
import Support

/// Shapley values of a model's output for some rows, estimated by sampling permutations of the input
/// columns (Štrumbelj and Kononenko 2014): for each sample, a random order of the columns and a random
/// background row; the columns are switched one by one from the background row's values to the row's
/// own, and each switch's change of the output is that column's contribution. The mean over samples is
/// the estimate, with its standard error; in every sample the contributions add up exactly to the output
/// minus the background row's output (interventional Shapley values, as KernelSHAP estimates them).
public enum SamplingShapley {
    public struct Row: Codable, Sendable {
        /// The row's index in the explained table.
        public var row: Int
        /// What is explained: "p(CLASS)" (the positive class, or the class predicted for the row) or the target.
        public var output: String
        /// The class whose probability is explained (nil for a value).
        public var classIndex: Int?
        public var value: Double
        /// The mean output over the background rows drawn: value ≈ baseline + Σ shapley.
        public var baseline: Double
        /// Most influential first.
        public var columns: [Column]
    }

    public struct Column: Codable, Sendable {
        public var column: String
        public var shapley: Double
        public var standardError: Double
    }

    /// Estimates for `rows` of `frame` against background rows `background` of the same table; `classes`
    /// are the model's classes (empty for regression, then `target` names the output).
    public static func estimate(
        _ frame: DataFrame, rows: [Int], columns: [String], background: [Int], samples: Int, seed: UInt64,
        classes: [String], target: String, predict: (DataFrame) throws -> Predictions
    ) throws -> [Row] {
        guard !rows.isEmpty, !background.isEmpty, samples > 0, !columns.isEmpty else { return [] }
        // The output each row is explained by: the positive class, the class predicted for it, or the value.
        let own = try predict(frame.selecting(rows: rows))
        let chosen: [Int] = rows.indices.map { i in
            guard case .probabilities(let q, let k) = own else { return -1 }
            return k == 2 ? 1 : (0..<k).max { q[i * k + $0] < q[i * k + $1] }!
        }
        var rng = SeededGenerator(seed: seed)
        let c = columns.count, chain = c + 1
        // Every step of every sample as one table: column j of synthetic row s comes from `source[j][s]`.
        var source = [[Int]](repeating: [], count: c)
        var orders: [[Int]] = []
        for r in rows {
            for _ in 0..<samples {
                var order = Array(0..<c)
                order.seededShuffle(using: &rng)
                orders.append(order)
                var from = [Int](repeating: background[rng.uniform(below: background.count)], count: c)
                for step in 0...c {
                    if step > 0 { from[order[step - 1]] = r }
                    for j in 0..<c { source[j].append(from[j]) }
                }
            }
        }
        var built: [MLData.Column] = []
        for (j, name) in columns.enumerated() { built.append(try frame.column(named: name).selecting(rows: source[j])) }
        let p = try predict(try DataFrame(columns: built))
        func value(_ s: Int, _ cls: Int) -> Double {
            switch p {
            case .values(let v): return v[s]
            case .probabilities(let q, let k): return q[s * k + cls]
            }
        }
        var out: [Row] = []
        for (i, r) in rows.enumerated() {
            var sums = [Double](repeating: 0, count: c), squares = [Double](repeating: 0, count: c)
            var baseline = 0.0
            for m in 0..<samples {
                let k = i * samples + m, start = k * chain
                baseline += value(start, chosen[i])
                for step in 1...c {
                    let d = value(start + step, chosen[i]) - value(start + step - 1, chosen[i])
                    sums[orders[k][step - 1]] += d
                    squares[orders[k][step - 1]] += d * d
                }
            }
            let n = Double(samples)
            let cols = (0..<c).map { j -> Column in
                let mean = sums[j] / n
                let variance = samples > 1 ? max(0, (squares[j] - n * mean * mean) / (n - 1)) : 0
                return Column(column: columns[j], shapley: mean, standardError: (variance / n).squareRoot())
            }
            let name = chosen[i] < 0 ? target : "p(\(classes[chosen[i]]))"
            out.append(Row(row: r, output: name, classIndex: chosen[i] < 0 ? nil : chosen[i], value: value((i * samples) * chain + c, chosen[i]), baseline: baseline / n,
                           columns: cols.sorted { abs($0.shapley) > abs($1.shapley) }))
        }
        return out
    }
}
