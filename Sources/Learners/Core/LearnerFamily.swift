import MLData
import Search

/// The model families, by name: the type-erased entry point a search or an artifact uses to reach a
/// learner from a configuration or a saved bundle.
public enum LearnerFamily: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    case xgboost
    case randomForest = "random_forest"
    case linear
    case knn
    case mlp
    /// A network designed by architecture search (`NASLearner`).
    case nas

    public var description: String { rawValue }

    /// The learner type of the family.
    public var learnerType: any Learner.Type {
        switch self {
        case .xgboost: return XGBoostLearner.self
        case .randomForest: return RandomForestLearner.self
        case .linear: return LinearLearner.self
        case .knn: return KNNLearner.self
        case .mlp: return MLPLearner.self
        case .nas: return NASLearner.self
        }
    }

    /// How the family wants its features prepared.
    public var preprocessing: PreprocessingOptions {
        var o = PreprocessingOptions()
        switch self {
        case .xgboost, .randomForest:
            // Trees: raw scale, missing numbers and categories left to the trees (XGBoost's own
            // categorical splits group levels, where one-hot features split one level off at a time).
            o.standardize = false
            o.nativeMissing = true
            o.nativeCategorical = true
            o.oneHotMaxLevels = 64
        case .linear, .knn, .mlp:
            break
        case .nas:
            // Every column kept in its place (a signal or an image keeps its layout), missing numbers
            // imputed without indicator columns; the network standardises its own input.
            o.standardize = false
            o.missingIndicators = false
            o.keepConstant = true
        }
        return o
    }

    public func searchSpace(for shape: DataShape) -> SearchSpace { learnerType.searchSpace(for: shape) }

    /// The family's portfolio of strong starting configurations (see `Learner.portfolio(for:)`).
    public func portfolio(for shape: DataShape) -> [Configuration] { learnerType.portfolio(for: shape) }

    /// The learner for a point of the family's search space.
    public func learner(_ configuration: Configuration, shape: DataShape) throws -> any Learner {
        try learnerType.init(configuration: configuration, shape: shape)
    }

    /// The family's usual defaults.
    public func defaults(for shape: DataShape) -> any Learner { learnerType.defaults(for: shape) }

    /// A saved model of this family.
    public func model(from bundle: ModelBundle) throws -> any FittedModel {
        switch self {
        case .xgboost: return try FittedXGBoost(bundle: bundle)
        case .randomForest: return try FittedRandomForest(bundle: bundle)
        case .linear: return try FittedLinear(bundle: bundle)
        case .knn: return try FittedKNN(bundle: bundle)
        case .mlp: return try FittedMLP(bundle: bundle)
        case .nas: return try FittedNAS(bundle: bundle)
        }
    }

    /// A saved model of whichever family wrote it.
    public static func model(from bundle: ModelBundle) throws -> any FittedModel {
        try bundle.family.model(from: bundle)
    }
}

extension Learner {
    /// `fit` with the model type erased.
    public func fitModel(_ data: LabeledData, validation: LabeledData?, context: FitContext) throws -> any FittedModel {
        try fit(data, validation: validation, context: context)
    }
}
