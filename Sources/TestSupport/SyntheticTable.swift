import Foundation
import Learners
import MLData
import Support

/// Generated tables for the cost model's checks and benchmarks.
public enum SyntheticTable {
    /// `rows` rows of `features` features (at least five) uniform in [−1, 1], whose class is a noisy
    /// nonlinear function of the first five: a table on which trees grow and networks learn, of any size.
    public static func binary(rows: Int, features: Int = 20, seed: UInt64) throws -> LabeledData {
        precondition(features >= 5, "the class depends on five features")
        var rng = SeededGenerator(seed: seed)
        var values = [Double](repeating: 0, count: rows * features)
        var labels = [Int](repeating: 0, count: rows)
        for r in 0..<rows {
            for c in 0..<features { values[r * features + c] = Double.random(in: -1...1, using: &rng) }
            func x(_ c: Int) -> Double { values[r * features + c] }
            let signal = x(0) + x(1) * x(2) + 0.5 * sin(3 * x(3)) - 0.4 * x(4) * x(4) + Double.random(in: -0.5...0.5, using: &rng)
            labels[r] = signal > 0 ? 1 : 0
        }
        return try LabeledData(features: FeatureMatrix(rows: rows, columns: features, values: values, names: (0..<features).map { "x\($0)" }),
                               target: .classes(labels, classCount: 2), task: .binary)
    }
}
