import AutoML
import Learners
import MLData
import Support

extension OutcomeFigures {
    /// The figures of `predictions` against `target`; with `groups` (a label per row), per group too.
    /// `decisions` is the class decided per row when it is not the more probable one (a model fitted with
    /// `--fairness`, `AutoMLModel.decisions`): accuracy, confusion and the groups' rates follow it.
    public static func measure(_ predictions: Predictions, _ target: TargetValues, policy: CardPolicy = .standard,
                               groups: (column: String, labels: [String])? = nil, decisions: [Int]? = nil) -> OutcomeFigures {
        let rows = usableRows(predictions, target)
        let p = predictions.selecting(rows: rows), t = target.selecting(rows: rows)
        let decided = decisions.map { d in rows.map { d[$0] } }
        var out = OutcomeFigures(rows: rows.count, metrics: metrics(p, t))
        if let decided, case .classes(let y, _) = t, !y.isEmpty {
            out.metrics["accuracy"] = Double(zip(decided, y).filter { $0 == $1 }.count) / Double(y.count)
        }
        switch (p, t) {
        case (.probabilities(let q, let k), .classes(let y, _)):
            let predicted = decided ?? p.classes ?? []
            var confusion = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
            for (a, b) in zip(y, predicted) { confusion[a][b] += 1 }
            out.confusion = confusion
            // Binary: the positive class's probability; multiclass: the top class's, right or wrong.
            let pairs: [(Double, Double)] = k == 2
                ? y.indices.map { (q[$0 * 2 + 1], y[$0] == 1 ? 1 : 0) }
                : y.indices.map { (q[$0 * k + predicted[$0]], y[$0] == predicted[$0] ? 1 : 0) }
            out.calibration = calibration(pairs, bins: policy.calibrationBins)
        case (.values(let v), .values(let y)):
            var rng = SeededGenerator(seed: 17)
            var order = Array(y.indices)
            order.seededShuffle(using: &rng)
            out.scatter = order.prefix(policy.scatterPoints).sorted().map { [y[$0], v[$0]] }
            out.residualBins = histogram(zip(y, v).map { $0 - $1 }, bins: 20)
        default: break
        }
        if let groups {
            let labels = rows.map { groups.labels[$0] }
            out.groups = groupFigures(p, t, column: groups.column, labels: labels, decided: decided)
        }
        return out
    }

    /// Rows with a known target.
    static func usableRows(_ p: Predictions, _ t: TargetValues) -> [Int] {
        switch t {
        case .classes(let y, _): return y.indices.filter { y[$0] >= 0 }
        case .values(let y): return y.indices.filter { y[$0].isFinite }
        }
    }

    /// The metrics `mlforge evaluate` prints, losses positive.
    static func metrics(_ p: Predictions, _ t: TargetValues) -> [String: Double] {
        guard t.count > 0 else { return [:] }
        var out: [String: Double] = [:]
        if case .classes(let y, _) = t {
            out["accuracy"] = ValidationMetric.accuracy.score(p, t)
            out["log_loss"] = -ValidationMetric.logLoss.score(p, t)
            if Set(y).count > 1 { out["roc_auc"] = ValidationMetric.rocAUC.score(p, t) }
        } else {
            out["r2"] = ValidationMetric.r2.score(p, t)
            out["rmse"] = -ValidationMetric.rmse.score(p, t)
            out["mae"] = -ValidationMetric.mae.score(p, t)
        }
        return out.filter { $0.value.isFinite }
    }

    /// Equal-width bins of the predicted probability, empty bins left out.
    package static func calibration(_ pairs: [(predicted: Double, observed: Double)], bins: Int) -> [CalibrationBin] {
        var sums = [(Double, Double, Int)](repeating: (0, 0, 0), count: bins)
        for (p, o) in pairs {
            let b = min(bins - 1, max(0, Int(p * Double(bins))))
            sums[b].0 += p; sums[b].1 += o; sums[b].2 += 1
        }
        return sums.filter { $0.2 > 0 }.map { CalibrationBin(meanPredicted: $0.0 / Double($0.2), observed: $0.1 / Double($0.2), count: $0.2) }
    }

    package static func histogram(_ values: [Double], bins: Int) -> [HistogramBin] {
        let finite = values.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max() else { return [] }
        let width = hi > lo ? (hi - lo) / Double(bins) : 1
        var counts = [Int](repeating: 0, count: bins)
        for v in finite { counts[min(bins - 1, Int((v - lo) / width))] += 1 }
        return counts.indices.map { HistogramBin(low: lo + Double($0) * width, high: lo + Double($0 + 1) * width, count: counts[$0]) }
    }

    /// Per-group metrics; for a binary task also fairlearn's selection rate, true- and false-positive
    /// rates (the predicted label is the more probable class) and the two differences.
    static func groupFigures(_ p: Predictions, _ t: TargetValues, column: String, labels: [String], decided: [Int]? = nil) -> GroupFigures {
        let byGroup = Dictionary(grouping: labels.indices, by: { labels[$0] })
        let predicted = decided ?? p.classes
        // A binary task's rates and differences, as a fit with --fairness measures them (AutoML's GroupRates).
        var rates: GroupRates?
        if case .classes(let y, let k) = t, k == 2, let predicted {
            rates = GroupRates(decided: predicted.map { $0 == 1 }, truth: y.map { $0 == 1 }, groups: labels)
        }
        let byName = Dictionary((rates?.groups ?? []).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var groups: [GroupFigures.Group] = []
        for name in byGroup.keys.sorted() {
            let rows = byGroup[name]!
            var m = metrics(p.selecting(rows: rows), t.selecting(rows: rows))
            if let predicted, case .classes(let y, _) = t {
                m["accuracy"] = Double(rows.filter { predicted[$0] == y[$0] }.count) / Double(rows.count)
            }
            if let g = byName[name] {
                m["selection_rate"] = g.selectionRate
                m["tpr"] = g.truePositiveRate
                m["fpr"] = g.falsePositiveRate
            }
            groups.append(.init(group: name, count: rows.count, metrics: m))
        }
        return GroupFigures(column: column, groups: groups, demographicParityDifference: rates?.demographicParityDifference,
                            equalizedOddsDifference: rates?.equalizedOddsDifference)
    }
}
