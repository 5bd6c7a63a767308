import Foundation
import MLData

/// A model's output for a batch of rows: class probabilities (row-major, `classes` per row) or numbers.
public enum Predictions: Sendable, Equatable {
    case probabilities([Double], classes: Int)
    case values([Double])

    public var rows: Int {
        switch self {
        case .probabilities(let p, let k): return k == 0 ? 0 : p.count / k
        case .values(let v): return v.count
        }
    }

    /// The most probable class per row (ties go to the lower class), or nil for regression.
    public var classes: [Int]? {
        guard case .probabilities(let p, let k) = self else { return nil }
        return Metrics.argmax(probabilities: p, classes: k)
    }

    /// Probability of class 1 per row (binary tasks).
    public var positiveScores: [Double]? {
        guard case .probabilities(let p, let k) = self, k == 2 else { return nil }
        return stride(from: 1, to: p.count, by: 2).map { p[$0] }
    }

    /// The given rows.
    public func selecting(rows: [Int]) -> Predictions {
        switch self {
        case .values(let v): return .values(rows.map { v[$0] })
        case .probabilities(let p, let k): return .probabilities(rows.flatMap { p[($0 * k)..<($0 * k + k)] }, classes: k)
        }
    }
}

extension Predictions {
    /// Predictions from raw scores: numbers as they are for regression, one score per row through the
    /// logistic for binary tasks, `k` scores per row through a softmax for `k` classes.
    static func fromScores(_ z: [Double], rows: Int, task: PredictionTask) -> Predictions {
        switch task {
        case .regression: return .values(z)
        case .binary:
            var p = [Double](repeating: 0, count: 2 * rows)
            for r in 0..<rows {
                let q = 1 / (1 + exp(-z[r]))
                p[2 * r] = 1 - q
                p[2 * r + 1] = q
            }
            return .probabilities(p, classes: 2)
        case .multiclass(let k):
            return softmax(z, rows: rows, classes: k)
        }
    }

    /// Class probabilities from `k` scores per row (the maximum subtracted first, for stability).
    static func softmax(_ z: [Double], rows: Int, classes k: Int) -> Predictions {
        var p = z
        for r in 0..<rows {
            let row = (r * k)..<(r * k + k)
            let top = p[row].max() ?? 0
            var s = 0.0
            for i in row { p[i] = exp(p[i] - top); s += p[i] }
            for i in row { p[i] /= s }
        }
        return .probabilities(p, classes: k)
    }
}
