/// How the rows are split for validation.
public struct ValidationPolicy: Codable, Sendable, Equatable {
    /// Up to this many rows (and `crossValidationMaxCells` values), k-fold cross-validation (every row
    /// validated once); above, one hold-out. Compared on the corpus (BENCHMARKS.md, "The cross-validation
    /// threshold", 2026-12-07) against the hand-set 5,000: 2,500 lost at 10 s (4/3/7 on the 14 tables of
    /// 2,501–5,000 rows); 20,000 won on the 13 tables of 5,001–20,000 rows, 11/9/6 at 10 s over two seeds
    /// and 7/5/1 at 60 s (mean +0.0037).
    public var crossValidationMaxRows = 20000
    /// … and up to this many values (training rows × input columns): a wide table is held out whatever
    /// its rows. Measured on the scale suite's 20,000 × 2,000 table (40 million): cross-validated, the 10 s
    /// fit trained no model (12.9 s) and the 60 s one peaked at 6.9 GB (1.4 GB held out); its first
    /// 5,000 rows (10 million), cross-validated or held out at 10 s, scored the same (0.935 and 0.936).
    public var crossValidationMaxCells = 10_000_000
    /// k of k-fold cross-validation (fewer when the smallest class has fewer rows). Chosen leave-datasets-out
    /// (BENCHMARKS.md, "The fold count", 2026-12-07): against 3 and 8 at 10 s on the 40 corpus tables of two
    /// held-out folds that cross-validate, 5 had the best mean rank on each fold chosen from the other.
    public var folds = 5
    /// Cross-validation is chosen before anything is fitted, by size; the run's first trial then checks it
    /// against the budget. When that trial's first fold — its preparation and fit — once for each fold
    /// left would take more than this share of the search time left, the first fold becomes a hold-out
    /// (1/k of the rows validated) and the run goes on with it, rather than spending the budget on one
    /// configuration's folds and ending with no model. Hand-set: half leaves the other half for the
    /// search and the ensemble. On the scale suite's 20,000 × 2,000 table cross-validated at 10 s
    /// (`crossValidationMaxCells` lifted) no model was trained without it (14.4 s, 3.6 GB), and with it a
    /// model in 9.3 s (1.5 GB); no corpus table of 5,001–20,000 rows fell back at 10 s (BENCHMARKS.md,
    /// "Cross-validation that does not fit the budget falls back to a hold-out", 2026-12-07).
    public var holdOutFallbackShare = 0.5
    /// The share of rows held out above `crossValidationMaxRows` or `crossValidationMaxCells`. Hand-set, the
    /// usual 80 / 20 split.
    public var holdoutFraction = 0.2
    /// Repeated cross-validation when the budget allows: one repeat for every `secondsPerRepeat` seconds
    /// of the budget, at most `maximumRepeats` (and one under a trial cap, where time is not what binds, and
    /// in a shared search, which a coordinator may resume with another budget).
    /// Each repeat splits the rows into k folds afresh; a row's validation prediction is the mean over the
    /// repeats, and every repeat's fold models are kept in the model. A longer search compares more
    /// configurations on the same folds and overfits their noise (60 s lost to 10 s on three of the
    /// corpus's small tables, 2026-12-05); repeats make the validation less noisy and bag more models,
    /// as AutoGluon's repeated bagging does. At 10 s one repeat, as before.
    public var secondsPerRepeat = 30.0
    public var maximumRepeats = 3

    /// The cross-validation repeats for a budget of `budgetSeconds`.
    public func repeats(budgetSeconds: Double) -> Int {
        guard secondsPerRepeat > 0, budgetSeconds.isFinite else { return 1 }
        return max(1, min(maximumRepeats, Int(budgetSeconds / secondsPerRepeat)))
    }

    public init() {}
}
