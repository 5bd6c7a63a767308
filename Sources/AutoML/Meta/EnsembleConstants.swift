import Foundation
import Learners
import MLData
import Store
import Support

/// The ensemble policy's constants (`EnsemblePolicy`: the selection's rounds and minimum rounds, the
/// candidates a search keeps, the guard's bar) measured leave-datasets-out on the knowledge base's
/// out-of-fold predictions, by the fit's own code (`EnsembleSelection.select` and `.gate`).
///
/// Per dataset and per seeded half-split of its validated rows, both ways, the fit's last step is
/// replayed on one half: the candidates are the a-priori entries (each family's low-cost point and
/// hand-set portfolio, `#low` and `#p…`, which a fit always keeps) and the best `candidates` of the
/// others by that half's score (the trials a search keeps); the ensemble is selected and guarded there,
/// and scored on the other half, which no choice saw. That score is normalised per half (0 the median
/// single entry there, 1 the best, which no selection can know), so a constant that lets selection or
/// the guard overfit the validation rows scores lower. The validated rows are at most the protocol's
/// 3,000 (`MetaProtocol.maxRows`): what this measures is the cross-validated fits of small and mid-sized
/// tables, not the hold-out of large ones.
package struct EnsembleConstants: Sendable {
    /// One value of the constants compared.
    package struct Setting: Hashable, Sendable, CustomStringConvertible {
        package var rounds: Int
        package var minimumRounds: Int
        package var candidates: Int
        package var gateStandardErrors: Double

        package init(_ p: EnsemblePolicy) {
            (rounds, minimumRounds, candidates, gateStandardErrors) = (p.rounds, p.minimumRounds, p.candidates, p.gateStandardErrors)
        }

        package var description: String {
            String(format: "rounds %d, minimum rounds %d, candidates %d, guard %.1f SE", rounds, minimumRounds, candidates, gateStandardErrors)
        }

        /// The settings that share a selection and a guard's test (they differ only in the guard's bar).
        var selection: Setting { var s = self; s.gateStandardErrors = 0; return s }
    }

    /// Seeded half-splits per dataset (each scored both ways).
    package var splits = 2
    package var folds = 5
    package var seed: UInt64 = 0
    package var policy = EnsemblePolicy()

    package init() {}

    /// The settings compared: the policy's, and each constant moved alone over a range around it; every
    /// selection setting with every guard bar (the bar costs nothing more to compare).
    package var grid: [Setting] {
        let base = Setting(policy)
        var selections: [Setting] = [base]
        for r in [10, 20, 80] { var s = base; s.rounds = r; s.minimumRounds = min(s.minimumRounds, r); selections.append(s) }
        for m in [1, 4, 20, base.rounds] { var s = base; s.minimumRounds = m; selections.append(s) }
        for c in [8, 12, 48] { var s = base; s.candidates = c; selections.append(s) }
        var out: [Setting] = []
        for s in selections {
            for g in [0.0, 1, 2, 3, 4] {
                var t = s; t.gateStandardErrors = g
                if !out.contains(t) { out.append(t) }
            }
        }
        return out
    }

    /// Whether a knowledge base entry is one a fit always keeps as an a-priori candidate.
    package static func isApriori(_ entry: String) -> Bool {
        guard let mark = entry.firstIndex(of: "#") else { return false }
        let tag = entry[entry.index(after: mark)...]
        return tag == "low" || tag.hasPrefix("p")
    }

    /// Each setting's mean normalised held-out score on `d` over the splits and both ways; empty when the
    /// dataset has too few rows or entries to split.
    package func scores(_ d: EnsemblePortfolio.Dataset, settings: [Setting]) -> [Setting: Double] {
        let entries = d.predictions.keys.sorted()
        guard entries.count >= 2, d.target.count >= 8 else { return [:] }
        let apriori = entries.map(Self.isApriori)
        var totals: [Setting: Double] = [:], count = 0
        var rng = SeededGenerator(seed: seed ^ PriorConfiguration.stableHash(d.name))
        for _ in 0..<splits {
            let halves = EnsembleSelection.randomHalves(d.target.count, using: &rng)
            for (fit, held) in [(halves[0], halves[1]), (halves[1], halves[0])] {
                let fitTarget = d.target.selecting(rows: fit), heldTarget = d.target.selecting(rows: held)
                let fitPredictions = entries.map { d.predictions[$0]!.selecting(rows: fit) }
                let heldPredictions = entries.map { d.predictions[$0]!.selecting(rows: held) }
                let fitScores = fitPredictions.map { d.metric.score($0, fitTarget) }
                let heldScores = heldPredictions.map { d.metric.score($0, heldTarget) }.filter(\.isFinite).sorted()
                guard let best = heldScores.last else { continue }
                let median = heldScores[heldScores.count / 2]
                // The candidates by this half's score, best first, as a search keeps its trials.
                let order = entries.indices.sorted { (fitScores[$0].isFinite ? fitScores[$0] : -.infinity) > (fitScores[$1].isFinite ? fitScores[$1] : -.infinity) }
                // Per selection setting: the held-out score with the searched members, the a-priori
                // ensemble's, and the guard's test (gain, standard error); the guard's bar then picks one.
                let gateSeed = rng.next()  // the same guard's splits for every setting
                var outcomes: [Setting: (all: Double, prior: Double?, test: (gain: Double, se: Double)?)] = [:]
                for s in settings {
                    let key = s.selection
                    if outcomes[key] == nil {
                        let pool = order.enumerated().filter { $0.offset < s.candidates || apriori[$0.element] }.map(\.element)
                        let candidates = pool.map { fitPredictions[$0] }
                        let weights = EnsembleSelection.select(candidates, target: fitTarget, metric: d.metric, rounds: s.rounds, minimumRounds: s.minimumRounds)
                        let gate = EnsembleSelection.gate(weights, candidates: candidates, apriori: pool.map { apriori[$0] }, target: fitTarget,
                                                          metric: d.metric, rounds: s.rounds, minimumRounds: s.minimumRounds,
                                                          seed: gateSeed, splits: policy.gateSplits, standardErrors: 0)
                        let held = pool.map { heldPredictions[$0] }
                        let all = EnsembleSelection.combine(held, weights: weights).map { d.metric.score($0, heldTarget) } ?? median
                        let prior = gate.flatMap { EnsembleSelection.combine(held, weights: $0.priorWeights) }.map { d.metric.score($0, heldTarget) }
                        outcomes[key] = (all, prior, gate.map { ($0.gain, $0.standardError) })
                    }
                    let o = outcomes[key]!
                    var score = o.all
                    if let prior = o.prior, let test = o.test, !(test.gain > s.gateStandardErrors * test.se) { score = prior }
                    totals[s, default: 0] += Self.normalised(score.isFinite ? score : median, median: median, best: best)
                }
                count += 1
            }
        }
        guard count > 0 else { return [:] }
        return totals.mapValues { $0 / Double(count) }
    }

    /// Every dataset's scores (by name) for every setting of `grid`, the datasets spread over the cores.
    package func scores(_ portfolio: EnsemblePortfolio) -> [String: [Setting: Double]] {
        let settings = grid
        let all = EnsemblePortfolio.concurrentMap(portfolio.datasets.indices) { i in scores(portfolio.datasets[i], settings: settings) }
        var out: [String: [Setting: Double]] = [:]
        for (d, s) in zip(portfolio.datasets, all) where !s.isEmpty { out[d.name] = s }
        return out
    }

    /// The report `mlforge meta evaluate --ensemble` prints, for the corpus datasets of `base` whose
    /// validated rows' targets are `targets` (`MetaBuild.validatedTargets`).
    package func report(_ base: KnowledgeBase, targets: [String: TargetValues]) throws -> String {
        let (names, rows) = try PriorEvaluation.corpusDatasets(base)
        return report(scores(try EnsemblePortfolio(base: base, targets: targets, names: names)), rows: rows)
    }

    /// The report `mlforge meta evaluate --ensemble` prints: every setting's mean normalised held-out
    /// score, overall and by size (`rows` by dataset name), the policy's first; then, leave-datasets-out
    /// over `folds`, the setting chosen on the other folds against the policy's on each fold's datasets.
    package func report(_ scores: [String: [Setting: Double]], rows: [String: Int]) -> String {
        let names = scores.keys.sorted()
        let base = Setting(policy)
        let groups: [(name: String, rows: ClosedRange<Int>)] = [("all", 0...Int.max)] + PriorEvaluation.sizeGroups
        func mean(_ s: Setting, _ among: [String]) -> Double { PriorEvaluation.mean(among.compactMap { scores[$0]?[s] }) }
        func cells(_ s: Setting) -> String {
            groups.map { g in String(format: "%.4f", mean(s, names.filter { g.rows.contains(rows[$0] ?? 0) })) }
                .map { $0.padding(toLength: 20, withPad: " ", startingAt: 0) }.joined()
        }
        var lines = ["held-out mean normalised score of the ensemble (\(names.count) datasets, \(splits) half-splits both ways; 0 the half's median entry, 1 its best)",
                     "  setting".padding(toLength: 62, withPad: " ", startingAt: 0)
                        + groups.map { g in "\(g.name) (\(names.filter { g.rows.contains(rows[$0] ?? 0) }.count))".padding(toLength: 20, withPad: " ", startingAt: 0) }.joined()]
        let ranked = grid.sorted { mean($0, names) > mean($1, names) }
        for s in ranked {  // best first; * marks the policy's
            lines.append(((s == base ? "* " : "  ") + s.description).padding(toLength: 62, withPad: " ", startingAt: 0) + cells(s))
        }
        // Leave-datasets-out: each fold's choice is made on the other folds only.
        var chosen: [String: Setting] = [:]
        for held in PriorBuilder.folds(names, k: folds) {
            let others = names.filter { !held.contains($0) }
            guard let pick = grid.max(by: { mean($0, others) < mean($1, others) }) else { continue }
            for n in held { chosen[n] = pick }
            lines.append("fold of \(held.count): chosen on the other \(others.count): \(pick)")
        }
        let nested = groups.map { g -> String in
            let among = names.filter { g.rows.contains(rows[$0] ?? 0) }
            let picked = PriorEvaluation.mean(among.compactMap { n in chosen[n].flatMap { scores[n]?[$0] } })
            return String(format: "%.4f vs %.4f", picked, mean(base, among)).padding(toLength: 22, withPad: " ", startingAt: 0)
        }
        lines.append("nested (each fold's choice on its own datasets) vs the policy: " + nested.joined())
        // The same within each size group: a constant that should differ by size shows here.
        for g in PriorEvaluation.sizeGroups {
            let among = names.filter { g.rows.contains(rows[$0] ?? 0) }
            var picks: [String] = [], picked: [Double] = []
            for held in PriorBuilder.folds(among, k: folds) where !held.isEmpty {
                let others = among.filter { !held.contains($0) }
                guard !others.isEmpty, let pick = grid.max(by: { mean($0, others) < mean($1, others) }) else { continue }
                picks.append(pick.description)
                picked += held.compactMap { scores[$0]?[pick] }
            }
            lines.append(String(format: "within %@ (%d): nested %.4f vs the policy %.4f; chosen: ", g.name, among.count,
                                PriorEvaluation.mean(picked), mean(base, among))
                         + Dictionary(picks.map { ($0, 1) }, uniquingKeysWith: +).sorted { $0.value > $1.value }.map { "\($0.key) ×\($0.value)" }.joined(separator: "; "))
        }
        return lines.joined(separator: "\n")
    }

    /// A held-out score as the half's single entries place it: 0 at their median, 1 at their best,
    /// clipped to [−1, 2] so that a dataset whose entries are all close cannot dominate the mean.
    static func normalised(_ s: Double, median: Double, best: Double) -> Double {
        best > median ? min(2, max(-1, (s - median) / (best - median))) : (s >= best ? 1 : 0)
    }
}
