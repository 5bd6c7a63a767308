import AutoML
import Foundation
import Learners
import MLData
import Support

/// Measures a fitted model's `CardEvidence` within a deadline: the data profile and the validation
/// figures (cheap) always; permutation importances and dependence curves on a seeded sample of the
/// training rows sized to the time left, or left out with the reason.
public struct EvidenceBuilder: Sendable {
    public var policy: CardPolicy
    /// A column whose groups the figures compare (`--sensitive`).
    public var sensitive: String?

    public init(policy: CardPolicy = .standard, sensitive: String? = nil) {
        self.policy = policy
        self.sensitive = sensitive
    }

    public func build(_ model: AutoMLModel, record: FitRecord, deadline: ContinuousClock.Instant) throws -> CardEvidence {
        let started = ContinuousClock.now
        let frame = record.training
        if let sensitive, frame[sensitive] == nil {
            throw AutoMLError.invalidInput("the sensitive column '\(sensitive)' is not in the training data; its columns are: \(DataError.list(frame.columnNames))")
        }
        var evidence = CardEvidence(created: ISO8601DateFormatter().string(from: Date()),
                                    dataFile: URL(fileURLWithPath: record.dataPath).lastPathComponent,
                                    training: DataProfiler(policy: policy).profile(frame, target: model.targetName, seed: model.seed))
        switch Self.labelled(model, frame)?.target {
        case .classes(let labels, let k)?:
            var counts = [Int](repeating: 0, count: k)
            for l in labels where l >= 0 { counts[l] += 1 }
            evidence.training.classCounts = counts
        case .values(let v)?:
            evidence.training.targetBins = OutcomeFigures.histogram(v, bins: 20)
        case nil:
            break
        }
        evidence.plan = record.plan
        evidence.skipped = record.skipped
        evidence.phases = record.phases
        evidence.fitSeconds = record.elapsedSeconds
        evidence.sensitive = sensitive
        if let v = model.validation {
            evidence.validationScheme = v.scheme
            let groups = sensitive.flatMap { name in frame[name].map { c in (name, GroupThresholds.labels(c, rows: v.rows)) } }
            let decisions = model.fairness == nil && model.decidingThreshold == nil ? nil
                : try model.decisions(v.predictions, frame: frame.selecting(rows: v.rows))
            evidence.validation = OutcomeFigures.measure(v.predictions, v.target, policy: policy, groups: groups, decisions: decisions)
        } else {
            evidence.omitted.append("validation figures: the model carries no validation predictions")
        }
        let (importance, dependence, omitted) = try explain(model, frame: frame, source: "a sample of the training rows",
                                                            deadline: deadline)
        evidence.importance = importance
        evidence.dependence = dependence
        evidence.omitted += omitted
        evidence.cardSeconds = (ContinuousClock.now - started).inSeconds
        return evidence
    }

    /// Importances and dependence curves on a seeded sample of `frame`'s labelled rows, sized so that
    /// they end by `deadline`; what did not fit is named in the third value.
    public func explain(_ model: AutoMLModel, frame: DataFrame, source: String, deadline: ContinuousClock.Instant)
        throws -> (Importance?, [DependenceCurve], [String]) {
        guard let (sample, target) = Self.labelledSample(model, frame: frame, rows: policy.sampleRows, seed: model.seed) else {
            return (nil, [], ["importances: no row has a target the model knows"])
        }
        let columns = model.usedColumns
        var omitted: [String] = []
        let left = (deadline - .now).inSeconds
        let budget = left * policy.importanceShare
        // Two timed predictions (the sample, and a quarter of it) give a call's fixed cost and its cost
        // per row, which say how many rows `minimumRepeats` rounds can afford.
        func timed(_ frame: DataFrame) throws -> Double {
            let t0 = ContinuousClock.now
            _ = try model.predict(frame)
            return (ContinuousClock.now - t0).inSeconds
        }
        let full = try timed(sample)
        let quarterRows = max(1, sample.rowCount / 4)
        let quarter = sample.rowCount >= 8 ? try timed(sample.selecting(rows: Array(0..<quarterRows))) : full
        let perRow = max(0, (full - quarter) / Double(max(1, sample.rowCount - quarterRows)))
        let fixed = max(0, quarter - perRow * Double(quarterRows))
        let calls = Double(1 + columns.count * policy.minimumRepeats)
        let affordable = perRow > 0 ? (budget / (calls * policy.costSafety) - fixed) / perRow : Double(sample.rowCount)
        let rows = min(sample.rowCount, Int(max(0, affordable)))
        guard rows >= min(policy.minimumRows, sample.rowCount), rows > 0 else {
            omitted.append(String(format: "importances and dependence curves: %.2f s were left of the budget, and %d rounds over %d columns need about %.2f s on %d rows; give more --time, or run `mlforge card MODEL --test TEST.csv`",
                                  max(0, left), policy.minimumRepeats, columns.count,
                                  calls * policy.costSafety * (fixed + perRow * Double(min(policy.minimumRows, sample.rowCount))), min(policy.minimumRows, sample.rowCount)))
            return (nil, [], omitted)
        }
        let x = rows < sample.rowCount ? sample.selecting(rows: Array(0..<rows)) : sample
        let y = rows < sample.rowCount ? target.selecting(rows: Array(0..<rows)) : target
        let importance = try PermutationImportance.measure(
            x, target: y, columns: columns, metric: model.metric, repeats: policy.repeats, seed: model.seed &+ 1, source: source,
            minimumRepeats: policy.minimumRepeats, deadline: .now + .milliseconds(Int(budget * 1000)), predict: model.predict)
        if importance.repeats < policy.repeats {
            omitted.append("importances: \(importance.repeats) of \(policy.repeats) repeats fitted the time left")
        }
        // Dependence curves for the most important columns, while the time lasts.
        var curves: [DependenceCurve] = []
        let dx = x.rowCount > policy.dependenceRows ? x.selecting(rows: Array(0..<policy.dependenceRows)) : x
        let outputs = model.task.isClassification ? (model.classes.count == 2 ? ["p(\(model.classes[1]))"] : model.classes) : [model.targetName]
        let top = importance.columns.filter { $0.mean > 0 }.prefix(policy.dependenceColumns)
        let perPoint = fixed + perRow * Double(dx.rowCount)
        for c in top {
            let need = perPoint * Double(policy.gridPoints)
            guard ContinuousClock.now + .milliseconds(Int(need * 1000)) <= deadline else {
                omitted.append("dependence curves: \(curves.count) of \(top.count) fitted the time left")
                break
            }
            if let curve = try PartialDependence.curve(dx, column: c.column, points: policy.gridPoints, outputs: outputs, predict: model.predict) {
                curves.append(curve)
            }
        }
        return (importance, curves, omitted)
    }

    /// `frame`'s targets as the model reads them (class indices in its order, or values) for every row,
    /// and the rows whose target it knows; nil without a target column.
    static func labelled(_ model: AutoMLModel, _ frame: DataFrame) -> (rows: [Int], target: TargetValues)? {
        guard let column = frame[model.targetName] else { return nil }
        if model.task.isClassification {
            let labels = LabelEncoder(classes: model.classes).encode(column).labels
            return (labels.indices.filter { labels[$0] >= 0 }, .classes(labels, classCount: model.classes.count))
        }
        let v = column.numericView().values
        return (v.indices.filter { v[$0].isFinite }, .values(v))
    }

    /// A seeded sample of at most `rows` rows of `frame` whose target the model knows, with those
    /// targets; nil when there is none.
    static func labelledSample(_ model: AutoMLModel, frame: DataFrame, rows: Int, seed: UInt64) -> (DataFrame, TargetValues)? {
        guard let (labelledRows, target) = labelled(model, frame), !labelledRows.isEmpty else { return nil }
        var keep = labelledRows
        if keep.count > rows {
            var rng = SeededGenerator(seed: seed &+ 0xCA4D)
            keep.seededShuffle(using: &rng)
            keep = Array(keep.prefix(rows)).sorted()
        }
        return (frame.selecting(rows: keep), target.selecting(rows: keep))
    }
}
