import Learners
import MLData
import Support

/// How much better one model's validation predictions are than another's on the same rows, with the
/// standard error of that gain from a paired bootstrap: the rows are drawn with replacement, both models
/// are scored on the same draw, and the spread of the differences is the standard error (Efron and
/// Tibshirani 1993, ch. 6). Self-training keeps a round only when its gain clears a number of them.
package struct PairedGain: Sendable, Equatable {
    /// The score of the candidate less the incumbent's on all the shared rows (higher is better).
    package var gain: Double
    /// The bootstrap standard error of `gain`.
    package var standardError: Double

    /// The gain of `candidate` over `incumbent`, scored by `metric` on the rows both were validated on
    /// (matched by their index in the training table). Nil when they share fewer than 4 rows, or when
    /// fewer than 2 resamples give finite scores (a draw with one class, for ROC AUC, falls back to the
    /// log loss in both, so the difference stays paired).
    package static func measure(_ candidate: ValidationRecord, over incumbent: ValidationRecord, metric: ValidationMetric,
                                resamples: Int, seed: UInt64) -> PairedGain? {
        let position = Dictionary(incumbent.rows.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var mine: [Int] = [], theirs: [Int] = []
        for (i, row) in candidate.rows.enumerated() {
            if let j = position[row] { mine.append(i); theirs.append(j) }
        }
        guard mine.count >= 4 else { return nil }
        let a = candidate.predictions.selecting(rows: mine), b = incumbent.predictions.selecting(rows: theirs)
        let target = candidate.target.selecting(rows: mine)
        let gain = metric.score(a, target) - metric.score(b, target)
        var rng = SeededGenerator(seed: seed)
        var differences: [Double] = []
        for _ in 0..<resamples {
            let draw = (0..<mine.count).map { _ in rng.uniform(below: mine.count) }
            let t = target.selecting(rows: draw)
            let d = metric.score(a.selecting(rows: draw), t) - metric.score(b.selecting(rows: draw), t)
            if d.isFinite { differences.append(d) }
        }
        guard gain.isFinite, let (_, variance) = SampleStatistics.meanAndVariance(differences) else { return nil }
        return PairedGain(gain: gain, standardError: variance.squareRoot())
    }
}
