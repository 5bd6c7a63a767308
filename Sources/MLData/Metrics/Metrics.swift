import Foundation

/// Evaluation metrics, matching scikit-learn's definitions (checked against committed scikit-learn values).
///
/// Classes are indices `0..<k`; probabilities are row-major with `k` values per row. A metric that is not
/// defined for the data (ROC AUC on a fold that holds one class) throws `DataError.metricUndefined`.
public enum Metrics {
    /// The class with the highest probability in each row (the first on ties, as NumPy's argmax).
    public static func argmax(probabilities p: [Double], classes k: Int) -> [Int] {
        precondition(k > 0 && p.count % k == 0, "argmax: probabilities must hold k values per row")
        return (0..<(p.count / k)).map { r in
            var best = 0
            for c in 1..<k where p[r * k + c] > p[r * k + best] { best = c }
            return best
        }
    }

    public static func accuracy(_ yTrue: [Int], _ yPred: [Int]) -> Double {
        check(yTrue.count, yPred.count)
        guard !yTrue.isEmpty else { return .nan }
        return Double(zip(yTrue, yPred).filter { $0 == $1 }.count) / Double(yTrue.count)
    }

    /// The mean recall over the classes present in `yTrue`.
    public static func balancedAccuracy(_ yTrue: [Int], _ yPred: [Int]) -> Double {
        check(yTrue.count, yPred.count)
        var support: [Int: Int] = [:]
        var hits: [Int: Int] = [:]
        for (t, p) in zip(yTrue, yPred) {
            support[t, default: 0] += 1
            if t == p { hits[t, default: 0] += 1 }
        }
        guard !support.isEmpty else { return .nan }
        let recalls = support.sorted { $0.key < $1.key }.map { Double(hits[$0.key, default: 0]) / Double($0.value) }
        return recalls.reduce(0, +) / Double(recalls.count)
    }

    /// Mean negative log-likelihood; probabilities are clipped to [ε, 1 − ε] with ε the Double epsilon,
    /// so a confident wrong answer costs about 36 rather than infinity.
    public static func logLoss(_ yTrue: [Int], probabilities p: [Double], classes k: Int) -> Double {
        check(yTrue.count * k, p.count)
        guard !yTrue.isEmpty else { return .nan }
        let eps = Double.ulpOfOne
        var total = 0.0
        for (r, t) in yTrue.enumerated() {
            precondition(t >= 0 && t < k, "logLoss: class \(t) outside 0..<\(k)")
            total -= Foundation.log(min(max(p[r * k + t], eps), 1 - eps))
        }
        return total / Double(yTrue.count)
    }

    /// Binary ROC AUC: the probability that a random positive scores above a random negative (ties count
    /// one half), computed from average ranks (Mann–Whitney U) in O(n log n).
    public static func rocAUC(_ yTrue: [Int], scores: [Double]) throws -> Double {
        check(yTrue.count, scores.count)
        let positives = yTrue.filter { $0 == 1 }.count
        let negatives = yTrue.count - positives
        guard positives > 0, negatives > 0 else {
            throw DataError.metricUndefined("ROC AUC needs both classes among the true labels, but these rows hold only class \(yTrue.first ?? 0); use more rows or stratified folds")
        }
        // Mann–Whitney U from the positives' rank sum, ties sharing their average rank. Sorting (score,
        // label) pairs in place is several times faster than an index sort (ensemble selection calls
        // this thousands of times per run).
        var pairs = zip(scores, yTrue).map { (score: $0, positive: $1 == 1) }
        pairs.sort { $0.score < $1.score }
        var rankSum = 0.0
        var i = 0
        while i < pairs.count {
            var j = i, inGroup = 0
            while j < pairs.count && pairs[j].score == pairs[i].score {
                if pairs[j].positive { inGroup += 1 }
                j += 1
            }
            rankSum += Double(inGroup) * (Double(i + j - 1) / 2 + 1)
            i = j
        }
        let u = rankSum - Double(positives) * Double(positives + 1) / 2
        return u / (Double(positives) * Double(negatives))
    }

    /// Macro-averaged one-vs-rest ROC AUC over `k` classes; every class must occur in `yTrue`.
    public static func rocAUCOneVsRest(_ yTrue: [Int], probabilities p: [Double], classes k: Int) throws -> Double {
        check(yTrue.count * k, p.count)
        var total = 0.0
        for c in 0..<k {
            let binary = yTrue.map { $0 == c ? 1 : 0 }
            guard binary.contains(1) else {
                throw DataError.metricUndefined("one-vs-rest ROC AUC needs every class among the true labels, but class \(c) is absent; use more rows or stratified folds")
            }
            total += try rocAUC(binary, scores: (0..<yTrue.count).map { p[$0 * k + c] })
        }
        return total / Double(k)
    }

    /// F1 of the class `positive` (0 when it is never predicted and never true).
    public static func f1(_ yTrue: [Int], _ yPred: [Int], positive: Int = 1) -> Double {
        check(yTrue.count, yPred.count)
        var tp = 0, fp = 0, fn = 0
        for (t, p) in zip(yTrue, yPred) {
            if p == positive && t == positive { tp += 1 } else if p == positive { fp += 1 } else if t == positive { fn += 1 }
        }
        let denominator = 2 * tp + fp + fn
        return denominator == 0 ? 0 : Double(2 * tp) / Double(denominator)
    }

    /// Unweighted mean F1 over the classes that occur in `yTrue` or `yPred`.
    public static func f1Macro(_ yTrue: [Int], _ yPred: [Int]) -> Double {
        let labels = Set(yTrue).union(yPred).sorted()
        guard !labels.isEmpty else { return .nan }
        return labels.map { f1(yTrue, yPred, positive: $0) }.reduce(0, +) / Double(labels.count)
    }

    /// Coefficient of determination; with a constant `yTrue`, 1 for a perfect fit and 0 otherwise.
    public static func r2(_ yTrue: [Double], _ yPred: [Double]) -> Double {
        check(yTrue.count, yPred.count)
        guard !yTrue.isEmpty else { return .nan }
        let mean = yTrue.reduce(0, +) / Double(yTrue.count)
        var ssRes = 0.0, ssTot = 0.0
        for (t, p) in zip(yTrue, yPred) {
            ssRes += (t - p) * (t - p)
            ssTot += (t - mean) * (t - mean)
        }
        if ssTot == 0 { return ssRes == 0 ? 1 : 0 }
        return 1 - ssRes / ssTot
    }

    public static func rmse(_ yTrue: [Double], _ yPred: [Double]) -> Double {
        check(yTrue.count, yPred.count)
        guard !yTrue.isEmpty else { return .nan }
        return (zip(yTrue, yPred).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(yTrue.count)).squareRoot()
    }

    public static func mae(_ yTrue: [Double], _ yPred: [Double]) -> Double {
        check(yTrue.count, yPred.count)
        guard !yTrue.isEmpty else { return .nan }
        return zip(yTrue, yPred).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(yTrue.count)
    }

    private static func check(_ a: Int, _ b: Int) {
        precondition(a == b, "metric inputs differ in length (\(a) and \(b))")
    }
}
