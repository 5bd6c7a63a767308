import Foundation
import Learners
import Search

/// A configuration queued before the family's search, and whether it is exempt from the cost allowance
/// and the pruner (a hand-set portfolio's is; a learned one as `PriorPolicy.exemptLearnedEntries` says).
struct AprioriConfiguration {
    var configuration: Configuration
    var exempt: Bool
}

/// A family's share of the search: its own study (strategy over its space) and its bookkeeping.
final class FamilySearch {
    let family: LearnerFamily
    let capabilities: LearnerCapabilities
    let shape: DataShape
    let study: Study
    var trials = 0
    var estimatedSpent = 0.0
    var measuredSpent = 0.0
    var best: Double?
    /// The score of the family's first completed trial (its low-cost point, usually).
    var first: Double?
    var skips = 0
    /// Set when nothing of the family can run in the time left (`FamilyStanding.finished`).
    var finished = false
    /// Measured seconds ÷ estimated seconds, for skipping what cannot finish in time.
    var calibration: [Double] = []
    /// Trials stored by an earlier, interrupted run (when resuming).
    var earlierTrials = 0
    /// The estimated cost (seconds, all folds) a configuration may have now; grows as trials complete.
    var allowance = 0.0
    /// The least estimated cost of what the last `SearchRun.nextCandidate` deferred.
    var cheapestDeferred = Double.infinity
    /// Trial numbers of the portfolio (a-priori) configurations queued at the start: each is kept as an
    /// ensemble candidate.
    var portfolio: Set<Int> = []
    /// Those of `portfolio` that must earn their time (cost allowance, pruner) as searched trials do.
    var earning: Set<Int> = []
    /// The trial number of the low-cost point queued at the start.
    var lowCostTrial: Int?
    /// The estimated cost of the low-cost point (one fold); infinite when it cannot be built.
    let lowCostEstimate: Double
    /// Configurations fitted so far, with their run-wide trial numbers.
    var fitted: [Configuration: Int] = [:]

    /// A family's study on `store`: its low-cost point and portfolio queued first, or, when resuming, its
    /// best stored configurations. A stored or portfolio configuration that does not fit the space is
    /// passed to `skipped` with the reason, and left out.
    ///
    /// With `queues` false nothing is queued: the study is shared, and another process queued them.
    init(family: LearnerFamily, shape: DataShape, store: TrialStore, resume: Bool, queues: Bool = true, strategy: any Strategy,
         policy: SchedulerPolicy, apriori: [AprioriConfiguration], skipped: (String) -> Void) throws {
        self.family = family
        self.shape = shape
        capabilities = family.capabilities
        let space = family.searchSpace(for: shape)
        lowCostEstimate = (try? family.learner(space.lowCostPoint, shape: shape).estimatedCost(for: shape)) ?? .infinity
        study = Study(space: space, directions: [.maximize], store: store, strategy: strategy,
                      pruner: capabilities.prunable ? ASHAPruner(minResource: capabilities.firstRung, reductionFactor: policy.pruningReduction) : nil)
        // A-priori and stored configurations may come from a space with other parameters (the MLP's
        // `pretrain` exists only with unlabeled rows): they are completed to this one first.
        func enqueue(_ configuration: Configuration, _ what: String) throws -> Int? {
            do { return try study.enqueue(space.completing(configuration)) } catch SearchError.invalidConfiguration(let reason) {
                skipped("\(what) does not fit its search space (\(reason))")
                return nil
            }
        }
        let earlier = try store.records()
        if resume && !earlier.isEmpty {
            earlierTrials = earlier.count
            // The best stored configurations are evaluated again first: their predictions rebuild the
            // ensemble's candidates, and the strategy continues from the whole stored history.
            let done = earlier.filter { $0.state == .complete && $0.values?.first?.isFinite == true }
                .sorted { ($0.values?.first ?? 0) > ($1.values?.first ?? 0) }
            for record in done.prefix(policy.resumeReevaluations) { _ = try enqueue(record.configuration, "stored trial \(record.number)") }
            if done.isEmpty { _ = try enqueue(space.lowCostPoint, "the low-cost point") }
        } else if queues {
            lowCostTrial = try study.enqueue(space.lowCostPoint)
            // Then the family's a-priori configurations (learned or hand-set; those marked exempt are not
            // held to the cost allowance nor pruned).
            for a in apriori where a.configuration != space.lowCostPoint {
                guard let n = try enqueue(a.configuration, "a portfolio configuration") else { continue }
                portfolio.insert(n)
                if !a.exempt { earning.insert(n) }
            }
        }
    }

    /// Whether a trial is an a-priori one exempt from the cost allowance and the pruner.
    func isExempt(_ trial: Int) -> Bool { portfolio.contains(trial) && !earning.contains(trial) }

    /// What the scheduler needs to know of the family.
    func standing(measured: Bool) -> FamilyStanding {
        FamilyStanding(trials: trials, skips: skips, spent: measured ? measuredSpent : estimatedSpent,
                       best: best, first: first, lowCost: lowCostEstimate, finished: finished)
    }

    var slowdown: Double {
        guard !calibration.isEmpty else { return 1 }
        return calibration.sorted()[calibration.count / 2]
    }
}
