import Foundation
import Learners

/// A trial's result as a process publishes it on its shared study: the leaderboard entry, the
/// out-of-fold predictions (for ensemble selection), and, as attributes of their own, the fold models
/// (read only for the trials the coordinator keeps as candidates).
struct PublishedOutcome: Codable {
    static let key = "outcome"
    static func modelKey(_ fold: Int) -> String { "model-\(fold)" }

    var entry: LeaderboardEntry
    /// The predictions of the validated rows: flat values, and the classes per row (0: regression).
    var validation: [Double]?
    var classes: Int
    var apriori: Bool
    var reusedData: Bool
    /// The preprocessing key of each fold model, in fold order.
    var modelKeys: [String]
    /// When the trial ended, by the study's server's clock, so the coordinator can place it on its own
    /// run's time line.
    var finished: Date

    init(_ outcome: TrialOutcome, finished: Date) {
        entry = outcome.entry
        switch outcome.validation {
        case .probabilities(let p, let k)?: validation = p; classes = k
        case .values(let v)?: validation = v; classes = 0
        case nil: validation = nil; classes = 0
        }
        apriori = outcome.apriori
        reusedData = outcome.reusedData
        modelKeys = outcome.models.map(\.key)
        self.finished = finished
    }

    /// The outcome without its models (`models` reads them).
    var outcome: TrialOutcome {
        let predictions = validation.map { classes > 0 ? Predictions.probabilities($0, classes: classes) : .values($0) }
        return TrialOutcome(entry: entry, validation: predictions, models: [], apriori: apriori, reusedData: reusedData)
    }

    /// The attributes to set on the trial: the outcome, and each fold model.
    static func attributes(of outcome: TrialOutcome, finished: Date) throws -> [(String, Data)] {
        var out = [(key, try JSONEncoder().encode(PublishedOutcome(outcome, finished: finished)))]
        for (i, m) in outcome.models.enumerated() {
            out.append((modelKey(i), try JSONEncoder().encode(BundleData(try m.model.bundle()))))
        }
        return out
    }

    /// The fold models from the trial's attributes.
    func models(from attributes: [String: Data]) throws -> [(key: String, model: any FittedModel)] {
        try modelKeys.enumerated().map { i, key in
            guard let data = attributes[Self.modelKey(i)] else {
                throw AutoMLError.noModel("trial \(entry.trial) of \(entry.worker ?? "a worker") published no model for fold \(i)")
            }
            return (key, try LearnerFamily.model(from: try JSONDecoder().decode(BundleData.self, from: data).bundle))
        }
    }
}

/// A `ModelBundle` as bytes for a study attribute.
struct BundleData: Codable {
    var family: LearnerFamily
    var version: Int
    var parts: [String: Data]

    init(_ bundle: ModelBundle) {
        family = bundle.family
        version = bundle.version
        parts = bundle.parts.mapValues { Data($0) }
    }

    var bundle: ModelBundle { ModelBundle(family: family, parts: parts.mapValues { [UInt8]($0) }, version: version) }
}
