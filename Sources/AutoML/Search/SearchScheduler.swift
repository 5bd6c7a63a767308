/// What the scheduler knows of a family: its trials and skips, the seconds it has spent (measured, or
/// estimated under a trial cap), its best and first scores, and its low-cost point's estimated cost.
package struct FamilyStanding: Sendable, Equatable {
    package var trials: Int
    package var skips: Int
    package var spent: Double
    package var best: Double?
    package var first: Double?
    package var lowCost: Double
    /// Nothing of the family can run in the time left (a learner that cannot stop early, whose cheapest
    /// configuration no longer fits even on the smallest subsample): it is never chosen again.
    package var finished: Bool

    package init(trials: Int, skips: Int, spent: Double, best: Double?, first: Double?, lowCost: Double, finished: Bool = false) {
        self.trials = trials
        self.skips = skips
        self.spent = spent
        self.best = best
        self.first = first
        self.lowCost = lowCost
        self.finished = finished
    }
}

/// The scheduler's decisions as functions of the families' standings and the policy (no clock, no
/// learners): which family goes next, and how a family's cost allowance starts and grows.
package enum SearchScheduler {
    /// The index of the next family, or nil when none is left. Each family's low-cost point goes first
    /// (cheapest first); then the family that has used the least of its share of the time, where the
    /// family with the best score gets `familyShares[0]`, the runner-up `[1]` and the others `[2]` —
    /// FLAML's idea of spending where the good models are, while every family keeps climbing from its
    /// cheap start (a family whose low-cost model is weak, boosted trees with 4 rounds say, still gets
    /// its time). A family below the top two that has had `laggardMinimumTrials` trials and is further
    /// behind the leader than `laggardSpreadShare` of the spread between the leader and the weakest first
    /// score gets its share times `laggardShareFactor`. A family that keeps proposing what it cannot
    /// afford (`maximumSkips`) is set aside, unless it is the only one; a finished family always is.
    package static func next(_ families: [FamilyStanding], policy: SchedulerPolicy) -> Int? {
        let open = families.indices.filter { !families[$0].finished }
        let active = open.count == 1 ? open : open.filter { isActive(families[$0], policy: policy) }
        if let fresh = active.filter({ families[$0].trials == 0 && families[$0].skips == 0 })
            .min(by: { families[$0].lowCost < families[$1].lowCost }) { return fresh }
        let ranked = active.sorted { (families[$0].best ?? -.infinity) > (families[$1].best ?? -.infinity) }
        let leader = ranked.first.flatMap { families[$0].best } ?? -.infinity
        let spread = leader - (active.compactMap { families[$0].first }.min() ?? leader)
        func load(_ i: Int) -> Double {
            let f = families[i]
            let rank = ranked.firstIndex(of: i) ?? ranked.count
            var share = policy.familyShares[min(rank, policy.familyShares.count - 1)]
            if rank >= 2, f.trials >= policy.laggardMinimumTrials, spread > 0,
               leader - (f.best ?? -.infinity) > policy.laggardSpreadShare * spread { share *= policy.laggardShareFactor }
            return (f.spent + policy.loadFloorSeconds) / share
        }
        return active.min { load($0) < load($1) }
    }

    /// Whether a family can still be chosen beside others: not finished, and not set aside for proposing
    /// what it cannot afford (`maximumSkips`).
    package static func isActive(_ family: FamilyStanding, policy: SchedulerPolicy) -> Bool {
        !family.finished && family.skips < policy.maximumSkips
    }

    /// A family's first cost allowance (estimated seconds over all folds): a few times its low-cost point,
    /// and at least a small share of the budget.
    package static func initialAllowance(lowCostSeconds: Double, folds: Int, budgetSeconds: Double, policy: SchedulerPolicy) -> Double {
        max(policy.initialAllowanceMultiple * lowCostSeconds * Double(folds), policy.initialAllowanceBudgetShare * budgetSeconds)
    }

    /// The training rows a learner that cannot be cut may use: all of them when `cost` (estimated seconds
    /// on all `rows`) fits `allowed`, else the share that fits, taking the cost as linear in the rows;
    /// nil when fewer than `minimumRows` would be left.
    package static func trainingRows(rows: Int, cost: Double, allowed: Double, minimumRows: Int) -> Int? {
        guard cost > allowed else { return rows }
        let share = max(0, allowed) / cost
        let kept = Int((Double(rows) * share).rounded(.down))
        return kept >= min(minimumRows, rows) && kept > 0 ? kept : nil
    }

    /// What a trial on `trainingRows` of `rows` rows is estimated to cost, when `estimate` is the cost on
    /// all of them (linear in the rows, as `trainingRows` takes it). A trial on a subsample is calibrated
    /// against this, not against the whole table's estimate: on sparse-20k a k-NN trial on 1,657 of
    /// 16,000 rows, measured against the estimate for all 16,000, made the next estimate 10× too low,
    /// and a trial that was to fit 0.9 s took 3.3 s (2026-12-05).
    package static func estimate(_ estimate: Double, onRows trainingRows: Int?, of rows: Int) -> Double {
        guard let trainingRows, trainingRows < rows, rows > 0 else { return estimate }
        return estimate * Double(trainingRows) / Double(rows)
    }

    /// The allowance after a trial that cost `cost` seconds completed: it only grows.
    package static func grownAllowance(_ allowance: Double, afterCost cost: Double, policy: SchedulerPolicy) -> Double {
        max(allowance, policy.allowanceGrowth * cost)
    }
}
