import AutoML
import Testing
import Support

/// Per-group thresholds under a fairness bound: the bound holds, the accuracy is as good as an exhaustive
/// search allows within one grid step, looser bounds never cost accuracy, and the rates match their
/// definitions.
@Suite("Group thresholds (fit --fairness)")
struct GroupThresholdsTests {
    /// Two groups whose scores are shifted apart: group a's rows look positive far more often.
    static func sample(rows: Int, seed: UInt64) -> (p: [Double], truth: [Bool], groups: [String]) {
        var rng = SeededGenerator(seed: seed)
        var p: [Double] = [], truth: [Bool] = [], groups: [String] = []
        for i in 0..<rows {
            let a = i % 3 != 0
            let positive = Double.random(in: 0..<1, using: &rng) < (a ? 0.6 : 0.25)
            let score = min(0.999, max(0.001, (positive ? 0.62 : 0.38) + (a ? 0.12 : -0.12) + Double.random(in: -0.3..<0.3, using: &rng)))
            p.append((score * 1000).rounded() / 1000)
            truth.append(positive)
            groups.append(a ? "a" : "b")
        }
        return (p, truth, groups)
    }

    /// The most accurate pair of "select the top k" cuts whose difference is within `bound`, over every cut.
    static func exhaustive(_ s: (p: [Double], truth: [Bool], groups: [String]), measure: FairnessConstraint.Measure, bound: Double) -> Double {
        let names = ["a", "b"]
        let cuts = names.map { g in [2.0] + Array(Set(s.p.indices.filter { s.groups[$0] == g }.map { s.p[$0] })).sorted(by: >) + [0] }
        var best = -1.0
        for ta in cuts[0] { for tb in cuts[1] {
            let decided = s.p.indices.map { s.p[$0] >= (s.groups[$0] == "a" ? ta : tb) }
            guard let d = GroupRates(decided: decided, truth: s.truth, groups: s.groups).difference(measure), d <= bound + 1e-12 else { continue }
            best = max(best, Double(zip(decided, s.truth).filter { $0 == $1 }.count) / Double(s.p.count))
        } }
        return best
    }

    @Test("rates follow their definitions; equalized odds is undefined for a group without negatives")
    func rates() {
        let r = GroupRates(decided: [true, false, true, true, false], truth: [true, true, false, true, true], groups: ["x", "x", "x", "y", "y"])
        #expect(r.groups.map(\.name) == ["x", "y"])
        #expect(r.groups[0].selectionRate == 2.0 / 3 && r.groups[0].truePositiveRate == 0.5 && r.groups[0].falsePositiveRate == 1)
        #expect(r.groups[1].selectionRate == 0.5 && r.groups[1].truePositiveRate == 0.5 && r.groups[1].falsePositiveRate == nil)
        #expect(abs(r.demographicParityDifference - 1.0 / 6) < 1e-12)
        #expect(r.equalizedOddsDifference == nil)
    }

    @Test("the bound holds, accuracy is within one grid step of the exhaustive optimum, and looser bounds never cost accuracy",
          arguments: FairnessConstraint.Measure.allCases)
    func meetsTheBound(_ measure: FairnessConstraint.Measure) throws {
        // Few enough distinct scores per group that every cut is a candidate.
        let s = Self.sample(rows: 90, seed: 3)
        var policy = FairnessPolicy()
        policy.thresholdsPerGroup = 1000
        for bound in [0.0, 0.05, 0.1, 0.2] {
            let rule = GroupThresholds.fit(s.p, truth: s.truth, groups: s.groups,
                                           constraint: FairnessConstraint(measure: measure, bound: bound, column: "g"), policy: policy)
            let before = try #require(rule.before.difference)
            #expect(before > 0.2, "the sample is unfair to begin with: \(before)")
            #expect(!rule.thresholds.isEmpty)
            // Applying the stored thresholds gives the difference and accuracy the rule reports.
            let decided = s.p.indices.map { rule.isPositive(s.p[$0], group: s.groups[$0]) }
            let d = try #require(GroupRates(decided: decided, truth: s.truth, groups: s.groups).difference(measure))
            #expect(d <= bound + 1e-12 && abs(d - (rule.after.difference ?? -1)) < 1e-12, "bound \(bound): \(d)")
            let accuracy = Double(zip(decided, s.truth).filter { $0 == $1 }.count) / Double(s.p.count)
            #expect(abs(accuracy - rule.after.accuracy) < 1e-12)
            #expect(accuracy <= Self.exhaustive(s, measure: measure, bound: bound) + 1e-12)
            // Any rule whose rates spread by at most bound − step lies in a band the grid tries.
            if bound >= policy.levelStep {
                #expect(accuracy >= Self.exhaustive(s, measure: measure, bound: bound - policy.levelStep) - 1e-12, "bound \(bound)")
            }
            // The trade-off: each point within its bound, accuracy never lower for a looser bound.
            for (x, y) in zip(rule.tradeoff, rule.tradeoff.dropFirst()) { #expect(y.bound > x.bound && y.accuracy >= x.accuracy - 1e-12) }
            #expect(rule.tradeoff.allSatisfy { $0.difference <= $0.bound + 1e-12 })
            #expect(rule.tradeoff.contains { $0.bound == bound && abs($0.accuracy - accuracy) < 1e-12 })
        }
    }

    @Test("a rule that already meets the bound keeps the more probable class; unseen groups get it too")
    func alreadyFair() {
        let s = Self.sample(rows: 300, seed: 5)
        let rule = GroupThresholds.fit(s.p, truth: s.truth, groups: s.groups,
                                       constraint: FairnessConstraint(measure: .demographicParity, bound: 1, column: "g"), policy: FairnessPolicy())
        #expect(rule.thresholds.isEmpty && rule.after == rule.before)
        #expect(rule.isPositive(0.51, group: "a") && !rule.isPositive(0.5, group: "a") && rule.isPositive(0.7, group: "never seen"))
    }

    @Test("--fairness text: a measure, <=, and a bound in [0, 1]; anything else is refused with the form")
    func parsing() throws {
        let c = try FairnessConstraint(parsing: " equalized_odds <= 0.05 ", column: "sex")
        #expect(c == FairnessConstraint(measure: .equalizedOdds, bound: 0.05, column: "sex"))
        for bad in ["equal_odds<=0.1", "demographic_parity<0.1", "demographic_parity<=1.5", "demographic_parity<=x", ""] {
            #expect(throws: AutoMLError.self, "\(bad)") { try FairnessConstraint(parsing: bad, column: "sex") }
        }
    }
}
