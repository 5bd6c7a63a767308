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
    /// The values (rows × columns) profiled at most: a wide table is profiled on fewer rows, never fewer
    /// than `profileMinimumRows`. Every numeric column is sorted (distinct values, deciles), and the
    /// profile runs before the card looks at its deadline: on 100,000 × 500 the whole table took 8.4 s of
    /// a 10 s fit (2026-12-05); 2,000,000 values take about 0.3 s there. Deciles and level shares are
    /// as good on 4,000 rows as on 100,000 for drift; hand-set.
    public var profileValues = 2_000_000
    public var profileMinimumRows = 2_000
    /// Time `mlforge card` gives its figures when it recomputes them (it has no fit budget to share).
    public var commandSeconds = 30.0

    public init() {}
    public static let standard = CardPolicy()
}
