import Foundation
import MLData
import Store

/// `mlforge meta prior`: the `LearnedPrior` from a knowledge base's corpus datasets.
///
/// Scores are normalised per dataset so that datasets weigh alike: an entry's normalised score is
/// (score − the dataset's median) / (its best − its median), clipped to [0, 1] (a failed entry scores 0),
/// as TabRepo and auto-sklearn 2.0 normalise before they build a portfolio. The portfolio is then built
/// greedily: each step adds the entry that most raises the mean over datasets of the best normalised score
/// among the entries chosen so far, per square root of its cost relative to the dataset's other entries
/// (so a cheap entry that does nearly as well goes first, which is what the first seconds of a fit need).
/// Given the corpus datasets' validated targets (`targets`), the score the greedy raises is instead the
/// normalised score of the chosen entries' ensemble (`EnsemblePortfolio`), since a fit ends in one.
public struct PriorBuilder: Sendable {
    /// Datasets left out (the held-out fold of a leave-datasets-out evaluation).
    public var excluding: Set<String> = []
    public var portfolioSize = PriorPolicy().portfolioSize
    public var settings = MetaProtocol.standard
    /// Each corpus dataset's validated target (`MetaBuild.validatedTargets`): when given, the portfolio is
    /// chosen on the ensemble's score; when nil, on the best entry's.
    public var targets: [String: TargetValues]?

    public init() {}

    public func build(from base: KnowledgeBase, built: String) throws -> LearnedPrior {
        let datasets = try base.datasets().filter { $0.source == "corpus" && $0.finished && !excluding.contains($0.name) }
        guard !datasets.isEmpty else {
            throw AutoMLError.invalidInput("the knowledge base \(base.path) has no finished corpus dataset to learn from; run `mlforge meta build` first")
        }
        var table: [String: [KnowledgeBase.Result]] = [:]
        for r in try base.results() where r.entry != nil { table[r.dataset, default: []].append(r) }
        var normalised: [[String: Double]] = []
        var relativeCost: [[String: Double]] = []
        var neighbours: [LearnedPrior.Neighbour] = []
        var entries = Set<String>()
        for d in datasets {
            let results = table[d.name] ?? []
            let (n, c) = Self.normalise(results)
            normalised.append(n)
            relativeCost.append(c)
            entries.formUnion(n.keys)
            var best: [String: (String, Double)] = [:]
            for r in results {
                guard let s = r.score, let e = r.entry else { continue }
                if s > best[r.family]?.1 ?? -.infinity { best[r.family] = (e, s) }
            }
            neighbours.append(LearnedPrior.Neighbour(dataset: d.name, features: MetaFeatures(task: d.task, named: d.features),
                                                     best: best.mapValues(\.0)))
        }
        let chosen: [(entry: String, score: Double)]
        if let targets {
            let scoring = try EnsemblePortfolio(base: base, targets: targets, names: datasets.map(\.name))
            let cost = Dictionary(uniqueKeysWithValues: zip(datasets.map(\.name), relativeCost))
            chosen = scoring.greedy(cost: cost, candidates: entries.sorted(), size: portfolioSize)
        } else {
            chosen = Self.greedy(normalised, cost: relativeCost, candidates: entries.sorted(), size: portfolioSize)
        }
        var seconds: [String: [Double]] = [:]
        for r in table.values.joined() { if let e = r.entry { seconds[e, default: []].append(r.fitSeconds) } }
        let portfolio = chosen.map { e in
            LearnedPrior.PortfolioEntry(entry: e.entry, score: e.score,
                                        seconds: (seconds[e.entry] ?? []).reduce(0, +) / Double(max(1, seconds[e.entry]?.count ?? 0)))
        }
        var configurations: [String: PriorConfiguration] = [:]
        for name in Set(portfolio.map(\.entry) + neighbours.flatMap { $0.best.values }) {
            configurations[name] = PriorConfiguration.named(name, seed: settings.seed)
        }
        var prior = LearnedPrior(built: built, settings: settings, datasets: datasets.map(\.name), portfolio: portfolio,
                                 neighbours: neighbours, configurations: configurations)
        prior.portfolioObjective = targets == nil ? .best : .ensemble
        return prior
    }

    /// Each entry's normalised score on one dataset and its cost relative to the dataset's mean entry.
    static func normalise(_ results: [KnowledgeBase.Result]) -> (score: [String: Double], cost: [String: Double]) {
        let scored = results.compactMap { r in r.score.map { s in (r.entry ?? r.key, s) } }
        let values = scored.map(\.1).sorted()
        var score: [String: Double] = [:], cost: [String: Double] = [:]
        for r in results { score[r.entry ?? r.key] = 0 }
        if let best = values.last {
            let median = values[values.count / 2]
            for (e, s) in scored { score[e] = normalised(s, median: median, best: best) }
        }
        let mean = results.map(\.fitSeconds).reduce(0, +) / Double(max(1, results.count))
        for r in results { cost[r.entry ?? r.key] = r.fitSeconds / max(mean, 1e-6) }
        return (score, cost)
    }

    /// A score as a dataset's entries place it: 0 at their median, 1 at their best, clipped to [0, `cap`].
    static func normalised(_ s: Double, median: Double, best: Double, cap: Double = 1) -> Double {
        best > median ? min(cap, max(0, (s - median) / (best - median))) : (s >= best ? 1 : 0)
    }

    /// The greedy anytime portfolio: entries with the portfolio's mean best normalised score after each.
    package static func greedy(_ score: [[String: Double]], cost: [[String: Double]], candidates: [String], size: Int) -> [(entry: String, score: Double)] {
        var current = [Double](repeating: 0, count: score.count)
        var chosen: [(String, Double)] = []
        var left = candidates
        while chosen.count < size, !left.isEmpty {
            var bestIndex = -1, bestRatio = 0.0
            for (i, e) in left.enumerated() {
                var gain = 0.0, c = 0.0
                for d in score.indices {
                    gain += max(0, (score[d][e] ?? 0) - current[d])
                    c += cost[d][e] ?? 1
                }
                let ratio = gain / Double(score.count) / max(0.05, c / Double(score.count)).squareRoot()
                if ratio > bestRatio + 1e-12 { bestRatio = ratio; bestIndex = i }
            }
            guard bestIndex >= 0 else { break }
            let e = left.remove(at: bestIndex)
            for d in score.indices { current[d] = max(current[d], score[d][e] ?? 0) }
            chosen.append((e, current.reduce(0, +) / Double(score.count)))
        }
        return chosen
    }
}

extension PriorBuilder {
    /// The datasets of each of `k` leave-datasets-out folds: the names ordered by a stable hash, dealt out
    /// in turn (the same folds on every machine, whatever order the corpus lists them in).
    public static func folds(_ names: [String], k: Int) -> [[String]] {
        let ordered = names.sorted { (PriorConfiguration.stableHash($0), $0) < (PriorConfiguration.stableHash($1), $1) }
        return (0..<k).map { f in ordered.enumerated().filter { $0.offset % k == f }.map(\.element) }
    }
}
