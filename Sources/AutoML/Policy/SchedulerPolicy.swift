/// How the search chooses a family, proposes its configurations and spends the time: FLAML's cost-aware
/// loop (Wang et al. 2021, "FLAML: A Fast and Lightweight AutoML Library") with ASHA pruning.
public struct SchedulerPolicy: Codable, Sendable, Equatable {
    /// Time shares of the family with the best score, the runner-up and every other family: the family
    /// that has used the least of its share goes next. Hand-set, after FLAML's idea of spending where
    /// the good models are while every family keeps climbing from its cheap start; compared at 10 s on 40
    /// held-out corpus tables (BENCHMARKS.md, "The family time shares", 2026-12-07): [2, 1, 1] lost
    /// (6/12/22), [6, 3, 1] tied (mean rank 1.80 each) with no choice holding across folds.
    public var familyShares = [3.0, 2.0, 1.0]
    /// A family below the top two that has had `laggardMinimumTrials` trials and is further behind the
    /// leader than `laggardSpreadShare` of the spread between the leader and the weakest first score
    /// gets its share times this. Measured (BENCHMARKS.md, "time shares"): k-NN at 0.87 AUC beside
    /// boosted trees at 0.93 spends its time better on the leaders.
    public var laggardShareFactor = 0.25
    public var laggardMinimumTrials = 4
    public var laggardSpreadShare = 0.25
    /// Added to a family's spent seconds before dividing by its share (so a family that has spent
    /// nothing still ranks by share).
    public var loadFloorSeconds = 1e-3
    /// A family that has proposed this many configurations it could not afford is set aside (unless it
    /// is the only one). Hand-set.
    public var maximumSkips = 6
    /// The search stops when less than this is left: nothing useful fits in less. Hand-set.
    public var minimumSecondsLeft = 0.04

    /// A family's cost allowance starts at this many times its low-cost point's estimated cost (all
    /// folds) … FLAML starts from the low-cost point and grows; the multiple is hand-set.
    public var initialAllowanceMultiple = 4.0
    /// … and at least this share of the budget. Hand-set.
    public var initialAllowanceBudgetShare = 0.03
    /// A completed trial raises its family's allowance to this many times its cost (FLAML grows it by
    /// the same idea). Hand-set.
    public var allowanceGrowth = 3.0
    /// A sample over the allowance is moved these fractions of the way from the low-cost point (in the
    /// space's unit scale), largest first, until it fits; before the step 0 (the low-cost point), one
    /// parameter at a time is set to its low-cost value (`CostShrink.candidates`). Hand-set.
    public var shrinkLadder = [0.5, 0.25, 0.125, 0.0625, 0]
    /// Samples asked of a family's strategy before the family is said to have nothing affordable.
    public var proposalsPerChoice = 4

    /// A trial may use this share of the search time left … Hand-set.
    public var trialShareOfTimeLeft = 0.6
    /// … a portfolio configuration, tried before anything says its family is worth it, this share (a
    /// forest or network cut there is still a usable model). Hand-set.
    public var portfolioTrialShareOfTimeLeft = 0.35
    /// … plus this much. Hand-set.
    public var trialGraceSeconds = 0.1
    /// A learner that stops at its deadline runs even when its estimate is up to this many times the
    /// time left (it is cut there with a usable model); one that cannot stop must fit in the time left.
    /// Hand-set.
    public var cuttableOverrun = 3.0
    /// A learner that cannot stop at its deadline (k-NN) runs only when its estimate fits this share of
    /// the search time left; otherwise on a seeded subsample of the training rows that does (its cost is
    /// taken as linear in them, an over-estimate for learners that grow faster), or not at all. Hand-set:
    /// the share a trial may use (`trialShareOfTimeLeft`) less a margin for the estimate's error.
    public var uncuttableShareOfTimeLeft = 0.4
    /// The fewest training rows a subsample may keep; below it the trial is skipped. Hand-set.
    public var subsampleMinimumRows = 500
    /// Fits shorter than this do not calibrate the cost estimates (their timing is mostly noise).
    public var calibrationMinimumSeconds = 0.05
    /// Architecture search beside other families is dropped when its smallest network would take more
    /// than this share of the search. Hand-set.
    public var architectureSearchMaximumShare = 0.2

    /// ASHA's reduction factor η (Li et al. 2020, "A System for Massively Parallel Hyperparameter
    /// Tuning": η = 3 or 4). The first rung is each learner's own (`LearnerCapabilities.firstRung`).
    public var pruningReduction = 3
    /// When resuming, a family's best stored configurations are evaluated again first (their models
    /// rebuild the ensemble's candidates). Hand-set.
    public var resumeReevaluations = 3
    /// Regularized evolution for architecture search (Real et al. 2019): population and tournament size.
    /// Hand-set for budgets of tens of trials (the paper's 100 / 25 needs thousands).
    public var evolutionPopulation = 10
    public var evolutionSampleSize = 3

    public init() {}
}
