import Foundation

/// The probability of the positive class from which a binary model decides for it, when its metric only
/// ranks (`ValidationMetric.ranksOnly`: ROC AUC).
///
/// Why: the search and the ensemble are chosen by how they order the rows, never by where their
/// probabilities lie, so the more probable class can be a useless decision. Measured: a fit of mushroom
/// reached ROC AUC 1.0 with one member, XGBoost of 4 trees at eta 0.1, whose probabilities all stay
/// under 0.5: every row was decided "edible" (test accuracy 0.618, the majority share).
///
/// How: Platt's map σ(slope · logit p + intercept) is fitted to the ensemble's validation predictions
/// (Platt 1999, with his smoothed targets, so a perfect ranking still gives a finite map); the threshold
/// is where it reaches 0.5, the more probable class after calibration. It is kept only when it decides
/// the validation rows more accurately than 0.5 does; probabilities are left as they are.
public struct DecisionThreshold: Codable, Sendable, Equatable {
    /// The positive class is decided at this probability or above.
    public var threshold: Double
    /// Platt's map of the validation predictions.
    public var slope: Double
    public var intercept: Double
    /// The validation rows it was fitted on, and their accuracy deciding at 0.5 and at `threshold`.
    public var rows: Int
    public var accuracyBefore: Double
    public var accuracyAfter: Double

    /// Probabilities are clipped this far from 0 and 1 before their logit is taken.
    static let clip = 1e-7
    /// At most this many Newton steps for the two-parameter fit; it stops once the loss stops falling.
    static let maximumSteps = 50

    /// Whether a row whose positive class has probability `p` is decided positive.
    public func isPositive(_ p: Double) -> Bool { p >= threshold }

    /// The threshold for the positive class's probabilities `p` and the truth, or nil when the more
    /// probable class decides at least as accurately (or the map does not rise with `p`).
    public static func fit(_ p: [Double], truth: [Bool]) -> DecisionThreshold? {
        guard p.count == truth.count, !p.isEmpty else { return nil }
        let z = p.map { v in
            let c = min(max(v, clip), 1 - clip)
            return log(c / (1 - c))
        }
        let positives = Double(truth.filter { $0 }.count), negatives = Double(truth.count) - positives
        guard positives > 0, negatives > 0 else { return nil }
        let high = (positives + 1) / (positives + 2), low = 1 / (negatives + 2)
        let target = truth.map { $0 ? high : low }
        guard let (a, b) = plattMap(z, target), a > 0 else { return nil }
        let threshold = 1 / (1 + exp(b / a))
        let accuracy = { (positive: (Double) -> Bool) in
            Double(zip(p, truth).filter { positive($0) == $1 }.count) / Double(p.count)
        }
        let before = accuracy { $0 > 0.5 }, after = accuracy { $0 >= threshold }
        guard after > before else { return nil }
        return DecisionThreshold(threshold: threshold, slope: a, intercept: b, rows: p.count,
                                 accuracyBefore: before, accuracyAfter: after)
    }

    /// The slope and intercept of the logistic regression of `target` (soft labels in (0, 1)) on `z`, by
    /// Newton's method with step halving; nil when it does not settle.
    static func plattMap(_ z: [Double], _ target: [Double]) -> (Double, Double)? {
        func loss(_ a: Double, _ b: Double) -> Double {
            var s = 0.0
            for (x, t) in zip(z, target) {
                let f = a * x + b
                // −[t log σ(f) + (1 − t) log(1 − σ(f))], written to stay finite for large |f|.
                s += f >= 0 ? (1 - t) * f + log1p(exp(-f)) : -t * f + log1p(exp(f))
            }
            return s
        }
        var a = 1.0, b = 0.0, current = loss(a, b)
        for _ in 0..<maximumSteps {
            var ga = 0.0, gb = 0.0, haa = 0.0, hab = 0.0, hbb = 0.0
            for (x, t) in zip(z, target) {
                let q = 1 / (1 + exp(-(a * x + b)))
                let w = max(q * (1 - q), 1e-12)
                ga += (q - t) * x; gb += q - t
                haa += w * x * x; hab += w * x; hbb += w
            }
            let det = haa * hbb - hab * hab
            guard det > 1e-300 else { break }
            let da = (hbb * ga - hab * gb) / det, db = (haa * gb - hab * ga) / det
            var step = 1.0, improved = false
            while step > 1e-10 {
                let na = a - step * da, nb = b - step * db, value = loss(na, nb)
                if value < current {
                    a = na; b = nb
                    improved = current - value > 1e-12 * max(1, current)
                    current = value
                    break
                }
                step /= 2
            }
            if !improved { break }
        }
        return a.isFinite && b.isFinite ? (a, b) : nil
    }
}

extension AutoML {
    /// Sets `model.decisionThreshold` from its validation predictions when its metric only ranks, and
    /// logs what it changed.
    static func placeThreshold(_ model: inout AutoMLModel, options: AutoMLOptions) {
        guard model.task == .binary, model.metric.ranksOnly, let v = model.validation,
              let scores = v.predictions.positiveScores, case .classes(let y, _) = v.target,
              let t = DecisionThreshold.fit(scores, truth: y.map { $0 == 1 }) else { return }
        model.decisionThreshold = t
        let figures = String(format: "%.3f on the probability of '%@' (%@ ranks, it does not place the decision); validation accuracy %.4f → %.4f",
                             t.threshold, model.classes[1], model.metric.rawValue, t.accuracyBefore, t.accuracyAfter)
        options.log?(.phase("decision threshold \(figures)"))
    }
}
