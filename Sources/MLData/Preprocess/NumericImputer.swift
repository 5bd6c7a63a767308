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
        let present = values.filter { !$0.isNaN }
        return NumericImputer(fill: median(present) ?? 0, addIndicator: indicators && present.count < values.count)
    }

    @inline(__always)
    public func apply(_ x: Double) -> Double { x.isNaN ? fill : x }

    /// The median (mean of the two middle values for an even count), or nil for no values.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let s = values.sorted()
        let m = s.count / 2
        return s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2
    }
}

/// Standardises features to zero mean and unit variance (population variance, as scikit-learn does);
/// a constant feature keeps scale 1. Missing values (NaN) are ignored when fitting and stay missing.
public struct StandardScaler: Codable, Sendable, Equatable {
    public var means: [Double]
    public var scales: [Double]
    /// Features left as they are (for example one-hot and indicator columns).
    public var skip: [Bool]

    public static func fit(_ m: FeatureMatrix, skip: [Bool]) -> StandardScaler {
        var means = [Double](repeating: 0, count: m.columns)
        var scales = [Double](repeating: 1, count: m.columns)
        for c in 0..<m.columns where !skip[c] {
            let col = m.column(c).filter { !$0.isNaN }
            let mean = col.reduce(0, +) / Double(max(1, col.count))
            let variance = col.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, col.count))
            means[c] = mean
            scales[c] = variance > 1e-24 ? variance.squareRoot() : 1
        }
        return StandardScaler(means: means, scales: scales, skip: skip)
    }

    public func apply(to m: inout FeatureMatrix) {
        precondition(m.columns == means.count, "StandardScaler was fitted on \(means.count) features, got \(m.columns)")
        for r in 0..<m.rows {
            for c in 0..<m.columns where !skip[c] {
                m.values[r * m.columns + c] = (m.values[r * m.columns + c] - means[c]) / scales[c]
            }
        }
    }
}
