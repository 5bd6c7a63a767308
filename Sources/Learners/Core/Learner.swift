import MLData
import Search

/// A model family's configuration: a `Codable` value with a search space that scales with the data,
/// a low-cost starting point, cost estimates, and `fit`, which returns a separate fitted type (so that
/// predicting with an unfitted model does not compile).
///
/// Style: FLAML's learners own their search spaces; scikit-learn separates configuration from fitted state.
public protocol Learner: Codable, Sendable, Equatable, CustomStringConvertible {
    associatedtype Model: FittedModel

    static var family: LearnerFamily { get }

    /// What the family can do: stop at a deadline, be pruned, be refitted, how it wants its features.
    static var capabilities: LearnerCapabilities { get }

    /// The hyperparameters the search tunes for data of this shape; ranges grow with the data, and the
    /// space's low-cost point gives a sensible model in a fraction of a second.
    static func searchSpace(for shape: DataShape) -> SearchSpace

    /// The configuration from a point of `searchSpace(for: shape)`.
    init(configuration: Configuration, shape: DataShape) throws

    /// The family's usual defaults (the ones its reference library uses), for comparisons and portfolios.
    static func defaults(for shape: DataShape) -> Self

    /// The configuration as a point of the search space (so a search can start from it).
    var configuration: Configuration { get }

    /// A few strong, diverse points of the search space, tried right after the low-cost point (known-good
    /// settings of the family, as AutoGluon's and FLAML's portfolios hold); empty by default.
    static func portfolio(for shape: DataShape) -> [Configuration]

    /// A relative training cost for data of this shape (about seconds on one core); the search uses it to
    /// choose what to try next and to skip what cannot finish.
    func estimatedCost(for shape: DataShape) -> Double

    /// The part of `estimatedCost` spent deriving data from the rows before training (XGBoost's DMatrix
    /// and histogram index) that a `FitCache` keeps for the next fit on the same rows: a fit that reused
    /// it took that much less, and a refit on other rows pays it again. It is spent before the first
    /// round, so a deadline cannot cut it: the search starts no fit whose setup passes the time left.
    /// 0 by default.
    func estimatedReusableCost(for shape: DataShape) -> Double

    /// Peak memory of a fit in bytes, roughly, beyond the training data itself.
    func estimatedMemory(for shape: DataShape) -> Int

    /// Trains on `data`; with `validation` rows, reports the validation score after each round through
    /// `context.report`, stops when told to or when the deadline passes, and keeps the best round where
    /// the family supports it.
    func fit(_ data: LabeledData, validation: LabeledData?, context: FitContext) throws -> Model

    /// The fitted model's size and prediction latency, known before fitting (nil when the family cannot
    /// say); the search checks them against the user's limits before it fits.
    func sizeProfile(for shape: DataShape) -> SizeProfile?

    /// The configuration to refit on all rows after `model` was validated on a hold-out (boosted trees
    /// keep the number of rounds early stopping chose); `self` by default.
    func refitted(after model: Model) -> Self
}

extension Learner {
    public static func portfolio(for shape: DataShape) -> [Configuration] { [] }

    public func sizeProfile(for shape: DataShape) -> SizeProfile? { nil }

    public func estimatedReusableCost(for shape: DataShape) -> Double { 0 }

    public func refitted(after model: Model) -> Self { self }

    /// The configuration at the low-cost point of the search space.
    public static func lowCost(for shape: DataShape) throws -> Self {
        try Self(configuration: searchSpace(for: shape).lowCostPoint, shape: shape)
    }
}

/// A trained model: predicts from features prepared the way the training features were, and saves to
/// (and loads from) a `ModelBundle`. Loading never executes code: it reads numbers and a tree list.
public protocol FittedModel: Sendable {
    static var family: LearnerFamily { get }
    var task: PredictionTask { get }
    /// The number of input features.
    var featureCount: Int { get }
    /// Predictions for every row of `x` (which must have `featureCount` features).
    func predict(_ x: FeatureMatrix) throws -> Predictions
    /// The model as named byte parts with metadata.
    func bundle() throws -> ModelBundle
    /// The model from parts written by `bundle()`.
    init(bundle: ModelBundle) throws
    /// Seconds to predict `rows` rows, estimated from the model's structure (trees and their depth,
    /// stored rows, weights) with constants measured by `mlforge-bench cost`: a cost known without a
    /// clock, so that a run under a trial cap weighs members' costs the same way every time.
    func estimatedPredictSeconds(rows: Int) -> Double
    /// Exact per-feature attributions of the raw output for every row of `x`, when the model can give
    /// them (tree models: TreeSHAP); nil otherwise.
    func contributions(_ x: FeatureMatrix) throws -> Contributions?
    /// The model's prediction as plain data for exporters; nil when the family cannot be written that way.
    var portable: PortableModel? { get }
}

extension FittedModel {
    /// Most models cannot attribute their output exactly.
    public func contributions(_ x: FeatureMatrix) throws -> Contributions? { nil }
    /// None unless the family writes one.
    public var portable: PortableModel? { nil }

    /// A dense linear pass over the features (the cheapest model there is), for models without their own estimate.
    public func estimatedPredictSeconds(rows: Int) -> Double { Double(rows) * Double(max(1, featureCount)) * 1e-9 }

    func checkFeatures(_ x: FeatureMatrix) throws {
        guard x.columns == featureCount else {
            throw LearnerError.invalidData("the model was trained on \(featureCount) features but got \(x.columns); prepare the data with the same preprocessing")
        }
    }
}
