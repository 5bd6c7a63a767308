import AutoML
import Learners
import Testing

/// The scheduler's decisions as functions of the families' standings and the policy: no learners, no
/// clock, no sleeps.
@Suite("Search scheduler") struct SchedulerTests {
    let policy = SchedulerPolicy()

    func family(trials: Int = 1, skips: Int = 0, spent: Double = 0, best: Double? = nil, first: Double? = nil,
                lowCost: Double = 0.1) -> FamilyStanding {
        FamilyStanding(trials: trials, skips: skips, spent: spent, best: best, first: first ?? best, lowCost: lowCost)
    }

    @Test("Every family's low-cost point goes first, cheapest first")
    func freshFamiliesFirst() {
        let families = [family(spent: 0, best: 0.9), family(trials: 0, lowCost: 0.5), family(trials: 0, lowCost: 0.2)]
        #expect(SearchScheduler.next(families, policy: policy) == 2)
    }

    @Test("Time shares 3 : 2 : 1 — the leader may spend three times what the third spends")
    func sharesByRank() {
        // Loads (spent ÷ share): leader 2.9/3, runner-up 2/2, third 1.1/1: the leader is furthest below its share.
        let families = [family(spent: 2.9, best: 0.9), family(spent: 2.0, best: 0.8), family(spent: 1.1, best: 0.7)]
        #expect(SearchScheduler.next(families, policy: policy) == 0)
        // The third family, at 0.9 s, is now the one below its share.
        let behind = [family(spent: 2.9, best: 0.9), family(spent: 2.0, best: 0.8), family(spent: 0.9, best: 0.7)]
        #expect(SearchScheduler.next(behind, policy: policy) == 2)
    }

    @Test("A laggard below the top two gets a quarter of its share after four trials")
    func laggardShrinks() {
        // Spread: leader 0.93 − weakest first score 0.80 = 0.13; the laggard at 0.87 is 0.06 behind, over a quarter of it.
        let early = [family(trials: 6, spent: 3.3, best: 0.93), family(trials: 6, spent: 2.0, best: 0.92),
                     family(trials: 3, spent: 0.9, best: 0.87, first: 0.80)]
        #expect(SearchScheduler.next(early, policy: policy) == 2, "with three trials it keeps its share")
        var late = early
        late[2].trials = 4
        #expect(SearchScheduler.next(late, policy: policy) == 1, "with four it has a quarter: 0.9 / 0.25 = 3.6, over the runner-up's 2.0 / 2")
        var lenient = policy
        lenient.laggardShareFactor = 1
        #expect(SearchScheduler.next(late, policy: lenient) == 2, "the factor is the policy's")
    }

    @Test("A family that keeps proposing what it cannot afford is set aside, unless it is the only one")
    func skipsSetAside() {
        let families = [family(skips: 6, spent: 0, best: 0.9), family(spent: 5, best: 0.5)]
        #expect(SearchScheduler.next(families, policy: policy) == 1)
        #expect(SearchScheduler.next([family(skips: 9, best: 0.9)], policy: policy) == 0)
        #expect(SearchScheduler.next([family(skips: 6), family(skips: 7)], policy: policy) == nil)
    }

    @Test("The allowance starts at four low-cost fits or 3% of the budget, and only grows")
    func allowance() {
        #expect(abs(SearchScheduler.initialAllowance(lowCostSeconds: 0.1, folds: 5, budgetSeconds: 10, policy: policy) - 2.0) < 1e-12)
        #expect(abs(SearchScheduler.initialAllowance(lowCostSeconds: 0.001, folds: 5, budgetSeconds: 10, policy: policy) - 0.3) < 1e-12)
        #expect(SearchScheduler.grownAllowance(2, afterCost: 1, policy: policy) == 3)
        #expect(SearchScheduler.grownAllowance(2, afterCost: 0.1, policy: policy) == 2)
    }

    @Test("k-NN at 100 rows runs on all of them; at 1,000,000 on the seeded share that fits the time left")
    func uncuttableAtScale() throws {
        let knn = KNNLearner()
        let small = DataShape(rows: 100, features: 10, task: .binary)
        let smallCost = knn.estimatedCost(for: small) * 5
        #expect(smallCost < 0.1)
        #expect(SearchScheduler.trainingRows(rows: 100, cost: smallCost, allowed: policy.uncuttableShareOfTimeLeft * 9, minimumRows: policy.subsampleMinimumRows) == 100)
        // A million rows of 20 features: a quarter-million validation rows against every training row.
        let big = DataShape(rows: 1_000_000, features: 20, task: .binary)
        let bigCost = knn.estimatedCost(for: big)
        #expect(bigCost > 600, "\(bigCost) s")
        let allowed = policy.uncuttableShareOfTimeLeft * 50
        let rows = try #require(SearchScheduler.trainingRows(rows: big.rows, cost: bigCost, allowed: allowed, minimumRows: policy.subsampleMinimumRows))
        #expect(rows < big.rows && rows >= policy.subsampleMinimumRows)
        #expect(Double(rows) / Double(big.rows) * bigCost <= allowed + 1e-9)
        // Less time than the smallest subsample needs: not run at all.
        #expect(SearchScheduler.trainingRows(rows: big.rows, cost: bigCost, allowed: 0.01, minimumRows: policy.subsampleMinimumRows) == nil)
        // A table smaller than the floor runs whole or not at all.
        #expect(SearchScheduler.trainingRows(rows: 300, cost: 2, allowed: 1, minimumRows: 500) == nil)
        #expect(SearchScheduler.trainingRows(rows: 300, cost: 1, allowed: 1, minimumRows: 500) == 300)
        // A trial on the subsample is calibrated against the subsample's estimate, not the whole table's.
        #expect(abs(SearchScheduler.estimate(bigCost, onRows: rows, of: big.rows) - Double(rows) / Double(big.rows) * bigCost) < 1e-9)
        #expect(SearchScheduler.estimate(2, onRows: nil, of: 300) == 2)
        #expect(SearchScheduler.estimate(2, onRows: 300, of: 300) == 2)
    }

    @Test("A finished family is never chosen, even when it is the only one")
    func finishedFamilies() {
        var only = FamilyStanding(trials: 2, skips: 0, spent: 1, best: 0.5, first: 0.4, lowCost: 0.1)
        #expect(SearchScheduler.next([only], policy: policy) == 0)
        only.finished = true
        #expect(SearchScheduler.next([only], policy: policy) == nil)
        let other = FamilyStanding(trials: 2, skips: 0, spent: 5, best: 0.3, first: 0.3, lowCost: 0.1)
        #expect(SearchScheduler.next([only, other], policy: policy) == 1)
    }
}
