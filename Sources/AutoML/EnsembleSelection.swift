import Learners
import MLData

/// Greedy ensemble selection with replacement (Caruana et al. 2004, as auto-sklearn uses it): start
/// from the best model, then repeatedly add the model (possibly again) whose addition most improves the
/// validation score of the averaged predictions. Weights are the selection counts.
enum EnsembleSelection {
    static func select(
        _ candidates: [Predictions], target: TargetValues, metric: ValidationMetric, rounds: Int
    ) -> [Double] {
        guard !candidates.isEmpty else { return [] }
        let scores = candidates.map { metric.score($0, target) }
        var counts = [Int](repeating: 0, count: candidates.count)
        let first = scores.indices.max { scores[$0] < scores[$1] } ?? 0
        counts[first] = 1
        var sum = values(candidates[first])
        var best = scores[first]
        for round in 1..<max(1, rounds) {
            var choice: Int?
            var choiceScore = -Double.infinity
            for (i, c) in candidates.enumerated() {
                let v = values(c)
                let mixed = zip(sum, v).map { ($0 + $1) / Double(round + 1) }
                let s = metric.score(rebuild(mixed, like: c), target)
                if s > choiceScore { choiceScore = s; choice = i }
            }
            guard let choice else { break }
            // Stop once adding models no longer helps (ties keep the smaller ensemble).
            if choiceScore < best - 1e-12 && round > 8 { break }
            counts[choice] += 1
            let v = values(candidates[choice])
            for j in sum.indices { sum[j] += v[j] }
            best = max(best, choiceScore)
        }
        let total = Double(counts.reduce(0, +))
        return counts.map { Double($0) / total }
    }

    /// The weighted average of predictions of the same shape.
    static func combine(_ predictions: [Predictions], weights: [Double]) -> Predictions? {
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
