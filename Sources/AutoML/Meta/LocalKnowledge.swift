import Foundation
import Store

/// What a fit adds to the local knowledge base: the training table's meta-features and every completed
/// trial's configuration, score and times, under the data's checksum and target (refitting the same table
/// adds to its entry). Never a data row.
public enum LocalKnowledge {
    /// The default local base: `~/.mlforge/knowledge.sqlite`.
    public static var defaultPath: URL {
        FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".mlforge/knowledge.sqlite")
    }

    /// Appends `model`'s run to the base at `url`; returns how many trials it stored.
    @discardableResult
    public static func record(_ model: AutoMLModel, dataHash: String, into url: URL) throws -> Int {
        guard let features = model.metaFeatures else { return 0 }
        let base = try KnowledgeBase(path: url.path)
        let name = "\(dataHash)/\(model.targetName)"
        let results = model.leaderboard.entries.compactMap { e -> KnowledgeBase.Result? in
            guard e.state == .complete, let score = e.score else { return nil }
            return KnowledgeBase.Result(dataset: name, family: e.family.rawValue, configuration: e.configuration, score: score,
                                        fitSeconds: e.fitSeconds, predictMsPer1000: e.predictMsPer1000,
                                        note: e.trainingRows.map { "on a subsample of \($0) training rows" })
        }
        try base.put(KnowledgeBase.Dataset(name: name, source: "fit", task: features.task, features: features.named,
                                           metric: model.metric.rawValue, finished: true))
        try base.add(results)
        return results.count
    }
}
