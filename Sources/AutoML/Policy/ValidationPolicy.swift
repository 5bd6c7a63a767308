/// How the rows are split for validation.
public struct ValidationPolicy: Codable, Sendable, Equatable {
    /// Up to this many rows, k-fold cross-validation (every row validated once); above, one hold-out.
    /// Hand-set: 5-fold fits of the portfolio stay within a 10 s budget up to about this size.
    public var crossValidationMaxRows = 5000
    /// k of k-fold cross-validation (fewer when the smallest class has fewer rows). Hand-set, the usual
    /// choice (auto-sklearn and AutoGluon use 5 or 8).
    public var folds = 5
    /// The share of rows held out above `crossValidationMaxRows`. Hand-set, the usual 80 / 20 split.
    public var holdoutFraction = 0.2

    public init() {}
}
