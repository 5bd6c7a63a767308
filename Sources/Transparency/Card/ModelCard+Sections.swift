import AutoML
import Foundation
import Learners
import MLData

extension ModelCard {
    func ensemble() -> CardDocument.Section {
        let total = max(1e-12, model.members.map(\.weight).reduce(0, +))
        let members = model.members.map { m -> [String] in
            let entry = model.leaderboard.entries.first { $0.trial == m.trial }
            return [m.family.rawValue, m.summary, String(format: "%.3f", m.weight / total), "\(m.trial)",
                    Self.score(entry?.score.map { Leaderboard.display($0, model.metric) }), "\(m.modelCount)"]
        }
        let ranked = model.leaderboard.entries.filter { $0.score != nil }.sorted { $0.score! > $1.score! }.prefix(15)
        let board = ranked.map { e -> [String] in
            ["\(e.trial)", e.family.rawValue, String(e.summary.prefix(60)), Self.score(Leaderboard.display(e.score!, model.metric)),
             e.foldScores.map { s in s.map { String(format: "%.3f", Leaderboard.display($0, model.metric)) }.joined(separator: " ") } ?? "",
             String(format: "%.2f", e.fitSeconds), e.predictMsPer1000.map { String(format: "%.1f", $0) } ?? "", e.weight > 0 ? String(format: "%.2f", e.weight) : ""]
        }
        return .init(title: "Leaderboard and ensemble", blocks: [
            .text("The final model is a weighted average of these members' predictions (Caruana's ensemble selection); each member averages its fold models, or is one model refitted on all rows."),
            .table(header: ["family", "configuration", "weight", "trial", model.metric.rawValue, "models"], rows: members),
            .text("The best \(board.count) of \(model.leaderboard.entries.count) trials (validation score; fold scores; fit seconds; predict ms per 1,000 rows; weight):"),
            .table(header: ["#", "family", "configuration", model.metric.rawValue, "folds", "fit s", "predict ms/1k", "weight"], rows: board),
        ])
    }

    func search() -> CardDocument.Section {
        var blocks: [CardDocument.Block] = []
        let timed = model.leaderboard.entries.filter { $0.finishedAt != nil }.sorted { $0.finishedAt! < $1.finishedAt! }
        var best = -Double.infinity, xs: [Double] = [], ys: [Double] = []
        for e in timed { if let s = e.score, s > best { best = s; xs.append(e.finishedAt!); ys.append(Leaderboard.display(s, model.metric)) } }
        if xs.count >= 1 {
            blocks.append(.plot(Plot(id: "score-over-time", title: "Best validation score over time", xLabel: "seconds since the start",
                                     yLabel: model.metric.rawValue, kind: .lines(x: xs, categories: nil, series: [("best", ys)], step: true))))
        }
        var perFamily: [String: (Double, Int)] = [:]
        for e in model.leaderboard.entries { perFamily[e.family.rawValue, default: (0, 0)].0 += e.fitSeconds; perFamily[e.family.rawValue, default: (0, 0)].1 += 1 }
        let families = perFamily.keys.sorted { perFamily[$0]!.0 > perFamily[$1]!.0 }
        blocks.append(.plot(Plot(id: "time-per-family", title: "Time spent per family", xLabel: "seconds of fitting", yLabel: "family",
                                 kind: .bars(labels: families.map { "\($0) (\(perFamily[$0]!.1))" }, values: families.map { perFamily[$0]!.0 }, low: nil, high: nil))))
        let states = Dictionary(grouping: model.leaderboard.entries, by: { "\($0.state)" }).mapValues(\.count)
        var facts: [(String, String)] = [("trials", "\(model.leaderboard.entries.count) (" + states.keys.sorted().map { "\(states[$0]!) \($0)" }.joined(separator: ", ") + ")")]
        if let e = evidence { facts.append(("fit time before the card", String(format: "%.1f s", e.fitSeconds))); facts.append(("card time", String(format: "%.2f s", e.cardSeconds))) }
        blocks.append(.facts(facts))
        if let e = evidence, !(e.plan + e.phases).isEmpty { blocks.append(.preformatted((e.plan + e.phases).joined(separator: "\n"))) }
        return .init(title: "Search", blocks: blocks)
    }

    func importance() -> CardDocument.Section {
        var blocks: [CardDocument.Block] = []
        for imp in [test?.importance, evidence?.importance].compactMap({ $0 }) {
            let top = imp.columns.prefix(30)
            blocks.append(.text("Permutation importance on \(imp.source) (\(imp.rows) rows, \(imp.repeats) repeats): the drop of \(imp.metric) (\(Self.score(imp.baseline)) with nothing shuffled) when a column's values are shuffled; the bars' lines span ± 2 standard errors over the repeats. On training rows it shows what the model relies on, not how well that generalises."))
            blocks.append(.plot(Plot(id: imp.source == "the test file" ? "importance-test" : "importance", title: "Permutation importance (\(imp.source))",
                                     xLabel: "drop of \(imp.metric)", yLabel: "column",
                                     kind: .bars(labels: top.map(\.column), values: top.map(\.mean), low: top.map(\.low), high: top.map(\.high)))))
            blocks.append(.table(header: ["column", "mean drop", "sd", "interval"],
                                 rows: top.map { [$0.column, String(format: "%.4f", $0.mean), String(format: "%.4f", $0.std), String(format: "%.4f … %.4f", $0.low, $0.high)] }))
        }
        if blocks.isEmpty { blocks.append(.text("Not computed: " + (evidence?.omitted.first { $0.hasPrefix("importances") } ?? "no evidence from the fit") + ".")) }
        return .init(title: "Feature importance", blocks: blocks)
    }

    func dependence() -> CardDocument.Section {
        guard let curves = evidence?.dependence, !curves.isEmpty else {
            return .init(title: "Partial dependence", blocks: [.text("No curves: they need the importances (see Known limits).")])
        }
        var blocks: [CardDocument.Block] = [.text("The mean prediction over \(curves[0].rows) training rows with one column set to each value in turn (Friedman's partial dependence), for the most important columns.")]
        for c in curves {
            let xs = c.values ?? c.grid.indices.map(Double.init)
            blocks.append(.plot(Plot(id: "dependence-\(c.column)", title: "Partial dependence on \(c.column)", xLabel: c.column,
                                     yLabel: model.task.isClassification ? "mean probability" : "mean prediction",
                                     kind: .lines(x: xs, categories: c.values == nil ? c.grid : nil, series: c.series.map { ($0.name, $0.mean) }, step: false))))
        }
        return .init(title: "Partial dependence", blocks: blocks)
    }

    func outcomes() -> CardDocument.Section {
        var blocks: [CardDocument.Block] = []
        for (name, id, figures) in [("validation", "validation", evidence?.validation), ("test", "test", test?.outcome)] {
            guard let o = figures else { continue }
            if let bins = o.calibration {
                let label = model.classes.count == 2 ? "predicted p(\(model.classes[1]))" : "predicted probability of the chosen class"
                blocks.append(.plot(Plot(id: "calibration-\(id)", title: "Calibration on the \(name) rows", xLabel: label,
                                         yLabel: model.classes.count == 2 ? "observed share" : "observed accuracy",
                                         kind: .lines(x: bins.map(\.meanPredicted), categories: nil,
                                                      series: [("observed", bins.map(\.observed)), ("ideal", bins.map(\.meanPredicted))], step: false))))
            }
            if let c = o.confusion, c.count <= 30 {
                blocks.append(.plot(Plot(id: "confusion-\(id)", title: "Confusion matrix (\(name))", xLabel: "predicted", yLabel: "true",
                                         kind: .heatmap(rows: model.classes, columns: model.classes, counts: c))))
            }
            if let s = o.scatter {
                blocks.append(.plot(Plot(id: "residuals-\(id)", title: "Predicted against actual (\(name))", xLabel: "actual", yLabel: "predicted",
                                         kind: .scatter(points: s.map { ($0[0], $0[1]) }, diagonal: true))))
            }
            if let r = o.residualBins {
                blocks.append(.plot(Plot(id: "residual-histogram-\(id)", title: "Residuals, actual − predicted (\(name))", xLabel: "residual", yLabel: "rows", kind: .histogram(bins: r))))
            }
        }
        if blocks.isEmpty { blocks.append(.text("No validation predictions were kept and no test file was given: run `mlforge card MODEL --test TEST.csv`.")) }
        return .init(title: model.task.isClassification ? "Calibration and confusion" : "Residuals", blocks: blocks)
    }

    func groups(_ g: GroupFigures) -> CardDocument.Section {
        var blocks: [CardDocument.Block] = []
        for (name, figures) in [("validation", evidence?.validation?.groups), ("test", test?.outcome.groups)] {
            guard let f = figures else { continue }
            let keys = Array(Set(f.groups.flatMap { $0.metrics.keys })).sorted()
            blocks.append(.text("By \(f.column), on the \(name) rows:"))
            blocks.append(.table(header: ["group", "rows"] + keys, rows: f.groups.map { g in [g.group, "\(g.count)"] + keys.map { Self.score(g.metrics[$0]) } }))
            var facts: [(String, String)] = []
            if let dp = f.demographicParityDifference { facts.append(("demographic parity difference", String(format: "%.4f", dp))) }
            if let eo = f.equalizedOddsDifference { facts.append(("equalized odds difference", String(format: "%.4f", eo))) }
            if !facts.isEmpty { blocks.append(.facts(facts)) }
        }
        return .init(title: "Groups of \(g.column)", blocks: blocks)
    }

    /// The fairness bound, what the per-group thresholds changed on the validation rows, and the
    /// accuracy each bound would have cost.
    func fairness(_ rule: GroupThresholds) -> CardDocument.Section {
        let measure = rule.constraint.measure.rawValue.replacingOccurrences(of: "_", with: " ")
        let shown = { (d: Double?) in d.map { String(format: "%.4f", $0) } ?? "not defined" }
        var blocks: [CardDocument.Block] = [
            .text("The fit was asked to keep the \(measure) difference over the groups of \(rule.constraint.column) within \(rule.constraint.bound). It decides with a threshold per group on p(\(model.classes.count == 2 ? model.classes[1] : "positive")), chosen on the \(rule.rows) validation rows to be as accurate as possible within the bound (Hardt et al., 2016, with one threshold per group); the probabilities themselves are unchanged."),
            .facts([("\(measure) difference, more probable class", shown(rule.before.difference)),
                    ("\(measure) difference, with the thresholds", shown(rule.after.difference)),
                    ("validation accuracy, more probable class", String(format: "%.4f", rule.before.accuracy)),
                    ("validation accuracy, with the thresholds", String(format: "%.4f", rule.after.accuracy))]),
        ]
        if rule.thresholds.isEmpty {
            blocks.append(.text("The more probable class already met the bound on the validation rows: no group has a threshold of its own."))
        } else {
            blocks.append(.table(header: ["group", "predicted \(model.classes.count == 2 ? model.classes[1] : "positive") from p ≥"],
                                 rows: rule.thresholds.keys.sorted().map { [$0, rule.thresholds[$0]! > 1 ? "never" : String(format: "%.4f", rule.thresholds[$0]!)] }))
            blocks.append(.text("A group training never saw is decided by the more probable class."))
        }
        let points = rule.tradeoff
        blocks.append(.plot(Plot(id: "fairness-tradeoff", title: "Accuracy against the \(measure) bound (validation rows)", xLabel: "bound",
                                 yLabel: "accuracy / difference reached",
                                 kind: .lines(x: points.indices.map(Double.init), categories: points.map { String(format: "%g", $0.bound) },
                                              series: [("accuracy", points.map(\.accuracy)), ("difference reached", points.map(\.difference))], step: false))))
        return .init(title: "Fairness constraint", blocks: blocks)
    }

    /// Where a model whose metric only ranks decides, and what that changed on the validation rows.
    func decisionThreshold(_ t: DecisionThreshold) -> CardDocument.Section {
        let positive = model.classes.count == 2 ? model.classes[1] : "positive"
        return .init(title: "Decision threshold", blocks: [
            .text("\(model.metric.rawValue) scores only how the rows are ordered, so the search never chose where the probabilities lie. The model predicts '\(positive)' when p(\(positive)) ≥ \(String(format: "%.4f", t.threshold)): where Platt's map, fitted to the \(t.rows) validation rows, reaches 0.5. The probabilities themselves are unchanged."),
            .facts([("validation accuracy, more probable class", String(format: "%.4f", t.accuracyBefore)),
                    ("validation accuracy, with the threshold", String(format: "%.4f", t.accuracyAfter))]),
        ])
    }

    func constraints() -> CardDocument.Section {
        guard let c = model.constraints else { return .init(title: "Constraints", blocks: [.text("Not recorded (a folder from before MLForge recorded them).")]) }
        return .init(title: "Constraints and settings", blocks: [.facts(c.lines)])
    }

    func reproducibility() -> CardDocument.Section {
        var facts: [(String, String)] = [("seed", "\(model.seed)"), ("training data checksum", model.dataHash ?? "not recorded"),
                                         ("search policy", model.policy == nil ? "not recorded" : model.policy == .standard ? "standard (`mlforge policy` prints it)" : "custom (in manifest.json)")]
        facts += BuildInfo.current().entries.filter { ["mlforge", "xgboost", "blas level"].contains($0.name) }.map { ($0.name, $0.value) }
        if let p = model.prior { facts.append(("a-priori configurations", p.neighbours.isEmpty ? "the learned portfolio" : "from " + p.neighbours.joined(separator: ", "))) }
        return .init(title: "Reproducibility", blocks: [
            .facts(facts),
            .text("Every file of the model folder but this card has its size and CRC-32 in manifest.json, which loading checks. With --jobs 1, the same seed and a --trials cap, a fit gives the same model again."),
        ])
    }

    func limits() -> CardDocument.Section {
        var items: [String] = []
        if let e = evidence {
            items += e.omitted
            items += e.plan.filter { $0.hasPrefix("left out") || $0.contains("taken as") }
            let skipped = e.skipped.prefix(15)
            items += skipped.map { "not tried: " + $0 }
            if e.skipped.count > skipped.count { items.append("… and \(e.skipped.count - skipped.count) more configurations not tried") }
            items += e.phases.filter { $0.hasPrefix("no refit") || $0.contains("failed") || $0.contains("not kept") }
        } else {
            items.append("The fit's evidence (data profile, validation figures, importances) is missing: the folder was written before model cards or with --no-card.")
        }
        if let t = test {
            items += t.omitted
            if t.rowsOutsideRange > 0 { items.append("\(t.rowsOutsideRange) test rows have a value outside the training range: the model extrapolates there.") }
            if t.rowsWithUnseenLevels > 0 { items.append("\(t.rowsWithUnseenLevels) test rows have a level training never saw: it is read as unknown.") }
        }
        let failed = model.leaderboard.entries.filter { $0.state == .failed }
        if !failed.isEmpty { items.append("\(failed.count) trials failed: " + Set(failed.compactMap(\.note)).prefix(3).joined(separator: "; ")) }
        if items.isEmpty { items.append("Nothing was left out or skipped.") }
        return .init(title: "Known limits", blocks: [.list(items)])
    }
}
