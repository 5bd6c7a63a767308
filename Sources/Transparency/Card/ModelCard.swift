import AutoML
import Foundation
import Learners
import MLData

/// A model card (Mitchell et al., 2019) for a fitted model: its intended use and the user's notes, the
/// data, task, metric and validation, the leaderboard and ensemble, the search over time, importances,
/// dependence curves, calibration or residuals, the confusion matrix, group figures, the user's
/// constraints, what makes it reproducible, and its known limits — drawn from the model, the evidence the
/// fit measured, and a test file's figures when given.
public struct ModelCard: Sendable {
    public var model: AutoMLModel
    public var evidence: CardEvidence?
    public var test: TestEvidence?
    /// The user's notes (Markdown, shown as written).
    public var notes: String?

    public init(model: AutoMLModel, evidence: CardEvidence?, test: TestEvidence? = nil, notes: String? = nil) {
        self.model = model
        self.evidence = evidence
        self.test = test
        self.notes = notes
    }

    /// `card.html` and `card.md`, drawn from one document (made once: it reads the build's facts).
    public var renderings: [String: Data] {
        let doc = document
        return [Self.htmlFile: Data(HTMLRenderer.render(doc).utf8), Self.markdownFile: Data(MarkdownRenderer.render(doc).utf8)]
    }

    /// The card's files in a model folder.
    public static let htmlFile = "card.html", markdownFile = "card.md", evidenceFile = "card/evidence.json", notesFile = "card/notes.md"

    public var document: CardDocument {
        let task = model.task.isClassification ? (model.classes.count == 2 ? "binary classification" : "\(model.classes.count)-class classification") : "regression"
        var sections: [CardDocument.Section] = [summary(task), intendedUse(), data()]
        if let test, !test.drift.isEmpty || test.rowsOutsideRange > 0 || test.rowsWithUnseenLevels > 0 { sections.append(drift(test)) }
        sections += [validation(task), ensemble(), search(), importance(), dependence(), outcomes()]
        if let g = evidence?.validation?.groups ?? test?.outcome.groups { sections.append(groups(g)) }
        if let rule = model.fairness { sections.append(fairness(rule)) }
        if let t = model.decidingThreshold { sections.append(decisionThreshold(t)) }
        sections += [constraints(), reproducibility(), limits()]
        return CardDocument(title: "Model card: \(model.targetName)",
                            subtitle: "\(task) · metric \(model.metric.rawValue) · MLForge \(AutoMLModel.version)" + (evidence.map { " · " + $0.created } ?? ""),
                            sections: sections)
    }

    static func n(_ x: Double) -> String { SVGPlot.label(x) }
    static func pct(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }
    static func score(_ x: Double?) -> String { x.map { String(format: "%.4f", $0) } ?? "—" }

    func summary(_ task: String) -> CardDocument.Section {
        var facts: [(String, String)] = [("target", model.targetName), ("task", task)]
        if !model.classes.isEmpty { facts.append(("classes", model.classes.prefix(20).joined(separator: ", ") + (model.classes.count > 20 ? ", …" : ""))) }
        facts.append(("metric", model.metric.rawValue))
        if let s = model.leaderboard.ensembleScore {
            facts.append(("validation score of the ensemble", Self.score(Leaderboard.display(s, model.metric)) + (evidence?.validationScheme.map { " (\($0))" } ?? "")))
        }
        if let test, let v = test.outcome.metrics[model.metric.rawValue] {
            facts.append(("test score", Self.score(v) + " on \(test.outcome.rows) rows of \(test.file)"))
        }
        facts.append(("ensemble", model.members.map { "\($0.family.rawValue) \(String(format: "%.2f", $0.weight / max(1e-12, model.members.map(\.weight).reduce(0, +))))" }.joined(separator: ", ")))
        if let e = evidence { facts.append(("training data", "\(e.dataFile): \(e.training.rows) rows, \(model.schema.count) input columns")) }
        if let d = model.distillation {
            let agreement = d.agreement.map { model.task.isClassification ? "; gives the teacher's class on \(Self.pct($0)) of the validation rows" : "; R² \(Self.score($0)) against the teacher on the validation rows" } ?? ""
            facts.append(("distilled from", "the model in \(d.teacher) (\(d.teacherMembers.count) member\(d.teacherMembers.count == 1 ? "" : "s")), whose labels of the \(d.tableRows) training rows and \(d.syntheticRows) \(d.sampler.rawValue) rows it learned\(agreement)"))
        }
        if let st = model.selfTraining {
            let shown = { (x: Double?) in x.map { Self.score(Leaderboard.display($0, model.metric)) } ?? "—" }
            let rounds = st.rounds.enumerated().map { i, r in
                i == 0 ? "labelled rows only \(shown(r.score))" : "round \(i), \(r.pseudoLabelledRows) pseudo-labelled rows, \(shown(r.score))"
            }.joined(separator: "; ")
            let kept = st.keptPseudoLabelledRows > 0 ? "kept the model that learned \(st.keptPseudoLabelledRows) pseudo-labelled rows" : "kept the model of the labelled rows only"
            facts.append(("self-training", "\(st.unlabeledRows) unlabeled rows; validation \(model.metric.rawValue): \(rounds); \(kept)"))
            if let p = st.pretraining {
                facts.append(("self-supervised pretraining", "\(p.trials) networks pretrained on the unlabeled rows by \(p.method.uppercased()) (\(p.completed) complete): best validation \(model.metric.rawValue) \(shown(p.bestScore)) against \(shown(p.bestScoreWithout)) for the networks not pretrained; \(Self.pct(p.ensembleWeight)) of the ensemble's weight"))
            }
        }
        return .init(title: "Summary", blocks: [.facts(facts)])
    }

    func intendedUse() -> CardDocument.Section {
        var blocks: [CardDocument.Block] = []
        if let notes, !notes.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            blocks.append(.preformatted(notes))
        } else {
            blocks.append(.text("No notes were given. Say what the model is for, who may rely on it and for what decisions it must not be used, with `mlforge card MODEL --notes NOTES.md` (or `fit --notes`)."))
        }
        blocks.append(.text("What MLForge can say: the model predicts \(model.targetName) for rows like its training data (the columns below, in their ranges); its scores below hold for such rows only. Rows outside the training ranges, unseen levels or a shift in the data (see Drift, with a test file) make them less certain."))
        return .init(title: "Intended use and notes", blocks: blocks)
    }

    func data() -> CardDocument.Section {
        guard let e = evidence else { return .init(title: "Data", blocks: [.text("This folder was written before model cards: the training data's profile is not known. Fit again to have it.")]) }
        var blocks: [CardDocument.Block] = [.facts([
            ("file", e.dataFile), ("rows", "\(e.training.rows)" + (e.training.profiledRows < e.training.rows ? " (profiled on a seeded sample of \(e.training.profiledRows))" : "")),
            ("input columns", "\(model.schema.count) (\(model.usedColumns.count) used by the model)"), ("target", e.training.target),
        ])]
        let used = Set(model.usedColumns)
        let rows = e.training.columns.map { c -> [String] in
            var summary = ""
            if let num = c.numeric { summary = "\(Self.n(num.min)) … \(Self.n(num.max)), mean \(Self.n(num.mean)), sd \(Self.n(num.std))" }
            if let top = c.topLevels { summary = top.map { "\($0.level) (\($0.count))" }.joined(separator: ", ") }
            let role = c.name == e.training.target ? "target" : used.contains(c.name) ? "used"
                : model.constraints?.excluded?.contains(c.name) == true ? "excluded (--exclude)" : "left out"
            return [c.name, c.type.rawValue, role, Self.pct(c.missingShare), "\(c.distinct)", summary]
        }
        blocks.append(.table(header: ["column", "type", "role", "missing", "distinct", "range or top levels"], rows: rows))
        if let counts = e.training.classCounts {
            blocks.append(.plot(Plot(id: "class-balance", title: "Class balance", xLabel: "rows", yLabel: "class",
                                     kind: .bars(labels: model.classes, values: counts.map(Double.init), low: nil, high: nil))))
        } else if let bins = e.training.targetBins {
            blocks.append(.plot(Plot(id: "target-distribution", title: "Target distribution", xLabel: model.targetName, yLabel: "rows", kind: .histogram(bins: bins))))
        }
        return .init(title: "Data", blocks: blocks)
    }

    func drift(_ t: TestEvidence) -> CardDocument.Section {
        var blocks: [CardDocument.Block] = [.text("Population stability index (PSI) of each input column of \(t.file) against the training data's deciles or level shares: below 0.1 little change, 0.1–0.25 some, above 0.25 a large shift.")]
        blocks.append(.facts([("rows with a value outside the training range", "\(t.rowsOutsideRange)"),
                              ("rows with a level training never saw", "\(t.rowsWithUnseenLevels)" + (t.levelsNotChecked.isEmpty ? "" : " (not checked in \(t.levelsNotChecked.joined(separator: ", ")): too many training levels)"))]))
        let top = t.drift.prefix(25)
        blocks.append(.plot(Plot(id: "drift", title: "Drift against the training data (PSI)", xLabel: "PSI", yLabel: "column",
                                 kind: .bars(labels: top.map(\.column), values: top.map(\.psi), low: nil, high: nil))))
        blocks.append(.table(header: ["column", "PSI", "missing (training)", "missing (test)"],
                             rows: top.map { [$0.column, String(format: "%.3f", $0.psi), Self.pct($0.missingShareTraining), Self.pct($0.missingShareTest)] }))
        return .init(title: "Drift between training and test", blocks: blocks)
    }

    func validation(_ task: String) -> CardDocument.Section {
        var facts: [(String, String)] = [("task", task), ("metric optimised", model.metric.rawValue)]
        if let s = evidence?.validationScheme { facts.append(("validation", s)) }
        var blocks: [CardDocument.Block] = [.facts(facts)]
        var header = ["rows"], rows: [[String]] = []
        let names = Array(Set((evidence?.validation?.metrics.keys.map { $0 } ?? []) + (test?.outcome.metrics.keys.map { $0 } ?? []))).sorted()
        header = ["figures on"] + names + ["rows"]
        if let v = evidence?.validation { rows.append(["validation (ensemble)"] + names.map { Self.score(v.metrics[$0]) } + ["\(v.rows)"]) }
        if let t = test { rows.append(["test: \(t.file)"] + names.map { Self.score(t.outcome.metrics[$0]) } + ["\(t.outcome.rows)"]) }
        if !rows.isEmpty { blocks.append(.table(header: header, rows: rows)) }
        blocks.append(.text("The validation score of an ensemble chosen on the same rows is somewhat optimistic: MLForge keeps searched members only when they beat the a-priori ones on held-out halves of those rows, but a test file is the honest check."))
        return .init(title: "Task, metric and validation", blocks: blocks)
    }
}
