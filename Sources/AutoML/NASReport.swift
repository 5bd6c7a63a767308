import Foundation
import Learners
import Search

/// What an architecture search found: the chosen network, the Pareto front of validation score against
/// parameter count and prediction latency, and the history of every trial (best score over time).
public struct NASReport: Sendable {
    public var strategy: SearchStrategyKind
    public var seed: UInt64
    public var metric: ValidationMetric
    /// The architecture-search trials, in the order they ended.
    public var trials: [LeaderboardEntry]
    /// The trial the model is made of.
    public var chosen: LeaderboardEntry?

    public init(leaderboard: Leaderboard, strategy: SearchStrategyKind, seed: UInt64) {
        self.strategy = strategy
        self.seed = seed
        metric = leaderboard.metric
        trials = leaderboard.entries.filter { $0.family.capabilities.designsArchitecture }.sorted { ($0.finishedAt ?? 0) < ($1.finishedAt ?? 0) }
        chosen = leaderboard.entries.filter { $0.weight > 0 }.max { $0.weight < $1.weight }
    }

    /// Complete trials no other complete trial beats on score, parameters and latency at once
    /// (best score first).
    public var paretoFront: [LeaderboardEntry] {
        let done = trials.filter { $0.state == .complete && $0.score?.isFinite == true && $0.parameters != nil && $0.latencyMs != nil }
        let points = done.map { [$0.score!, Double($0.parameters!), $0.latencyMs!] }
        let ranks = Pareto.ranks(points, [.maximize, .minimize, .minimize])
        return zip(done, ranks).filter { $0.1 == 0 }.map(\.0).sorted { $0.score! > $1.score! }
    }

    /// One line per trial: when it ended, its score, the best score so far, and the design.
    public var historyCSV: String {
        var best = -Double.infinity
        var lines = ["strategy,seed,trial,elapsed_s,state,score,best_score,parameters,latency_ms,architecture"]
        for t in trials {
            if t.state == .complete, let s = t.score, s.isFinite { best = max(best, s) }
            let score = t.score.map { String(format: "%.6f", Leaderboard.display($0, metric)) } ?? ""
            let bestText = best.isFinite ? String(format: "%.6f", Leaderboard.display(best, metric)) : ""
            lines.append([strategy.rawValue, "\(seed)", "\(t.trial)", String(format: "%.3f", t.finishedAt ?? 0), t.state.rawValue, score, bestText,
                          t.parameters.map(String.init) ?? "", t.latencyMs.map { String(format: "%.4f", $0) } ?? "",
                          "\"" + t.summary.replacingOccurrences(of: "\"", with: "'") + "\""].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The Pareto front as a text table.
    public func frontTable() -> String {
        var rows = [["#", metric.rawValue, "parameters", "latency ms", "architecture"]]
        for e in paretoFront {
            rows.append(["\(e.trial)" + (e.trial == chosen?.trial ? "*" : ""), String(format: "%.4f", Leaderboard.display(e.score ?? .nan, metric)),
                         "\(e.parameters ?? 0)", String(format: "%.3f", e.latencyMs ?? .nan), e.summary])
        }
        let widths = (0..<rows[0].count - 1).map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { c, cell in c < widths.count ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) : cell }
                .joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// The summary saved beside the model (JSON).
    public struct Summary: Codable {
        public var strategy: String
        public var seed: UInt64
        public var metric: ValidationMetric
        public var chosen: LeaderboardEntry?
        public var paretoFront: [LeaderboardEntry]
        public var trials: Int
    }

    public var summary: Summary {
        Summary(strategy: strategy.rawValue, seed: seed, metric: metric, chosen: chosen, paretoFront: paretoFront, trials: trials.count)
    }

    /// Files to save inside the model folder.
    public func files() throws -> [String: Data] {
        ["nas/history.csv": Data(historyCSV.utf8), "nas/search.json": try ArtifactJSON.encoder().encode(summary)]
    }
}
