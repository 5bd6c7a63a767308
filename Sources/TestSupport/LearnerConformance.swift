import Foundation
import Learners
import MLData

/// Checks every learner must pass (scikit-learn's estimator checks, in spirit); each returns the
/// problems it found, empty when conformant.
public enum LearnerConformance {
    /// All checks of `learner` on `data` (with a held-out quarter as validation rows). `slow` is a
    /// configuration of the same family that takes several seconds on `data`, for the deadline check.
    /// With `fixedLayout` (a network over a signal or image of fixed shape) the extra constant feature is
    /// not trained on, only refused at prediction.
    public static func check<L: Learner>(_ learner: L, slow: L, on data: LabeledData, fixedLayout: Bool = false) throws -> [String] {
        var problems: [String] = []
        let n = data.rows
        let validRows = Array(stride(from: 0, to: n, by: 4))
        let trainRows = (0..<n).filter { $0 % 4 != 0 }
        let train = data.selecting(rows: trainRows), valid = data.selecting(rows: validRows)
        let name = "\(L.family) on \(data.task)"

        // Round trip through a saved bundle, with validation rows and reports.
        let reports = Reports()
        let context = FitContext(seed: 3, threads: 2, report: { reports.add($0); return .proceed })
        let inputCopy = train
        let model = try learner.fit(train, validation: valid, context: context)
        if train != inputCopy { problems.append("\(name): fit changed its input") }
        let p = try model.predict(data.features)
        problems += checkPredictions(p, rows: n, task: data.task, label: name)
        let dir = Fixtures.scratch.appendingPathComponent("mlforge-conformance-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try model.bundle().write(to: dir)
        let loaded = try LearnerFamily.model(from: ModelBundle.read(from: dir))
        if try loaded.predict(data.features) != p { problems.append("\(name): the loaded model predicts differently") }
        if loaded.featureCount != model.featureCount || loaded.task != model.task { problems.append("\(name): the loaded model lost its shape") }
        // A family that says it exports has a portable form, and saving and loading keeps it.
        if L.capabilities.exports {
            if model.portable == nil { problems.append("\(name): says it exports but its model has no portable form") }
            // Compared as text: categorical splits hold NaN thresholds, which == never matches.
            if String(describing: loaded.portable) != String(describing: model.portable) {
                problems.append("\(name): the loaded model's portable form differs")
            }
        }
        if reports.all.isEmpty { problems.append("\(name): no progress was reported although validation rows were given") }
        if reports.all.contains(where: { !$0.score.isFinite }) { problems.append("\(name): a reported score is not finite") }

        // Determinism under a seed.
        let again = try learner.fit(train, validation: valid, context: FitContext(seed: 3, threads: 2))
        if try again.predict(data.features) != p { problems.append("\(name): two fits with the same seed differ") }

        // Predicting rows one by one equals predicting them together.
        let single = try model.predict(data.features.selecting(rows: [n - 1]))
        if !close(single, p.selecting(rows: [n - 1])) { problems.append("\(name): a single row predicts differently from a batch") }

        // Stopping when told to: the reporter answers .stop at the first report.
        let stopped = Reports()
        _ = try slow.fit(train, validation: valid, context: FitContext(seed: 3, threads: 2, report: { stopped.add($0); return .stop }))
        if stopped.all.count > 1 { problems.append("\(name): kept training after being told to stop (\(stopped.all.count) reports)") }

        // The deadline, for a learner that says it stops at one: a slow configuration given 0.3 s must
        // return within a fraction of a second after it, with a usable model.
        if L.capabilities.stopsAtDeadline {
            let start = ContinuousClock.now
            let quick = try slow.fit(train, validation: valid, context: FitContext(seed: 3, deadline: start + .milliseconds(300), threads: 2))
            let took = ContinuousClock.now - start
            if took > .milliseconds(1100) { problems.append("\(name): a 0.3 s deadline was overrun: the fit took \(took)") }
            problems += checkPredictions(try quick.predict(valid.features), rows: valid.rows, task: data.task, label: "\(name) (deadline)")
        }
        // A learner that reports progress step by step may be pruned; one that is not prunable reports at most once.
        if !L.capabilities.prunable && stopped.all.count > 1 {
            problems.append("\(name): says it is not prunable but reported \(stopped.all.count) times")
        }

        // A constant feature, and (classification) a validation fold with a single class.
        var constant = train
        var constantValid = valid
        if !fixedLayout {
            constant.features = appendingConstant(train.features)
            constantValid.features = appendingConstant(valid.features)
        }
        var oneClass = constantValid
        if data.task.isClassification, let first = valid.labels.first {
            oneClass = constantValid.selecting(rows: valid.labels.indices.filter { valid.labels[$0] == first })
        }
        let m2 = try learner.fit(constant, validation: oneClass, context: FitContext(seed: 1, threads: 2, report: { _ in .proceed }))
        problems += checkPredictions(try m2.predict(constantValid.features), rows: valid.rows, task: data.task, label: "\(name) (constant feature, one-class validation)")

        // Wrong feature count is an error, not a crash.
        if (try? model.predict(appendingConstant(valid.features))) != nil { problems.append("\(name): accepted rows with the wrong number of features") }
        return problems
    }

    /// Equal up to float rounding (a network's products may round differently for other batch sizes).
    static func close(_ a: Predictions, _ b: Predictions) -> Bool {
        switch (a, b) {
        case (.values(let x), .values(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) }
        case (.probabilities(let x, let k), .probabilities(let y, let l)):
            return k == l && x.count == y.count && zip(x, y).allSatisfy { abs($0 - $1) <= 1e-5 }
        default:
            return false
        }
    }

    static func appendingConstant(_ x: FeatureMatrix) -> FeatureMatrix {
        var values: [Double] = []
        values.reserveCapacity(x.rows * (x.columns + 1))
        for r in 0..<x.rows {
            values += x.values[(r * x.columns)..<((r + 1) * x.columns)]
            values.append(1)
        }
        var m = FeatureMatrix(rows: x.rows, columns: x.columns + 1, values: values, names: x.names + ["constant"])
        m.categoricalGroups = x.categoricalGroups
        return m
    }

    /// Shape, finiteness, probabilities in [0, 1] summing to 1.
    public static func checkPredictions(_ p: Predictions, rows: Int, task: PredictionTask, label: String) -> [String] {
        var problems: [String] = []
        if p.rows != rows { problems.append("\(label): \(p.rows) predictions for \(rows) rows") }
        switch (p, task) {
        case (.values(let v), .regression):
            if v.contains(where: { !$0.isFinite }) { problems.append("\(label): a prediction is not finite") }
        case (.probabilities(let q, let k), _) where task.isClassification:
            if k != task.classCount { problems.append("\(label): \(k) probability columns for \(task.classCount) classes") }
            if q.contains(where: { !($0 >= 0 && $0 <= 1) }) { problems.append("\(label): a probability is outside [0, 1]") }
            for r in 0..<(q.count / max(1, k)) {
                let s = q[(r * k)..<(r * k + k)].reduce(0, +)
                if abs(s - 1) > 1e-9 { problems.append("\(label): row \(r)'s probabilities sum to \(s)"); break }
            }
        default:
            problems.append("\(label): predictions of the wrong kind for \(task)")
        }
        return problems
    }
}

/// Collects progress reports from a fit (which may report from any thread).
final class Reports: Sendable {
    private let items = LockedBox<[FitProgress]>([])
    func add(_ p: FitProgress) { items.withLock { $0.append(p) } }
    var all: [FitProgress] { items.current }
}
