import Foundation
import Learners
import MLData

/// Greedy ensemble selection with replacement (Caruana et al. 2004, as auto-sklearn uses it): start
/// from the best model, then repeatedly add the model (possibly again) whose addition most improves the
/// validation score of the averaged predictions. Weights are the selection counts.
package enum EnsembleSelection {
    package static func select(
        _ candidates: [Predictions], target: TargetValues, metric: ValidationMetric, rounds: Int,
        minimumRounds: Int = EnsemblePolicy().minimumRounds
    ) -> [Double] {
        guard !candidates.isEmpty else { return [] }
        // Accuracy ties often (a row is 1/n); ties go to the better log loss, so that of two ensembles
        // right on the same rows the better calibrated one is chosen.
        func key(_ p: Predictions) -> (Double, Double) {
            (metric.score(p, target), metric == .accuracy ? ValidationMetric.logLoss.score(p, target) : 0)
        }
        let scores = candidates.map(key)
        var counts = [Int](repeating: 0, count: candidates.count)
        let first = scores.indices.max { scores[$0] < scores[$1] } ?? 0
        counts[first] = 1
        var sum = values(candidates[first])
        var best = scores[first].0
        for round in 1..<max(1, rounds) {
            var choice: Int?
            var choiceScore = -Double.infinity, choiceTie = -Double.infinity
            for (i, c) in candidates.enumerated() {
                let v = values(c)
                let mixed = zip(sum, v).map { ($0 + $1) / Double(round + 1) }
                let (s, tie) = key(rebuild(mixed, like: c))
                if (s, tie) > (choiceScore, choiceTie) { choiceScore = s; choiceTie = tie; choice = i }
            }
            guard let choice else { break }
            // Stop once adding models no longer helps (ties keep the smaller ensemble).
            if choiceScore < best - 1e-12 && round > minimumRounds { break }
            counts[choice] += 1
            let v = values(candidates[choice])
            for j in sum.indices { sum[j] += v[j] }
            best = max(best, choiceScore)
        }
        let total = Double(counts.reduce(0, +))
        return counts.map { Double($0) / total }
    }

    /// What `gate` decided: the held-out gain of the ensemble with searched members over the a-priori
    /// ensemble (mean and standard error over the half-splits), whether they are kept, and the a-priori
    /// ensemble's weights (selected on all rows).
    package struct Gate: Sendable {
        package var gain: Double
        package var standardError: Double
        package var kept: Bool
        package var priorWeights: [Double]
    }

    /// Guards an ensemble against the winner's curse. A searched configuration is kept for its validation
    /// score, the best of many noisy draws, and ensemble selection then picks among them by the same rows,
    /// so the ensemble's validation score is optimistic; an a-priori candidate (a low-cost point, a
    /// portfolio configuration) was chosen before any score was seen. When `weights` give weight to
    /// searched candidates, the choice between the two pools is itself validated: the rows are split in
    /// halves, each pool's ensemble is selected on one half and scored on the other, both ways, for
    /// `splits` random splits. The searched candidates are kept when their held-out gain exceeds two
    /// standard errors: the halves are honest about ensemble selection but not about which trials were
    /// kept as candidates (the best by all the rows), so a bar of one standard error still let through
    /// gains that did not hold on test data. Nil when there is nothing to decide (no searched member, or no
    /// a-priori candidate) or when `deadline` came before one split was done.
    package static func gate(
        _ weights: [Double], candidates: [Predictions], apriori: [Bool],
        target: TargetValues, metric: ValidationMetric, rounds: Int, minimumRounds: Int = EnsemblePolicy().minimumRounds,
        seed: UInt64, splits: Int = EnsemblePolicy().gateSplits, standardErrors: Double = EnsemblePolicy().gateStandardErrors,
        deadline: ContinuousClock.Instant? = nil, clock: any RunClock = SystemRunClock()
    ) -> Gate? {
        precondition(weights.count == candidates.count && apriori.count == candidates.count, "one weight and one flag per candidate")
        guard zip(weights, apriori).contains(where: { $0.0 > 0 && !$0.1 }), apriori.contains(true), target.count >= 4 else { return nil }
        let priorIndices = candidates.indices.filter { apriori[$0] }
        func priorSelection(_ c: [Predictions], _ t: TargetValues) -> [Double] {
            var w = [Double](repeating: 0, count: c.count)
            for (i, x) in zip(priorIndices, select(priorIndices.map { c[$0] }, target: t, metric: metric, rounds: rounds, minimumRounds: minimumRounds)) { w[i] = x }
            return w
        }
        let priorWeights = priorSelection(candidates, target)
        var rng = SeededGenerator(seed: seed)
        var gains: [Double] = []
        for _ in 0..<max(1, splits) {
            // Out of time: decide on the splits done, or not at all (the caller keeps its weights).
            if let deadline, clock.now >= deadline { break }
            let halves = randomHalves(target.count, using: &rng)
            for (fit, held) in [(halves[0], halves[1]), (halves[1], halves[0])] {
                let fitCandidates = candidates.map { $0.selecting(rows: fit) }, fitTarget = target.selecting(rows: fit)
                let heldCandidates = candidates.map { $0.selecting(rows: held) }, heldTarget = target.selecting(rows: held)
                guard let all = combine(heldCandidates, weights: select(fitCandidates, target: fitTarget, metric: metric, rounds: rounds, minimumRounds: minimumRounds)),
                      let prior = combine(heldCandidates, weights: priorSelection(fitCandidates, fitTarget)) else { continue }
                let gain = metric.score(all, heldTarget) - metric.score(prior, heldTarget)
                if gain.isFinite { gains.append(gain) }
            }
        }
        guard let (mean, variance) = SampleStatistics.meanAndVariance(gains) else { return nil }
        let standardError = (variance / Double(gains.count)).squareRoot()
        return Gate(gain: mean, standardError: standardError, kept: mean > standardErrors * standardError, priorWeights: priorWeights)
    }

    /// Rows 0..<`count` dealt at random into two halves, each in order.
    package static func randomHalves(_ count: Int, using rng: inout SeededGenerator) -> [[Int]] {
        var rows = Array(0..<count)
        for i in stride(from: rows.count - 1, to: 0, by: -1) { rows.swapAt(i, rng.uniform(below: i + 1)) }
        return [Array(rows[..<(rows.count / 2)]).sorted(), Array(rows[(rows.count / 2)...]).sorted()]
    }

    /// The weighted average of predictions of the same shape.
    package static func combine(_ predictions: [Predictions], weights: [Double]) -> Predictions? {
        guard let first = predictions.first else { return nil }
        var sum = [Double](repeating: 0, count: values(first).count)
        for (p, w) in zip(predictions, weights) where w > 0 {
            let v = values(p)
            for j in sum.indices { sum[j] += w * v[j] }
        }
        let total = weights.reduce(0, +)
        if total > 0, total != 1 { for j in sum.indices { sum[j] /= total } }
        return rebuild(sum, like: first)
    }

    static func values(_ p: Predictions) -> [Double] {
        switch p {
        case .values(let v): return v
        case .probabilities(let q, _): return q
        }
    }

    static func rebuild(_ v: [Double], like p: Predictions) -> Predictions {
        switch p {
        case .values: return .values(v)
        case .probabilities(_, let k): return .probabilities(v, classes: k)
        }
    }
}
