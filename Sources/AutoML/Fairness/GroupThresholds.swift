import Foundation
import MLData

/// A decision threshold per group of a sensitive column on the positive class's probability, chosen on
/// the ensemble's validation predictions to be as accurate as possible while the groups' difference
/// (`FairnessConstraint`) stays within its bound: the post-processing of Hardt, Price and Srebro (2016,
/// "Equality of opportunity in supervised learning"), with one deterministic threshold per group instead
/// of their randomised mix of two.
///
/// How: each group's rows are sorted by probability, and up to `FairnessPolicy.thresholdsPerGroup` cut
/// points between distinct probabilities are its candidate thresholds (plus "none" and "all"). The
/// groups' rates are held near a common level — selection rate for demographic parity; true- and
/// false-positive rate for equalized odds — on a grid of levels: each group takes its most accurate
/// candidate whose rates lie within half the bound of the level, so any two groups differ by at most
/// the bound; the most accurate level wins. Selecting every row (all rates 1) always qualifies, so a
/// bound can always be met — sometimes only by a useless rule, which the trade-off shows.
public struct GroupThresholds: Codable, Sendable, Equatable {
    /// Accuracy and the constrained difference of a decision rule on the validation rows.
    public struct Outcome: Codable, Sendable, Equatable {
        public var accuracy: Double
        /// nil: not defined (equalized odds with a group lacking positive or negative rows).
        public var difference: Double?
    }

    /// The best rule for one bound: its accuracy and the difference it reached.
    public struct Point: Codable, Sendable, Equatable {
        public var bound: Double
        public var accuracy: Double
        public var difference: Double
    }

    public var constraint: FairnessConstraint
    /// Group → the probability of the positive class from which a row of the group is predicted
    /// positive (above 1: never). Empty when the more probable class already met the bound.
    public var thresholds: [String: Double]
    /// The validation rows the rule was chosen on.
    public var rows: Int
    /// The more probable class, and the rule chosen, on those rows.
    public var before: Outcome
    public var after: Outcome
    /// Accuracy against the bound (`FairnessPolicy.tradeoffBounds` and the user's), most lenient last.
    public var tradeoff: [Point]

    /// Whether a row of `group` whose positive class has probability `p` is predicted positive. A group
    /// training never saw, and every group when `thresholds` is empty, gets the more probable class.
    public func isPositive(_ p: Double, group: String) -> Bool {
        if let t = thresholds[group] { return p >= t }
        return p > 0.5
    }

    /// The group label of each row of `column` (missing values form their own group, "missing").
    public static func labels(_ column: Column, rows: [Int]) -> [String] { rows.map { column.text($0) ?? "missing" } }

    /// The rule for `constraint` from the positive class's probability `p`, the truth and each row's group.
    public static func fit(_ p: [Double], truth: [Bool], groups: [String], constraint: FairnessConstraint,
                           policy: FairnessPolicy) -> GroupThresholds {
        let names = Array(Set(groups)).sorted()
        let members = Dictionary(grouping: groups.indices, by: { groups[$0] })
        let candidates = names.map { name in
            Candidates(members[name]!.map { p[$0] }, truth: members[name]!.map { truth[$0] }, cuts: policy.thresholdsPerGroup)
        }
        func outcome(_ decide: (Int) -> Bool) -> Outcome {
            let decided = p.indices.map(decide)
            let rates = GroupRates(decided: decided, truth: truth, groups: groups)
            let correct = zip(decided, truth).filter { $0 == $1 }.count
            return Outcome(accuracy: Double(correct) / Double(max(1, p.count)), difference: rates.difference(constraint.measure))
        }
        let before = outcome { p[$0] > 0.5 }
        func rule(_ bound: Double) -> [String: Double] {
            let choice = best(candidates, measure: constraint.measure, bound: bound, step: policy.levelStep)
            return Dictionary(uniqueKeysWithValues: zip(names, zip(candidates, choice).map { $0.threshold($1) }))
        }
        func apply(_ t: [String: Double]) -> Outcome { outcome { p[$0] >= t[groups[$0]]! } }
        var bounds = Set(policy.tradeoffBounds)
        bounds.insert(constraint.bound)
        let tradeoff = bounds.sorted().map { b -> Point in
            let o = apply(rule(b))
            return Point(bound: b, accuracy: o.accuracy, difference: o.difference ?? 0)
        }
        let meets = before.difference.map { $0 <= constraint.bound } ?? false
        let thresholds = meets ? [:] : rule(constraint.bound)
        return GroupThresholds(constraint: constraint, thresholds: thresholds, rows: p.count, before: before,
                               after: meets ? before : apply(thresholds), tradeoff: tradeoff)
    }

    /// Each group's chosen candidate: the most accurate level of the grid at which every group has a
    /// candidate within half the bound.
    static func best(_ groups: [Candidates], measure: FairnessConstraint.Measure, bound: Double, step: Double) -> [Int] {
        let half = bound / 2 + 1e-12
        let levels = stride(from: 0.0, through: 1.0 + 1e-9, by: step).map { min(1, $0) }
        var bestCorrect = -1, bestChoice: [Int] = groups.map { $0.selectAll }
        /// The most accurate candidate of each group among `subsets` that `fits`; kept when it beats the best.
        func consider(_ subsets: [[Int]], _ fits: (Candidates, Int) -> Bool) {
            var correct = 0, choice: [Int] = []
            for (g, subset) in zip(groups, subsets) {
                var pick = -1
                for j in subset where fits(g, j) && (pick < 0 || g.correct[j] > g.correct[pick]) { pick = j }
                guard pick >= 0 else { return }
                correct += g.correct[pick]
                choice.append(pick)
            }
            if correct > bestCorrect { (bestCorrect, bestChoice) = (correct, choice) }
        }
        switch measure {
        case .demographicParity:
            let all = groups.map { Array($0.kept.indices) }
            for a in levels { consider(all) { g, j in abs(g.selectionRate(j) - a) <= half } }
        case .equalizedOdds:
            // The true-positive band first (few candidates pass it), then the false-positive levels over those.
            for a in levels {
                let subsets = groups.map { g in g.kept.indices.filter { j in g.truePositiveRate(j).map { abs($0 - a) <= half } ?? true } }
                guard !subsets.contains(where: \.isEmpty) else { continue }
                for b in levels { consider(subsets) { g, j in g.falsePositiveRate(j).map { abs($0 - b) <= half } ?? true } }
            }
        }
        return bestChoice
    }

    /// One group's candidate thresholds: "select the top k rows" for the kept k, with the counts each gives.
    struct Candidates {
        /// The group's probabilities, highest first.
        let sorted: [Double]
        /// The k (rows selected) of each candidate, increasing; the first selects none, the last all.
        let kept: [Int]
        let correct: [Int]
        let truePositives: [Int]
        let positives: Int
        let negatives: Int

        init(_ p: [Double], truth: [Bool], cuts: Int) {
            let order = p.indices.sorted { p[$0] > p[$1] }
            let values = order.map { p[$0] }
            let n = p.count
            var prefix = [0]
            for i in order { prefix.append(prefix.last! + (truth[i] ? 1 : 0)) }
            let positiveCount = prefix[n]
            // Cut points only between distinct probabilities; at most `cuts` of them, at evenly spaced ranks.
            let interior = (1..<max(1, n)).filter { values[$0 - 1] > values[$0] }
            let stride = max(1, Int((Double(interior.count) / Double(max(1, cuts))).rounded(.up)))
            let picked = interior.enumerated().filter { $0.offset % stride == 0 }.map(\.element)
            let chosen = [0] + picked + (n > 0 ? [n] : [])
            sorted = values
            positives = positiveCount
            negatives = n - positiveCount
            kept = chosen
            truePositives = chosen.map { prefix[$0] }
            correct = chosen.map { k in prefix[k] + (n - k - (positiveCount - prefix[k])) }
        }

        var selectAll: Int { kept.count - 1 }
        func selectionRate(_ j: Int) -> Double { Double(kept[j]) / Double(max(1, sorted.count)) }
        func truePositiveRate(_ j: Int) -> Double? { positives > 0 ? Double(truePositives[j]) / Double(positives) : nil }
        func falsePositiveRate(_ j: Int) -> Double? {
            negatives > 0 ? Double(kept[j] - truePositives[j]) / Double(negatives) : nil
        }
        /// The probability from which candidate j's rows are selected (above 1: none; 0: all).
        func threshold(_ j: Int) -> Double {
            let k = kept[j]
            if k == 0 { return 2 }
            if k == sorted.count { return 0 }
            return (sorted[k - 1] + sorted[k]) / 2
        }
    }
}
