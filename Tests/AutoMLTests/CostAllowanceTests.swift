import AutoML
import Foundation
import Learners
import MLData
import Search
import Testing
import TestSupport

/// A family's cost allowance in a real search: a configuration over it is moved toward the low-cost
/// point without fitting anything twice, and a family alone does not wait on an allowance nothing can raise.
@Suite("Cost allowance") struct CostAllowanceTests {
    let space = LearnerFamily.linear.searchSpace(for: DataShape(rows: 100, features: 4, task: .multiclass(classes: 3)))

    @Test("The shrink candidates: the ladder's steps, then one parameter at a time at its low-cost value, then the low-cost point; each once")
    func candidates() throws {
        let sample: Configuration = ["C": .double(100), "l1_ratio": .double(0.7)]
        let low = space.lowCostPoint
        let out = CostShrink.candidates(toward: low, from: sample, in: space, ladder: [0.5, 0.25, 0])
        #expect(out.count == 5, "\(out)")
        #expect(out[0] == CostShrink.toward(low, from: sample, in: space, by: 0.5))
        #expect(out[1] == CostShrink.toward(low, from: sample, in: space, by: 0.25))
        #expect(out.contains(["C": .double(100), "l1_ratio": low["l1_ratio"]!]), "the L2 model at the sampled C: \(out)")
        #expect(out.contains(["C": low["C"]!, "l1_ratio": .double(0.7)]))
        #expect(out.last == low)
        #expect(!out.contains(sample))
        // A parameter already at its low-cost value gives no reset of its own: here the one reset is C's,
        // which is the low-cost point.
        let l2Sample: Configuration = ["C": .double(100), "l1_ratio": .double(0)]
        let l2 = CostShrink.candidates(toward: low, from: l2Sample, in: space, ladder: [0.5])
        #expect(l2 == [CostShrink.toward(low, from: l2Sample, in: space, by: 0.5), low], "\(l2)")
    }

    /// Ten trials of the linear family alone on iris, with the allowance starting at `multiple` times
    /// the low-cost fit and growing to `growth` times what completes: all ten fitted, none twice.
    func irisSearch(allowanceMultiple multiple: Double, growth: Double) throws -> [LeaderboardEntry] {
        let iris = try CSVReader.read(path: Fixtures.repositoryRoot.appendingPathComponent("examples/iris/train.csv").path)
        var options = AutoMLOptions()
        options.budget = .seconds(60)
        options.maxTrials = 10
        options.threads = 1
        options.families = [.linear]
        options.prior = nil
        options.policy.scheduler.initialAllowanceMultiple = multiple
        options.policy.scheduler.initialAllowanceBudgetShare = 0
        options.policy.scheduler.allowanceGrowth = growth
        let start = Date()
        let entries = try AutoML.fitSynchronously(iris, target: "species", options: options).leaderboard.entries
        // A search that spins on what it cannot fit runs to the end of its 60 s budget.
        #expect(Date().timeIntervalSince(start) < 30, "the search ran \(Date().timeIntervalSince(start)) s for 10 trials")
        #expect(entries.count == 10, "\(entries.map(\.configuration))")
        #expect(Set(entries.map(\.configuration)).count == entries.count, "a configuration fitted twice")
        return entries
    }

    @Test("Elastic nets over the allowance: the search fits L2 models at the sampled C instead, and never the same configuration twice")
    func stepInCost() throws {
        // The allowance held at the low-cost L2 fit: every elastic net (a costlier solver at any C) is over it.
        let entries = try irisSearch(allowanceMultiple: 1, growth: 1)
        let l2 = entries.filter { $0.configuration["l1_ratio"] == .double(0) }
        #expect(Set(l2.map { $0.configuration["C"] }).count >= 5, "L2 fits at several values of C: \(entries.map(\.configuration))")
    }

    @Test("A family alone whose allowance nothing can raise: it rises to the cheapest configuration deferred")
    func aloneGrows() throws {
        // An allowance below every configuration, that only a completed trial could raise, and barely.
        _ = try irisSearch(allowanceMultiple: 0.01, growth: 0.01)
    }
}
