import Foundation
import MLData

/// What XGBoost needs to know about a task: objective, labels, base score, and how raw output becomes
/// `Predictions`.
struct XGBoostTask {
    let task: PredictionTask

    var objective: String {
        switch task {
        case .regression: return "reg:squarederror"
        case .binary: return "binary:logistic"
        case .multiclass: return "multi:softprob"
        }
    }

    /// Objective, class count and base score (the mean target for regression, the positive rate for
    /// binary; XGBoost 1.7 would otherwise start every model from 0.5).
    func parameters(for data: LabeledData) -> [(String, String)] {
        var p = [("objective", objective)]
        switch task {
        case .regression:
            let v = data.values
            p.append(("base_score", "\(v.reduce(0, +) / Double(max(1, v.count)))"))
        case .binary:
            let q = data.classProbabilities
            let rate = stride(from: 1, to: q.count, by: 2).reduce(0) { $0 + q[$1] } / Double(max(1, data.rows))
            p.append(("base_score", "\(min(max(rate, 1e-6), 1 - 1e-6))"))
        case .multiclass(let k):
            p.append(("num_class", "\(k)"))
        }
        return p
    }

    /// XGBoost's `monotone_constraints` for `features` features ("(0,1,-1)"), or none.
    static func monotoneParameter(_ monotone: [Int: Int], features: Int) -> [(String, String)] {
        guard !monotone.isEmpty else { return [] }
        return [("monotone_constraints", "(" + (0..<features).map { "\(monotone[$0] ?? 0)" }.joined(separator: ",") + ")")]
    }

    /// XGBoost's outputs per row: one per class for multiclass, else one.
    var outputsPerRow: Int {
        if case .multiclass(let k) = task { return k }
        return 1
    }

    func labels(_ data: LabeledData) -> [Float] {
        task == .regression ? data.values.map { Float($0) } : data.labels.map { Float($0) }
    }

    /// A class probability below this is left out of a multiclass row's copies (`matrix`): it would
    /// weigh a copy of the row by almost nothing.
    static let smallestSoftWeight = 1e-3

    /// The DMatrix XGBoost learns `data` from (kept in `cache` under `role`). With soft targets: for
    /// binary the label is the probability of class 1 (the logistic loss is the cross-entropy for any
    /// label in [0, 1]); for multiclass, whose objective takes whole labels only, each row comes once per
    /// class with that class's probability as its weight — the weighted sum of the copies' losses is the
    /// row's cross-entropy against its probabilities (copies below `smallestSoftWeight` left out).
    func matrix(_ data: LabeledData, threads: Int, role: String, in cache: FitCache?) throws -> DMatrix {
        guard let soft = data.softTargets else {
            return try DMatrix.cached(data.features, labels: labels(data), threads: threads, role: role, in: cache)
        }
        let k = max(2, task.classCount)
        if task == .binary {
            let p = (0..<data.rows).map { Float(soft[2 * $0 + 1]) }
            return try DMatrix.cached(data.features, labels: p, threads: threads, role: role, in: cache)
        }
        var rows: [Int] = [], labels: [Float] = [], weights: [Float] = []
        for r in 0..<data.rows {
            for c in 0..<k where soft[r * k + c] >= Self.smallestSoftWeight {
                rows.append(r)
                labels.append(Float(c))
                weights.append(Float(soft[r * k + c]))
            }
        }
        return try DMatrix.cached(data.features.selecting(rows: rows), labels: labels, weights: weights, threads: threads, role: role, in: cache)
    }

    /// XGBoost's metric name for a validation metric and how to turn its value into our score
    /// (higher is better), given the validation targets.
    func evalMetric(_ metric: ValidationMetric, validation: TargetValues) -> (name: String, score: (Double) -> Double) {
        switch (task, metric.effective(for: validation)) {
        case (.regression, .rmse): return ("rmse", { -$0 })
        case (.regression, .mae): return ("mae", { -$0 })
        case (.regression, _):
            // R² = 1 − MSE / variance of the validation targets.
            guard case .values(let y) = validation else { return ("rmse", { -$0 }) }
            let mean = y.reduce(0, +) / Double(max(1, y.count))
            let variance = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, y.count))
            return ("rmse", { variance > 0 ? 1 - $0 * $0 / variance : -$0 })
        case (.binary, .rocAUC): return ("auc", { $0 })
        case (.binary, .accuracy): return ("error", { 1 - $0 })
        case (.binary, _): return ("logloss", { -$0 })
        case (.multiclass, .accuracy): return ("merror", { 1 - $0 })
        case (.multiclass, _): return ("mlogloss", { -$0 })
        }
    }

    /// `Predictions` from XGBoost's output (probabilities of class 1 for binary, n×k for multiclass).
    func predictions(_ raw: [Float], rows: Int) -> Predictions {
        switch task {
        case .regression: return .values(raw.map { Double($0) })
        case .binary:
            var p = [Double](repeating: 0, count: 2 * rows)
            for r in 0..<rows {
                let q = Double(raw[r])
                p[2 * r] = 1 - q
                p[2 * r + 1] = q
            }
            return .probabilities(p, classes: 2)
        case .multiclass(let k):
            var p = raw.map { Double($0) }
            for r in 0..<rows {  // renormalise in Double (Float softmax sums may differ from 1 by 1e-7)
                let s = p[(r * k)..<(r * k + k)].reduce(0, +)
                if s > 0 { for c in 0..<k { p[r * k + c] /= s } }
            }
            return .probabilities(p, classes: k)
        }
    }

    /// `Predictions` from raw margins (one per row, or k per row for multiclass).
    func predictions(margins m: [Double], rows: Int) -> Predictions {
        Predictions.fromScores(m, rows: rows, task: task)
    }
}


extension Booster {
    /// The TreeSHAP contributions of the XGBoost model `json` on `x`, as `Contributions` (outputs: 1, or
    /// one per class). The bias is set so that each row's values add up to `margins` (the model's own
    /// margins, from `TreeEnsemble`): an XGBoost older than the one that wrote the JSON may read its base
    /// score differently (XGBoost 3 writes "[6E-1]"), which shifts only the bias.
    static func contributions(json: [UInt8], _ x: FeatureMatrix, margins: [Float], threads: Int = 1) throws -> Contributions {
        let booster = try Booster(json: json, threads: threads)
        let (values, shape) = try booster.contributions(try DMatrix(x, threads: threads))
        // strict_shape: [rows, groups, features + 1] (a forest of several parallel trees is one group).
        guard shape.count == 3, shape[0] == x.rows, shape[2] == x.columns + 1 else {
            throw LearnerError.library("XGBoost's contributions have the shape \(shape), not rows × groups × (features + 1)")
        }
        var out = Contributions(rows: x.rows, outputs: shape[1], features: x.columns, values: values.map(Double.init))
        guard margins.count == x.rows * shape[1] else { return out }
        let width = x.columns + 1
        for i in 0..<margins.count {
            let start = i * width
            let sum = out.values[start..<(start + width)].reduce(0, +)
            out.values[start + width - 1] += Double(margins[i]) - sum
        }
        return out
    }
}
