import AutoML
import Foundation
import Learners
import MLData
import Support

/// `mlforge explain`: global permutation importances on a labelled file (with intervals over repeats),
/// and for some of its rows the ensemble's Shapley values (sampled, with their error) and every tree
/// member's exact TreeSHAP attributions (XGBoost's own `pred_contribs`).
public struct Explainer: Sendable {
    /// Rows explained one by one (the file's first rows).
    public var rows = 5
    /// Permutation samples per explained row, and background rows they are drawn from.
    public var samples = 200
    public var backgroundRows = 100
    /// Permutation-importance repeats, over at most `importanceRows` rows.
    public var repeats = 5
    public var importanceRows = 2000
    public var seed: UInt64 = 0

    public init() {}

    public func explain(_ model: AutoMLModel, data frame: DataFrame, file: String) throws -> Explanation {
        guard frame.rowCount > 0 else { throw AutoMLError.invalidInput("\(file) has no rows to explain") }
        let columns = model.usedColumns
        var out = Explanation(file: file, samples: samples)
        // Global: permutation importance, when the file holds the target.
        if frame[model.targetName] != nil,
           let (sample, target) = EvidenceBuilder.labelledSample(model, frame: frame, rows: importanceRows, seed: seed) {
            out.importance = try PermutationImportance.measure(sample, target: target, columns: columns, metric: model.metric, repeats: repeats,
                                                               seed: seed &+ 1, source: file, minimumRepeats: repeats, predict: model.predict)
        } else {
            out.notes.append("no importances: \(file) has no '\(model.targetName)' values to score against")
        }
        // Per row: the ensemble's Shapley values against background rows drawn from the same file.
        let explained = Array(0..<min(rows, frame.rowCount))
        var rng = SeededGenerator(seed: seed &+ 2)
        var background = Array(0..<frame.rowCount)
        background.seededShuffle(using: &rng)
        background = Array(background.prefix(backgroundRows))
        out.backgroundRows = background.count
        out.rows = try SamplingShapley.estimate(frame, rows: explained, columns: columns, background: background, samples: samples,
                                                seed: seed &+ 3, classes: model.classes, target: model.targetName, predict: model.predict)
        // The tree members, exactly.
        let rowsFrame = frame.selecting(rows: explained)
        for member in try model.memberContributions(rowsFrame) {
            let c = member.contributions
            for (i, row) in explained.enumerated() {
                // One output (binary, regression), or the class the row's Shapley values explain.
                let output = c.outputs == 1 ? 0 : out.rows.first { $0.row == row }?.classIndex ?? 0
                let v = Array(c.of(row: i, output: output))
                let label = model.task.isClassification
                    ? (c.outputs == 1 ? "margin (log-odds) of \(model.classes.last ?? "")" : "margin of \(model.classes[output])")
                    : model.targetName
                out.trees.append(.init(row: row, trial: member.trial, family: member.family.rawValue, weight: member.weight, output: label,
                                       features: member.features, values: Array(v.dropLast()), bias: v.last ?? 0, margin: v.reduce(0, +)))
            }
        }
        if out.trees.isEmpty { out.notes.append("no exact attributions: the ensemble has no tree member") }
        return out
    }
}

/// What `Explainer` found.
public struct Explanation: Codable, Sendable {
    public struct TreeAttribution: Codable, Sendable {
        public var row: Int
        public var trial: Int
        public var family: String
        public var weight: Double
        /// What the values add up to with the bias: the member's margin for the row.
        public var output: String
        public var features: [String]
        public var values: [Double]
        public var bias: Double
        public var margin: Double
    }

    public var file: String
    public var importance: Importance?
    public var rows: [SamplingShapley.Row] = []
    public var samples: Int
    public var backgroundRows = 0
    public var trees: [TreeAttribution] = []
    public var notes: [String] = []

    init(file: String, samples: Int) {
        self.file = file
        self.samples = samples
    }

    /// The largest standard error of any Shapley estimate.
    public var largestStandardError: Double { rows.flatMap(\.columns).map(\.standardError).max() ?? 0 }

    func pad(_ name: String) -> String { name.count >= 24 ? name : name.padding(toLength: 24, withPad: " ", startingAt: 0) }

    /// The explanation as text for a terminal.
    public var text: String {
        var s = ""
        if let imp = importance {
            s += "Permutation importance on \(imp.rows) rows of \(file), \(imp.repeats) repeats (drop of \(imp.metric) from \(String(format: "%.4f", imp.baseline)); ± 2 standard errors):\n"
            for c in imp.columns { s += "  " + pad(c.column) + String(format: " %9.4f  [%.4f, %.4f]\n", c.mean, c.low, c.high) }
        }
        for n in notes { s += n + "\n" }
        s += String(format: "\nShapley values of the ensemble (%d permutation samples a row against %d background rows; largest standard error %.4f):\n",
                    samples, backgroundRows, largestStandardError)
        for r in rows {
            s += String(format: "row %d: %@ = %.4f = baseline %.4f + the columns below\n", r.row, r.output, r.value, r.baseline)
            for c in r.columns.prefix(10) { s += "  " + pad(c.column) + String(format: " %+9.4f ± %.4f\n", c.shapley, c.standardError) }
            if r.columns.count > 10 { s += "  … \(r.columns.count - 10) more columns\n" }
            for t in trees where t.row == r.row {
                s += String(format: "  TreeSHAP of member %@ (trial %d, weight %.2f), %@ = %.4f = bias %.4f +", t.family, t.trial, t.weight, t.output, t.margin, t.bias)
                let top = zip(t.features, t.values).sorted { abs($0.1) > abs($1.1) }.prefix(5)
                s += top.map { String(format: " %@ %+.4f", $0.0, $0.1) }.joined(separator: ",") + (t.features.count > 5 ? ", …" : "") + "\n"
            }
        }
        return s
    }
}
