/// Fills missing numbers with the training median; optionally adds a 0/1 "was missing" feature.
public struct NumericImputer: Codable, Sendable, Equatable {
    /// The value that replaces a missing one (the median of the training values, 0 when there are none).
    public var fill: Double
    /// True when the training values had gaps: the encoder then adds a missing-indicator feature.
    public var addIndicator: Bool

    public init(fill: Double, addIndicator: Bool) {
        self.fill = fill
        self.addIndicator = addIndicator
    }

    /// Fits on training values (NaN is missing).
    public static func fit(_ values: [Double], indicators: Bool = true) -> NumericImputer {
        var present = values.filter { !$0.isNaN }
        let count = present.count
        return NumericImputer(fill: Selection.median(&present) ?? 0, addIndicator: indicators && count < values.count)
    }

    @inline(__always)
    public func apply(_ x: Double) -> Double { x.isNaN ? fill : x }
}

/// Standardises features to zero mean and unit variance (population variance, as scikit-learn does);
/// a constant feature keeps scale 1. Missing values (NaN) are ignored when fitting and stay missing.
public struct StandardScaler: Codable, Sendable, Equatable {
    public var means: [Double]
    public var scales: [Double]
    /// Features left as they are (for example one-hot and indicator columns).
    public var skip: [Bool]

    public static func fit(_ m: FeatureMatrix, skip: [Bool]) -> StandardScaler {
        // Two passes over the rows in storage order (a column at a time strides across the whole
        // matrix); each column's sums still run in row order, so the result is the same.
        let n = m.columns
        var sums = [Double](repeating: 0, count: n), counts = [Double](repeating: 0, count: n)
        m.values.withUnsafeBufferPointer { v in
            for r in 0..<m.rows {
                let row = r * n
                for c in 0..<n where !skip[c] {
                    let x = v[row + c]
                    if !x.isNaN { sums[c] += x; counts[c] += 1 }
                }
            }
        }
        let means = (0..<n).map { skip[$0] ? 0 : sums[$0] / max(1, counts[$0]) }
        var squares = [Double](repeating: 0, count: n)
        m.values.withUnsafeBufferPointer { v in
            for r in 0..<m.rows {
                let row = r * n
                for c in 0..<n where !skip[c] {
                    let x = v[row + c]
                    if !x.isNaN { squares[c] += (x - means[c]) * (x - means[c]) }
                }
            }
        }
        let scales = (0..<n).map { c -> Double in
            let variance = squares[c] / max(1, counts[c])
            return skip[c] || !(variance > 1e-24) ? 1 : variance.squareRoot()
        }
        return StandardScaler(means: means, scales: scales, skip: skip)
    }

    public func apply(to m: inout FeatureMatrix) {
        precondition(m.columns == means.count, "StandardScaler was fitted on \(means.count) features, got \(m.columns)")
        let n = m.columns, rows = m.rows
        m.values.withUnsafeMutableBufferPointer { v in
            for r in 0..<rows {
                let row = r * n
                for c in 0..<n where !skip[c] { v[row + c] = (v[row + c] - means[c]) / scales[c] }
            }
        }
    }
}
