import MLData

/// What a learner family can do, stated by the family as scikit-learn's estimators state their tags: the
/// runner asks these, never the family's name or type.
public struct LearnerCapabilities: Sendable, Equatable {
    /// Stops at `FitContext.deadline` with a usable model (trees, networks, iterative solvers). One that
    /// cannot (k-NN) is only started when its estimate fits in the time left.
    public var stopsAtDeadline: Bool
    /// Reports its validation score step by step through `FitContext.report`, so a pruner can stop it.
    /// A learner that reports once, after its work is done, is never pruned.
    public var prunable: Bool
    /// The first rung of successive halving, in the learner's own steps (boosting rounds, epochs,
    /// solver iterations): the step after which its first report says something about its end.
    public var firstRung: Int
    /// Refitted on all rows after a hold-out search (networks are not: their epochs were chosen on the
    /// hold-out, and a refit would double their cost).
    public var refitsOnAllRows: Bool
    /// How the family wants its features prepared; the key of the run's feature cache.
    public var preprocessing: PreprocessingRecipe
    /// A network designed by architecture search: searched by the architecture strategy the user chose
    /// (not TPE), shown the rows' layout (signal or image), and dropped beside other families when its
    /// smallest network would take too much of the search.
    public var designsArchitecture: Bool
    /// Keeps its output monotone in the features `FitContext.monotone` names (XGBoost's monotone
    /// constraints); a family without it is left out of a run that asks for monotone columns.
    public var keepsMonotone: Bool
    /// Every fitted model of the family has a `FittedModel.portable` form, so `mlforge export` writes it
    /// (a family with some exportable models, as architecture search's dense networks, says false: its
    /// models are asked one by one).
    public var exports: Bool
    /// Learns class probabilities (`LabeledData.softTargets`, a teacher's soft labels) by the cross-entropy
    /// against them; a family without it learns the most probable class of each row.
    public var learnsSoftTargets: Bool
    /// Can pretrain on rows without a target (`FitContext.unlabeled`): its search space offers it when
    /// the shape has unlabeled rows (`DataShape.unlabeledRows`).
    public var pretrainsOnUnlabeled: Bool

    public init(stopsAtDeadline: Bool, prunable: Bool, firstRung: Int, refitsOnAllRows: Bool,
                preprocessing: PreprocessingRecipe, designsArchitecture: Bool = false, keepsMonotone: Bool = false,
                exports: Bool = false, learnsSoftTargets: Bool = false, pretrainsOnUnlabeled: Bool = false) {
        self.pretrainsOnUnlabeled = pretrainsOnUnlabeled
        self.keepsMonotone = keepsMonotone
        self.learnsSoftTargets = learnsSoftTargets
        self.exports = exports
        self.stopsAtDeadline = stopsAtDeadline
        self.prunable = prunable
        self.firstRung = firstRung
        self.refitsOnAllRows = refitsOnAllRows
        self.preprocessing = preprocessing
        self.designsArchitecture = designsArchitecture
    }
}

/// A named way of preparing features. Families that share a recipe share its prepared features; the
/// name keys the fitted preprocessing in a model folder (`preprocessing/NAME-FOLD.json`).
public struct PreprocessingRecipe: Hashable, Sendable {
    public var name: String
    public var options: PreprocessingOptions

    public init(name: String, options: PreprocessingOptions) {
        self.name = name
        self.options = options
    }

    /// Standardised numbers with imputation and missing indicators, one-hot or target-encoded
    /// categories: what linear models, k-NN and MLPs want.
    public static let dense = PreprocessingRecipe(name: "dense", options: PreprocessingOptions())

    /// Trees: raw scale, missing numbers and categories left to the trees (XGBoost's own categorical
    /// splits group levels, where one-hot features split one level off at a time).
    public static let trees: PreprocessingRecipe = {
        var o = PreprocessingOptions()
        o.standardize = false
        o.nativeMissing = true
        o.nativeCategorical = true
        o.oneHotMaxLevels = 64
        return PreprocessingRecipe(name: "trees", options: o)
    }()

    /// Every column kept in its place (a signal or an image keeps its layout), missing numbers imputed
    /// without indicator columns; the network standardises its own input.
    public static let raw: PreprocessingRecipe = {
        var o = PreprocessingOptions()
        o.standardize = false
        o.missingIndicators = false
        o.keepConstant = true
        o.dropDuplicates = false
        return PreprocessingRecipe(name: "raw", options: o)
    }()
}

/// How big and how fast a fitted model of a configuration will be, known before fitting.
public struct SizeProfile: Sendable, Equatable {
    /// Trainable parameters.
    public var parameters: Int
    /// Milliseconds to predict one row (measured on the untrained model).
    public var latencyMs: Double

    public init(parameters: Int, latencyMs: Double) {
        self.parameters = parameters
        self.latencyMs = latencyMs
    }
}
