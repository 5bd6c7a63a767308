import Foundation

/// Settings for turning a table into model features.
public struct PreprocessingOptions: Codable, Sendable, Hashable {
    /// A categorical column with at most this many frequent levels is one-hot encoded.
    public var oneHotMaxLevels: Int = 16
    /// Levels seen fewer times than this in training are pooled into one "other" feature.
    public var rareLevelMinCount: Int = 5
    /// How columns with more levels are encoded.
    public var highCardinality: HighCardinalityEncoding = .target
    /// Add a 0/1 feature per column that had missing values in training.
    public var missingIndicators: Bool = true
    /// Standardise numeric, ordinal and target-encoded features (one-hot and indicators stay 0/1).
    public var standardize: Bool = true
    /// Leave missing numbers as NaN (no imputation, no indicator) for models that handle them natively,
    /// such as gradient-boosted trees.
    public var nativeMissing: Bool = false
    /// Target-encoding smoothing (pseudo-count of the prior).
    public var targetSmoothing: Double = 10
    /// Folds for the out-of-fold target encoding of training rows.
    public var crossFitFolds: Int = 5
    /// Keep constant numeric columns (as numbers), so that the features keep the input's layout: a signal
    /// or an image whose border pixels never change still has every position.
    public var keepConstant: Bool = false
    /// Encode a categorical column that would be one-hot encoded as one feature of level codes instead
    /// (`CategoryCodeEncoder`), for models that split on categories natively (boosted trees).
    public var nativeCategorical: Bool = false
    /// Leave out a column whose values are an earlier column's (`ColumnScreen.duplicates`); off where the
    /// features must keep the input's layout.
    public var dropDuplicates: Bool = true

    public enum HighCardinalityEncoding: String, Codable, Sendable, Hashable { case ordinal, target }

    public init() {}
}

/// How one input column becomes features.
public enum ColumnEncoding: Codable, Sendable, Equatable {
    case numeric(NumericImputer)
    case oneHot(OneHotEncoder)
    case ordinal(OrdinalEncoder)
    case target(TargetEncoder)
    /// One feature of level codes, for models with native categorical splits.
    case categoryCode(CategoryCodeEncoder)
    /// Not used, with the reason (constant, entirely missing, or an identifier).
    case dropped(reason: String)
}

/// An input column of the fitted preprocessing: its name, type when fitted, and encoding.
public struct ColumnStep: Codable, Sendable, Equatable {
    public var name: String
    public var type: ColumnType
    public var encoding: ColumnEncoding
}

/// Fits preprocessing on training rows only: median / most-frequent imputation with missing indicators,
/// one-hot encoding for low cardinality (rare levels pooled), target or ordinal encoding for high
/// cardinality, and standardisation. The result is a `Codable` value that transforms any later table.
public struct Preprocessor: Sendable {
    public var options: PreprocessingOptions

    public init(options: PreprocessingOptions = PreprocessingOptions()) { self.options = options }

    /// Fits on `frame` (the training rows) and returns the fitted steps with the training features.
    /// Target-encoded features of the training rows are out-of-fold (see `TargetEncoder.crossFitted`).
    /// Columns named in `excluding` (the target, say) are left out.
    public func fitTransform(
        _ frame: DataFrame, target: TargetValues?, excluding: Set<String> = [],
        using rng: inout some RandomNumberGenerator
    ) throws -> (fitted: FittedPreprocessor, features: FeatureMatrix) {
        if let target, target.count != frame.rowCount {
            throw DataError.schemaMismatch("the target has \(target.count) values but the table has \(frame.rowCount) rows")
        }
        let columns = frame.columns.filter { !excluding.contains($0.name) }
        let copies = options.dropDuplicates ? ColumnScreen.duplicates(in: columns) : [:]
        // Each column's encoder is fitted on its own, so the columns are spread over the cores.
        let encodings = LockedBox([ColumnEncoding?](repeating: nil, count: columns.count))
        DispatchQueue.concurrentPerform(iterations: columns.count) { i in
            let column = columns[i]
            let encoding = copies[column.name].map { ColumnEncoding.dropped(reason: "the same values as '\($0)'") }
                ?? encoding(for: column, target: target)
            encodings.withLock { $0[i] = encoding }
        }
        let steps = zip(columns, encodings.current).map { ColumnStep(name: $0.name, type: $0.type, encoding: $1!) }
        var fitted = FittedPreprocessor(steps: steps, scaler: nil)
        var (features, _) = try fitted.unscaled(frame)
        // Out-of-fold target encodings for the training rows.
        if let target, steps.contains(where: { if case .target = $0.encoding { return true } else { return false } }) {
            let labels: [Int]? = { if case .classes(let c, _) = target { return c } else { return nil } }()
            let folds = try Splits.kFold(
                count: frame.rowCount, folds: min(options.crossFitFolds, max(2, frame.rowCount)),
                stratify: labels, using: &rng)
            var offset = 0
            for step in steps {
                let width = fitted.width(of: step)
                if case .target(let enc) = step.encoding, let column = frame[step.name] {
                    let view = column.categoricalView()
                    let values = TargetEncoder.crossFitted(
                        codes: view.codes, levels: view.levels, target: target,
                        folds: folds.map(\.validation), smoothing: enc.smoothing)
                    for r in 0..<frame.rowCount {
                        for w in 0..<enc.width { features[r, offset + w] = values[r * enc.width + w] }
                    }
                }
                offset += width
            }
        }
        if options.standardize {
            let scaler = StandardScaler.fit(features, skip: fitted.binaryFeatures)
            scaler.apply(to: &features)
            fitted.scaler = scaler
        }
        return (fitted, features)
    }

    /// Fits on `frame` without returning the training features.
    public func fit(
        _ frame: DataFrame, target: TargetValues?, excluding: Set<String> = [],
        using rng: inout some RandomNumberGenerator
    ) throws -> FittedPreprocessor {
        try fitTransform(frame, target: target, excluding: excluding, using: &rng).fitted
    }

    /// The columns of `frame` that fitting would leave out, with the reason, in the frame's order.
    public func leftOut(_ frame: DataFrame, excluding: Set<String> = []) -> [(column: String, reason: String)] {
        let columns = frame.columns.filter { !excluding.contains($0.name) }
        let copies = options.dropDuplicates ? ColumnScreen.duplicates(in: columns) : [:]
        return columns.compactMap { c in
            (copies[c.name].map { "the same values as '\($0)'" } ?? ColumnScreen.reason(for: c, keepConstant: options.keepConstant))
                .map { (c.name, $0) }
        }
    }

    private func encoding(for column: Column, target: TargetValues?) -> ColumnEncoding {
        if let reason = ColumnScreen.reason(for: column, keepConstant: options.keepConstant) { return .dropped(reason: reason) }
        let indicators = options.missingIndicators
        switch column.type {
        case .numeric, .boolean:
            if options.nativeMissing { return .numeric(NumericImputer(fill: .nan, addIndicator: false)) }
            return .numeric(NumericImputer.fit(column.numericView().values, indicators: indicators))
        case .categorical:
            let view = column.categoricalView()
            let oneHot = OneHotEncoder.fit(
                codes: view.codes, levels: view.levels, minCount: options.rareLevelMinCount, indicators: indicators)
            if oneHot.width <= options.oneHotMaxLevels {
                if options.nativeCategorical {
                    return .categoryCode(CategoryCodeEncoder(oneHot))
                }
                return .oneHot(oneHot)
            }
            if options.highCardinality == .target, let target {
                return .target(TargetEncoder.fit(
                    codes: view.codes, levels: view.levels, target: target,
                    smoothing: options.targetSmoothing, indicators: indicators))
            }
            return .ordinal(OrdinalEncoder.fit(codes: view.codes, levels: view.levels, indicators: indicators))
        case .missing:
            return .dropped(reason: "every value is missing")
        }
    }
}
