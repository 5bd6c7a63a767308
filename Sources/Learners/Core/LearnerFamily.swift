import MLData
import Search

/// A model family, by name: the type-erased entry point a search or an artifact uses to reach a learner
/// from a configuration or a saved bundle. Families are registered (`LearnerRegistry`), not enumerated:
/// each built-in one names itself beside its learner (`LearnerFamily.xgboost` in XGBoost/).
public struct LearnerFamily: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// The registered family of this name; nil for a name no family has.
    public init?(rawValue: String) {
        guard LearnerRegistry.type(named: rawValue) != nil else { return nil }
        self.rawValue = rawValue
    }

    /// A family's name, for the learner type that declares it.
    public init(named name: String) { rawValue = name }

    public var description: String { rawValue }

    /// Every registered family, in the registry's order.
    public static var allCases: [LearnerFamily] { LearnerRegistry.learners.map { $0.family } }

    /// The families MLForge ships (`LearnerRegistry.builtIn`), whatever else was registered.
    public static var builtIn: [LearnerFamily] { LearnerRegistry.builtIn.map { $0.family } }

    /// The learner type of the family.
    public var learnerType: any Learner.Type {
        guard let type = LearnerRegistry.type(named: rawValue) else {
            preconditionFailure("no learner family named '\(rawValue)' is registered")
        }
        return type
    }

    /// What the family can do (see `LearnerCapabilities`).
    public var capabilities: LearnerCapabilities { learnerType.capabilities }

    /// How the family wants its features prepared.
    public var preprocessing: PreprocessingOptions { capabilities.preprocessing.options }

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
        try learnerType.loadModel(from: bundle)
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

    /// A saved model of this learner's family.
    public static func loadModel(from bundle: ModelBundle) throws -> any FittedModel { try Model(bundle: bundle) }

    /// The configuration to refit on all rows, given the model validated on a hold-out (`refitted(after:)`
    /// with the model's type restored).
    public func forRefit(after model: any FittedModel) -> any Learner {
        guard let own = model as? Model else { return self }
        return refitted(after: own)
    }
}
