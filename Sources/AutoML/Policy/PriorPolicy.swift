import Search

/// How a fit uses what was learned from other datasets (the shipped `LearnedPrior` and the local knowledge
/// base): each family's a-priori configurations, queued right after its low-cost point, are the best ones
/// of the nearest known datasets, then the learned portfolio's entries of the family.
public struct PriorPolicy: Codable, Sendable, Equatable {
    /// How many of the nearest known datasets (same task, by `MetaFeatures.distance`) lend their best
    /// configuration of each family (auto-sklearn 1.0 warm-starts from 25 of 140 datasets' winners in its
    /// Bayesian optimisation; here it queues a few). Hand-set; kept after `meta evaluate` and real fits
    /// (see `landmarkWeight`).
    public var neighbours = 3
    /// At most this many a-priori configurations per family (the hand-set portfolios held one or two).
    /// Hand-set; 6 scored higher in `meta evaluate`'s replay but lost in real fits at 10 s, most on tables
    /// of 1,000–10,000 rows, where each queued configuration costs a fit on the whole table.
    public var configurationsPerFamily = 3
    /// A known dataset further than this (in `MetaFeatures` coordinates: a factor of 10 in rows is 1) lends
    /// nothing. Hand-set.
    public var maximumDistance = 1.5
    /// How much the `Landmarks` weigh in `MetaFeatures.distance` (0: they are left out; 1: a landmark's
    /// whole range counts as a factor of 10 in rows). Left at 0: `mlforge meta evaluate`'s replay favoured
    /// 2, but the policy it chose lost to this one in real fits at 10 s (BENCHMARKS.md, "Choosing the
    /// prior's constants", 2026-12-06).
    public var landmarkWeight = 0.0
    /// Whether a family's hand-set portfolio is queued first and the learned configurations after it
    /// (up to `configurationsPerFamily` in all, or the hand-set count where that is larger), rather than
    /// the learned ones alone. Measured at 10 s on the corpus's leave-datasets-out folds (BENCHMARKS.md,
    /// issue 17): the learned ones alone lost to the hand-set portfolios (37 wins, 32 ties, 51 losses of
    /// 120; 0/4/5 above 10,000 rows); queued after them, even (14/21/16 of 51; 2/6/1 above 10,000 rows).
    public var handPortfolioFirst = true
    /// Whether the learned a-priori configurations (those the hand-set portfolio does not hold) are, like
    /// the hand-set portfolio, exempt from the family's cost allowance and never pruned. When false they
    /// are queued as early but must earn their time as searched configurations do: one over the allowance
    /// is moved toward the low-cost point, and the pruner may stop it. False since 2026-12-06: on the 24
    /// held-out datasets of the corpus's fold 0, earning beat exempt 13/8/3 at 60 s (exempt had lost to
    /// the hand-set portfolios 4/9/11; earning beat them 10/7/7) and 9/10/5 at 10 s; on fold 1 at 10 s
    /// 7/10/7 (BENCHMARKS.md, "Learned entries that earn their time").
    public var exemptLearnedEntries = false
    /// How many entries `mlforge meta prior` keeps in the portfolio. Hand-set.
    public var portfolioSize = 40

    public init() {}

    /// A family's a-priori configurations, by entry name: its hand-set portfolio first where
    /// `handPortfolioFirst` or `handFirst` (else only when nothing was learned for the family), then the
    /// learned ones, without repeats, at most `configurationsPerFamily` (or the hand-set count where that is
    /// larger). `SearchRun` queues these; `PriorEvaluation` replays them on a knowledge base.
    public func apriori(hand: [(name: String, configuration: Configuration)], learned: [(name: String, configuration: Configuration)],
                        handFirst: Bool = false) -> [(name: String, configuration: Configuration)] {
        guard !learned.isEmpty else { return hand }
        let first = handPortfolioFirst || handFirst ? hand : []
        let cap = max(first.count, configurationsPerFamily)
        var out: [(name: String, configuration: Configuration)] = []
        for e in first + learned where !out.contains(where: { $0.configuration == e.configuration }) && out.count < cap {
            out.append(e)
        }
        return out
    }
}
