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
