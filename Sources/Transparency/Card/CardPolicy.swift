/// Every constant of the model card's figures, with its reason: how many rows the importances and the
/// dependence curves are computed on, how many repeats, grid sizes, and how the time left is shared.
public struct CardPolicy: Codable, Sendable, Equatable {
    /// Rows the permutation importances and dependence curves use at most (a seeded sample); fewer when
    /// the time left is short. scikit-learn's examples use a few hundred to a few thousand rows; hand-set.
    public var sampleRows = 1000
    /// Below this many rows the importances are not computed (their intervals would say nothing).
    public var minimumRows = 50
    /// Permutation repeats per column (intervals over repeats); at least `minimumRepeats` or none.
    public var repeats = 5
    public var minimumRepeats = 2
    /// Dependence curves for this many of the most important columns, on this many grid points, over at
    /// most `dependenceRows` of the sample (H2O's explain shows the top features; hand-set).
    public var dependenceColumns = 4
    public var gridPoints = 12
    public var dependenceRows = 300
    /// Estimates of the prediction cost are multiplied by this before rows are chosen (a call's time
    /// varies with the cores' load; with 1, 6 of 13 shared datasets got one repeat at 10 s). Hand-set.
    public var costSafety = 1.5
    /// The share of the time left that the importances may use; the dependence curves get what remains.
    public var importanceShare = 0.7
    /// Points of the predicted-against-actual plot (regression) and calibration bins (classification).
    public var scatterPoints = 400
    public var calibrationBins = 10
    /// Training columns with at most this many levels keep them all, so that a test file's unseen levels
    /// can be counted; wider ones (identifiers, free text) keep their top levels only.
    public var levelsKept = 1000
    /// Columns whose drift is summarised against the training deciles / level shares.
    public var driftLevels = 20
    /// The training rows profiled at most (a seeded sample above it; the card says so).
    public var profileRows = 200_000
    /// Time `mlforge card` gives its figures when it recomputes them (it has no fit budget to share).
    public var commandSeconds = 30.0

    public init() {}
    public static let standard = CardPolicy()
}
