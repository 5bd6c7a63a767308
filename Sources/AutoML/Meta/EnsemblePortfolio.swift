import Foundation
import Learners
import MLData
import Store

/// The portfolio chosen on the ensemble's score rather than the best entry's, as auto-sklearn 2.0 and
/// TabRepo build theirs: a fit ends in an ensemble of what it tried (`EnsembleSelection`), so an entry
/// that is never the best on its own but corrects the others is worth a place.
///
/// Per corpus dataset it holds each entry's out-of-fold predictions (as the knowledge base stores them)
/// and the target of the validated rows (read again from the corpus by `MetaBuild.validatedTargets`,
/// since the base keeps no data row). A portfolio's ensemble on a dataset is grown as ensemble selection
/// grows one: each entry added is mixed in with the weight of one more member, or half the weight, or
/// replaces the ensemble, whichever scores best on the validated rows (the ensemble only changes when it
/// gains). Its score is normalised as `PriorBuilder.normalise` does (0 the dataset's median entry, 1 its
/// best entry) and may exceed 1 by up to `headroom` — what an ensemble can gain over the best entry.
package struct EnsemblePortfolio: Sendable {
    /// How far above the best single entry (in units of best − median) an ensemble's normalised score
    /// counts: enough to reward a real gain, capped so that a dataset whose entries are all close (a small
    /// best − median) cannot dominate the mean.
    package static let headroom = 0.5

    package struct Dataset: Sendable {
        package var name: String
        var metric: ValidationMetric
        var target: TargetValues
        var predictions: [String: Predictions]
        var median: Double
        var best: Double

        func normalised(_ s: Double) -> Double {
            s.isFinite ? PriorBuilder.normalised(s, median: median, best: best, cap: 1 + EnsemblePortfolio.headroom) : 0
        }
    }

    package var datasets: [Dataset]

    /// The datasets of `base` among `targets` (by name), with their entries' out-of-fold predictions. An
    /// entry whose predictions do not match its dataset's validated rows (the corpus changed since the
    /// base was built), or whose stored score they do not reproduce, is an error: the base must be rebuilt.
    package init(base: KnowledgeBase, targets: [String: TargetValues], names: [String]) throws {
        var datasets: [Dataset] = []
        let known = Dictionary(try base.datasets().map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for name in names {
            guard let d = known[name] else { continue }
            guard let target = targets[name] else {
                throw AutoMLError.invalidInput("the corpus has no dataset \(name), which the knowledge base learned from: pass the corpus the base was built from")
            }
            guard let metric = ValidationMetric(rawValue: d.metric) else {
                throw AutoMLError.invalidInput("the knowledge base's dataset \(name) has the unknown metric '\(d.metric)'")
            }
            var predictions: [String: Predictions] = [:]
            var scores: [Double] = []
            for r in try base.results(dataset: name, withPredictions: true) {
                guard let entry = r.entry, let stored = r.score else { continue }
                scores.append(stored)
                guard !r.predictions.isEmpty else { continue }
                let p = try Self.predictions(r.predictions, target: target, dataset: name, entry: entry)
                let s = metric.score(p, target)
                // Stored as Float, close probabilities can tie and move a rank metric a little; rows out of order move it a lot.
                guard abs(s - stored) <= 0.01 * max(1, abs(stored)) else {
                    throw AutoMLError.invalidInput("the knowledge base's predictions of \(entry) on \(name) score \(s), not the stored \(stored): the corpus or the validation changed since the base was built; rebuild it with `mlforge meta build`")
                }
                predictions[entry] = p
            }
            scores.sort()
            guard let best = scores.last else { continue }
            datasets.append(Dataset(name: name, metric: metric, target: target, predictions: predictions,
                                    median: scores[scores.count / 2], best: best))
        }
        self.datasets = datasets
    }

    static func predictions(_ stored: [Float], target: TargetValues, dataset: String, entry: String) throws -> Predictions {
        let values = stored.map(Double.init)
        switch target {
        case .values(let v) where values.count == v.count:
            return .values(values)
        case .classes(let c, let k) where values.count == c.count * k:
            return .probabilities(values, classes: k)
        default:
            throw AutoMLError.invalidInput("the knowledge base holds \(stored.count) predictions of \(entry) on \(dataset), which do not match its \(target.count) validated rows: the corpus changed since the base was built; rebuild it with `mlforge meta build`")
        }
    }

    /// One dataset's ensemble as entries are added: the members' summed predictions, their count, and
    /// the ensemble's normalised score.
    struct Ensemble: Sendable {
        var sum: [Double] = []
        var members = 0.0
        var score = 0.0
    }

    /// The best ensemble on `d` after adding `entry` to `e` (and its normalised score); `e` itself when
    /// the entry does not help or has no predictions there.
    static func adding(_ entry: String, to e: Ensemble, on d: Dataset) -> Ensemble {
        guard let p = d.predictions[entry] else { return e }
        let v = EnsembleSelection.values(p)
        var options: [Ensemble] = [Ensemble(sum: v, members: 1, score: 0)]
        if e.members > 0 {
            options.append(Ensemble(sum: zip(e.sum, v).map { $0 + $1 }, members: e.members + 1))
            options.append(Ensemble(sum: zip(e.sum, v).map { $0 + e.members * $1 }, members: 2 * e.members))
        }
        var best = e
        for var o in options {
            o.score = d.normalised(d.metric.score(EnsembleSelection.rebuild(o.sum.map { $0 / o.members }, like: p), d.target))
            if o.score > best.score + 1e-12 { best = o }
        }
        return best
    }

    /// The greedy anytime portfolio on the ensemble's score: each step adds the candidate that most raises
    /// the mean normalised ensemble score over the datasets, per square root of its relative cost (as
    /// `PriorBuilder.greedy` does for the best entry's score); `cost` is per dataset, by entry.
    package func greedy(cost: [String: [String: Double]], candidates: [String], size: Int) -> [(entry: String, score: Double)] {
        var current = [Ensemble](repeating: Ensemble(), count: datasets.count)
        var chosen: [(String, Double)] = []
        var left = candidates
        while chosen.count < size, !left.isEmpty {
            // Every candidate's ensemble on every dataset, the datasets spread over the cores.
            let (candidates, ensembles) = (left, current)
            let next = Self.concurrentMap(datasets.indices) { i in candidates.map { Self.adding($0, to: ensembles[i], on: datasets[i]) } }
            var bestIndex = -1, bestRatio = 0.0
            for (j, e) in left.enumerated() {
                var gain = 0.0, c = 0.0
                for i in datasets.indices {
                    gain += next[i][j].score - current[i].score
                    c += cost[datasets[i].name]?[e] ?? 1
                }
                let ratio = gain / Double(datasets.count) / max(0.05, c / Double(datasets.count)).squareRoot()
                if ratio > bestRatio + 1e-12 { bestRatio = ratio; bestIndex = j }
            }
            guard bestIndex >= 0 else { break }
            for i in datasets.indices { current[i] = next[i][bestIndex] }
            chosen.append((left.remove(at: bestIndex), current.map(\.score).reduce(0, +) / Double(datasets.count)))
        }
        return chosen
    }

    /// Each dataset's normalised ensemble score after each of `portfolio`'s first entries (dataset-major).
    package func curves(_ portfolio: [String]) -> [[Double]] {
        Self.concurrentMap(datasets.indices) { i in
            var e = Ensemble()
            return portfolio.map { entry in
                e = Self.adding(entry, to: e, on: datasets[i])
                return e.score
            }
        }
    }

    static func concurrentMap<T: Sendable>(_ range: Range<Int>, _ body: @Sendable (Int) -> T) -> [T] {
        let out = UnsafeMutableBufferPointer<T?>.allocate(capacity: range.count)
        out.initialize(repeating: nil)
        defer { out.deallocate() }
        nonisolated(unsafe) let slots = out
        DispatchQueue.concurrentPerform(iterations: range.count) { i in slots[i] = body(range.lowerBound + i) }
        return out.map { $0! }
    }
}
