/// How the ensemble is selected (Caruana et al. 2004) and guarded against the winner's curse.
public struct EnsemblePolicy: Codable, Sendable, Equatable {
    /// Rounds of greedy selection with replacement. Hand-set; auto-sklearn uses 50, and the weights
    /// settle well before 40 on the shared datasets.
    public var rounds = 40
    /// Selection stops at the first round whose best addition makes the score worse, but not before this
    /// round (a worse step can open a better one; Caruana et al. run all rounds). Hand-set.
    public var minimumRounds = 8
    /// Random half-splits of the validation rows the guard scores both ways. Measured: 3 splits (6
    /// scores) decide within the reserve on churn (0.6 s); BENCHMARKS.md, "ensemble guard".
    public var gateSplits = 3
    /// Searched members stay only for a held-out gain over this many standard errors. Measured: one
    /// standard error let through gains that did not hold on test data; two did not (BENCHMARKS.md).
    public var gateStandardErrors = 2.0
    /// Trials whose predictions and models are kept as ensemble candidates (besides the a-priori ones).
    /// Hand-set: more rarely gain a member and cost memory.
    public var candidates = 24
    /// A member whose estimated prediction cost (`FittedModel.estimatedPredictSeconds`) is at least this many milliseconds per 1,000 rows, and at
    /// least `costlyMemberFactor` times all the other members together, stays in the ensemble only for a
    /// held-out gain over `gateStandardErrors` standard errors (the guard's test, against the ensemble
    /// selected without it). Set from the goal of predicting 25,000 rows in 0.2 s (8 ms per 1,000): k-NN
    /// over 40,000 rows costs 165 ms per 1,000 and on diamonds added 0.0008 R² to a forest costing 2.9.
    public var costlyMemberMsPer1000 = 20.0
    /// See `costlyMemberMsPer1000`. Hand-set.
    public var costlyMemberFactor = 10.0
    /// A binary model whose metric only ranks (ROC AUC) decides by a threshold placed on the ensemble's
    /// validation predictions (`DecisionThreshold`) when that decides them more accurately than the more
    /// probable class. Measured: BENCHMARKS.md, "The decision threshold of a ranking metric".
    public var thresholdsRankedDecisions = true

    public init() {}
}
