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

    public init() {}
}
