import Foundation
import Learners
import Search

/// One trial of the search as the leaderboard shows it.
public struct LeaderboardEntry: Codable, Sendable, Equatable {
    public var trial: Int
    public var family: LearnerFamily
    /// A short human summary of the configuration.
    public var summary: String
    public var configuration: Configuration
    /// Validation score (higher is better for every metric: losses are negated); nil when it failed.
    public var score: Double?
    /// The score of each fold's model on its own validation rows (nil in older model folders and for a
    /// trial that did not finish).
    public var foldScores: [Double]?
    public var fitSeconds: Double
    /// Complete, pruned, or failed (with the reason in `note`).
    public var state: TrialState
    public var note: String?
    /// Ensemble weight in the final model (0 when not a member).
    public var weight: Double = 0
    /// For a designed network: trainable parameters and the measured latency of predicting one row.
    public var parameters: Int?
    public var latencyMs: Double?
    /// When the trial ended, in seconds since the run started.
    public var finishedAt: Double?
    /// The training rows of each fold when the trial ran on a seeded subsample of them (nil: all rows).
    public var trainingRows: Int?
    /// Measured milliseconds to predict 1,000 rows with the trial's models (every fold model, as the
    /// ensemble predicts under cross-validation), from the batch prediction of the validation rows.
    public var predictMsPer1000: Double?
    /// Under `--fairness`: the bound's difference over the groups of the trial's validation predictions,
    /// deciding by the more probable class (before any per-group threshold).
    public var disparity: Double?
    /// In a search shared by several processes (`fit --storage`): the worker that ran the trial
    /// (host:process:random); nil otherwise and in older folders.
    public var worker: String?
}

/// The trials of a run, best first, with the ensemble's own score.
public struct Leaderboard: Codable, Sendable, Equatable {
    public var metric: ValidationMetric
    public var entries: [LeaderboardEntry]
    /// The validation score of the weighted ensemble.
    public var ensembleScore: Double?

    /// A metric value for people: losses shown as positive numbers.
    public static func display(_ score: Double, _ metric: ValidationMetric) -> Double {
        switch metric {
        case .logLoss, .rmse, .mae: return -score
        default: return score
        }
    }

    /// The leaderboard as a text table (the best `limit` trials).
    public func table(limit: Int = 15) -> String {
        let ranked = entries.filter { $0.score != nil }.sorted { ($0.score ?? -.infinity) > ($1.score ?? -.infinity) }
        var rows = [["#", "learner", "configuration", metric.rawValue, "fit s", "predict ms/1k rows", "weight"]]
        for e in ranked.prefix(limit) {
            rows.append(["\(e.trial)", e.family.rawValue, String(e.summary.prefix(48)),
                         String(format: "%.4f", Self.display(e.score ?? .nan, metric)),
                         String(format: "%.2f", e.fitSeconds), e.predictMsPer1000.map { String(format: "%.1f", $0) } ?? "",
                         e.weight > 0 ? String(format: "%.2f", e.weight) : ""])
        }
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        var text = rows.map { row in
            row.enumerated().map { c, cell in cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
        if let ensembleScore {
            text += "\nensemble of \(entries.filter { $0.weight > 0 }.count): \(metric.rawValue) " + String(format: "%.4f", Self.display(ensembleScore, metric))
        }
        let failed = entries.count - ranked.count
        text += "\n\(entries.count) trials" + (failed > 0 ? " (\(failed) pruned, failed or skipped)" : "")
        return text + "\n"
    }
}
