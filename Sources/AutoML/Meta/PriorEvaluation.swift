import Foundation
import Learners
import MLData
import Search
import Store

/// `mlforge meta evaluate`: leave-datasets-out evaluation of `PriorPolicy` values on a knowledge base,
/// without fitting anything, so that the policy's constants are chosen by measurement rather than by hand.
///
/// The base's corpus datasets are dealt into `folds` (`PriorBuilder.folds`). For each fold a prior is
/// learned from the other folds' datasets; for each held-out dataset, the a-priori configurations a fit
/// would queue under a policy (`PriorAdvice` and `PriorPolicy.apriori`, after each family's low-cost point)
/// are looked up among the dataset's own results in the base — the protocol measured every entry a prior
/// can name, on every dataset. They are replayed family by family in turn, as a search starts, each
/// costing its measured fit seconds; a dataset's *score* under the policy is the best normalised score
/// (`PriorBuilder.normalise`: 0 the dataset's median entry, 1 its best) reached within each of `budgets`,
/// averaged over them (an anytime score).
///
/// This measures the start of a search, not a whole fit: the configurations a search proposes after the
/// a-priori ones, the ensemble and the time a fit spends elsewhere are not replayed. A policy it chooses
/// is then checked by real fits (`Benchmarks/scripts/meta_leave_out.sh`).
public struct PriorEvaluation: Sendable {
    public var folds = 5
    /// The protocol seconds (a configuration's fit seconds over its folds, as the base holds them) at
    /// which the anytime score is read. A 10 s fit searches about 8 s on 2 cores.
    public var budgets: [Double] = [2, 4, 8]
    public var portfolioSize = PriorPolicy().portfolioSize

    public init() {}

    /// One held-out dataset under one policy.
    public struct Outcome: Sendable, Equatable {
        public var dataset: String
        public var fold: Int
        /// The dataset's own rows (not the protocol's subsample).
        public var rows: Int
        /// The best normalised score reached within each budget.
        public var reached: [Double]
        /// The best normalised score of all the a-priori configurations, whatever they cost.
        public var all: Double

        /// The anytime score: `reached` averaged over the budgets.
        public var score: Double { reached.reduce(0, +) / Double(max(1, reached.count)) }
    }

    /// A knowledge base's held-out datasets with what replaying needs, and a prior per fold.
    public struct Replay: Sendable {
        struct Held: Sendable {
            var name: String
            var fold: Int
            var features: MetaFeatures
            var normalised: [String: Double]
            var seconds: [String: Double]
            var configuration: [String: Configuration]
        }
        var held: [Held]
        var priors: [LearnedPrior]
        var families: [String]
    }

    /// Learns the fold priors and gathers the held-out datasets of `base`.
    public func replay(_ base: KnowledgeBase) throws -> Replay {
        let datasets = try base.datasets().filter { $0.source == "corpus" && $0.finished }
        guard datasets.count >= 2 * folds else {
            throw AutoMLError.invalidInput("the knowledge base \(base.path) has \(datasets.count) finished corpus datasets; \(folds) folds need at least \(2 * folds)")
        }
        var results: [String: [KnowledgeBase.Result]] = [:]
        for r in try base.results() where r.entry != nil { results[r.dataset, default: []].append(r) }
        let dealt = PriorBuilder.folds(datasets.map(\.name), k: folds)
        var priors: [LearnedPrior] = []
        var held: [Replay.Held] = []
        for (f, names) in dealt.enumerated() {
            var builder = PriorBuilder()
            builder.excluding = Set(names)
            builder.portfolioSize = portfolioSize
            priors.append(try builder.build(from: base, built: "fold \(f) of \(folds)"))
            for d in datasets where names.contains(d.name) {
                let rs = results[d.name] ?? []
                var seconds: [String: Double] = [:], configuration: [String: Configuration] = [:]
                for r in rs {
                    seconds[r.key] = r.fitSeconds
                    configuration[r.key] = r.configuration
                }
                held.append(.init(name: d.name, fold: f, features: MetaFeatures(task: d.task, named: d.features),
                                  normalised: PriorBuilder.normalise(rs).score, seconds: seconds, configuration: configuration))
            }
        }
        return Replay(held: held, priors: priors, families: MetaProtocol.standard.families.map(\.rawValue))
    }

    /// The outcome of every held-out dataset under `policy` (nil: the hand-set portfolios alone, as
    /// `--prior none`).
    public func outcomes(_ replay: Replay, policy: PriorPolicy?) -> [Outcome] {
        replay.held.map { d in
            let advice = policy.flatMap { PriorAdvice.make(prior: replay.priors[d.fold], local: [], features: d.features, policy: $0) }
            // Each family's queue: its low-cost point, then its a-priori configurations.
            var queues: [[String]] = []
            for family in replay.families {
                let hand = d.configuration.keys.filter { $0.hasPrefix(family + "#p") }
                    .sorted { $0.count != $1.count ? $0.count < $1.count : $0 < $1 }
                    .compactMap { e in d.configuration[e].map { (name: e, configuration: $0) } }
                let learned = (LearnerFamily(rawValue: family).flatMap { advice?.perFamily[$0] } ?? []).compactMap { e in
                    d.configuration[e.name].map { (name: e.name, configuration: $0) }
                }
                let apriori = (policy ?? PriorPolicy()).apriori(hand: hand, learned: learned)
                let low = family + "#low"
                queues.append((d.configuration[low] == nil ? [] : [low]) + apriori.map(\.name))
            }
            // Replayed family by family in turn.
            var spent = 0.0, best = 0.0
            var reached = [Double](repeating: 0, count: budgets.count)
            for step in 0..<(queues.map(\.count).max() ?? 0) {
                for queue in queues where step < queue.count {
                    spent += d.seconds[queue[step]] ?? 0
                    best = max(best, d.normalised[queue[step]] ?? 0)
                    for (i, b) in budgets.enumerated() where spent <= b { reached[i] = best }
                }
            }
            return Outcome(dataset: d.name, fold: d.fold, rows: d.features.rows, reached: reached, all: best)
        }
    }

    /// The policies `mlforge meta evaluate` compares: every combination of the listed values of the
    /// constants a prior is used by (the defaults' among them).
    public static let grid: [PriorPolicy] = {
        var out: [PriorPolicy] = []
        for neighbours in [1, 2, 3, 5, 8] {
            for perFamily in [2, 3, 4, 6, 8] {
                for distance in [1.0, 1.5, 3.0, 100] {  // 100: no limit (a policy is JSON, which has no infinity)
                    for landmarks in [0.0, 1.0, 2.0, 4.0] {
                        for handFirst in [true, false] {
                            var p = PriorPolicy()
                            p.neighbours = neighbours
                            p.configurationsPerFamily = perFamily
                            p.maximumDistance = distance
                            p.landmarkWeight = landmarks
                            p.handPortfolioFirst = handFirst
                            out.append(p)
                        }
                    }
                }
            }
        }
        return out
    }()

    /// The index of the policy with the best mean score over the outcomes whose fold is not `excluding`.
    public static func best(_ outcomes: [[Outcome]], excluding fold: Int? = nil) -> Int {
        let means = outcomes.map { o in mean(o.filter { $0.fold != fold }.map(\.score)) }
        return means.indices.max { (means[$0], -$0) < (means[$1], -$1) } ?? 0
    }

    static func mean(_ v: [Double]) -> Double { v.isEmpty ? 0 : v.reduce(0, +) / Double(v.count) }
}

extension PriorEvaluation {
    /// The size groups results are reported by (the issue's: under 1,000 rows, up to 10,000, above).
    public static let sizeGroups: [(name: String, rows: ClosedRange<Int>)] = [
        ("< 1,000 rows", 0...999), ("1,000–10,000", 1000...10000), ("> 10,000", 10001...Int.max),
    ]

    /// The report `mlforge meta evaluate` prints: the hand-set portfolios alone, the default policy, the
    /// best policies of the grid by their mean anytime score, each overall and by size, the chosen
    /// policy's nested estimate (chosen on the other folds, scored on each held-out fold) and its wins
    /// and losses against the default per dataset.
    public func report(_ base: KnowledgeBase, grid: [PriorPolicy] = PriorEvaluation.grid, top: Int = 10) throws -> String {
        let replay = try replay(base)
        let hand = outcomes(replay, policy: nil)
        let standard = outcomes(replay, policy: PriorPolicy())
        let all = grid.map { outcomes(replay, policy: $0) }
        func row(_ name: String, _ o: [Outcome]) -> String {
            var cells = [name.padding(toLength: 80, withPad: " ", startingAt: 0), String(format: "%.4f", Self.mean(o.map(\.score))),
                         String(format: "%.4f", Self.mean(o.map(\.all)))]
            for g in Self.sizeGroups { cells.append(String(format: "%.4f", Self.mean(o.filter { g.rows.contains($0.rows) }.map(\.score)))) }
            return cells.joined(separator: "  ")
        }
        func describe(_ p: PriorPolicy) -> String {
            String(format: "neighbours %d, per family %d, distance %.1f, landmarks %.1f, %@", p.neighbours, p.configurationsPerFamily,
                   p.maximumDistance, p.landmarkWeight, p.handPortfolioFirst ? "hand-set first" : "learned only")
        }
        var lines = [String(format: "%d held-out datasets in %d folds; anytime score = best normalised score within %@ protocol seconds, averaged",
                            hand.count, folds, budgets.map { String(format: "%g", $0) }.joined(separator: ", "))]
        var header = ["policy".padding(toLength: 80, withPad: " ", startingAt: 0), "anytime", "all   "]
        for g in Self.sizeGroups {
            let count = hand.filter { g.rows.contains($0.rows) }.count
            header.append("\(g.name) (\(count))")
        }
        lines.append(header.joined(separator: "  "))
        lines.append(row("hand-set portfolios alone (--prior none)", hand))
        lines.append(row("default: " + describe(PriorPolicy()), standard))
        let ranked = all.indices.sorted { (Self.mean(all[$0].map(\.score)), -$0) > (Self.mean(all[$1].map(\.score)), -$1) }
        for i in ranked.prefix(top) { lines.append(row(describe(grid[i]), all[i])) }
        // Nested: per held-out fold, the policy chosen on the other folds.
        var nested: [Outcome] = []
        var chosenNames: [String] = []
        for f in 0..<folds {
            let i = Self.best(all, excluding: f)
            nested += all[i].filter { $0.fold == f }
            chosenNames.append(describe(grid[i]))
        }
        lines.append(row("nested (chosen on the other folds)", nested))
        lines.append("chosen per fold: " + chosenNames.joined(separator: "; "))
        let chosen = ranked[0]
        let pairs = zip(all[chosen], standard).map { $0.score - $1.score }
        lines.append(String(format: "best of the grid against the default, per dataset: %d better, %d equal, %d worse (by more than 0.01)",
                            pairs.filter { $0 > 0.01 }.count, pairs.filter { abs($0) <= 0.01 }.count, pairs.filter { $0 < -0.01 }.count))
        return lines.joined(separator: "\n")
    }
}

extension PriorEvaluation {
    /// The portfolio's length at which `portfolioReport` reads the ensemble's score.
    public static let portfolioLengths = [1, 2, 4, 8, 16, 26]

    /// The finished corpus datasets of `base` (names, and each one's own row count, which the reports
    /// group by size).
    static func corpusDatasets(_ base: KnowledgeBase) throws -> (names: [String], rows: [String: Int]) {
        let datasets = try base.datasets().filter { $0.source == "corpus" && $0.finished }
        return (datasets.map(\.name),
                Dictionary(datasets.map { ($0.name, MetaFeatures(task: $0.task, named: $0.features).rows) }, uniquingKeysWith: { a, _ in a }))
    }

    /// Leave-datasets-out comparison of the two portfolio objectives (`LearnedPrior.PortfolioObjective`):
    /// per fold, a portfolio chosen on the other folds by each, then the normalised score of its first
    /// entries' ensemble (`EnsemblePortfolio`) on the held-out datasets, overall and by size. `targets`
    /// are the corpus datasets' validated targets (`MetaBuild.validatedTargets`).
    public func portfolioReport(_ base: KnowledgeBase, targets: [String: TargetValues]) throws -> String {
        let (all, rows) = try Self.corpusDatasets(base)
        var curves: [LearnedPrior.PortfolioObjective: [(rows: Int, scores: [Double])]] = [:]
        for names in PriorBuilder.folds(all, k: folds) {
            let held = try EnsemblePortfolio(base: base, targets: targets, names: names)
            for objective in [LearnedPrior.PortfolioObjective.best, .ensemble] {
                var builder = PriorBuilder()
                builder.excluding = Set(names)
                builder.portfolioSize = portfolioSize
                builder.targets = objective == .ensemble ? targets : nil
                let portfolio = try builder.build(from: base, built: "").portfolio.map(\.entry)
                for (d, c) in zip(held.datasets, held.curves(portfolio)) { curves[objective, default: []].append((rows[d.name] ?? 0, c)) }
            }
        }
        let lengths = Self.portfolioLengths.filter { $0 <= portfolioSize }
        var lines = ["held-out mean normalised score of the ensemble of the portfolio's first N entries (\(curves[.best]?.count ?? 0) datasets, \(folds) folds; 1 = the dataset's best entry)",
                     (["objective".padding(toLength: 10, withPad: " ", startingAt: 0), "rows".padding(toLength: 22, withPad: " ", startingAt: 0)]
                      + lengths.map { "N=\($0)".padding(toLength: 9, withPad: " ", startingAt: 0) }).joined()]
        for objective in [LearnedPrior.PortfolioObjective.best, .ensemble] {
            for (name, range) in [("all", 0...Int.max)] + Self.sizeGroups {
                let group = (curves[objective] ?? []).filter { range.contains($0.rows) }
                let cells = lengths.map { n in String(format: "%.4f", Self.mean(group.map { $0.scores[min(n, $0.scores.count) - 1] })) }
                lines.append(([objective.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0), "\(name) (\(group.count))".padding(toLength: 22, withPad: " ", startingAt: 0)]
                              + cells.map { $0.padding(toLength: 9, withPad: " ", startingAt: 0) }).joined())
            }
        }
        return lines.joined(separator: "\n")
    }
}
