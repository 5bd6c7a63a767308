import Foundation
import Store

/// `mlforge meta show`: what a knowledge base holds, as text — its datasets by source and task, its
/// results, and which family's best configuration won on how many datasets.
public enum KnowledgeSummary {
    public static func text(_ base: KnowledgeBase) throws -> String {
        let datasets = try base.datasets()
        let results = try base.results()
        var lines = ["knowledge base \(base.path)"]
        if datasets.isEmpty { return (lines + ["empty: `mlforge fit` adds to it, `mlforge meta build` fills one from a corpus"]).joined(separator: "\n") }
        for source in Set(datasets.map(\.source)).sorted() {
            let these = datasets.filter { $0.source == source }
            let tasks = Dictionary(grouping: these, by: \.task).map { "\($0.value.count) \($0.key)" }.sorted().joined(separator: ", ")
            let unfinished = these.filter { !$0.finished }.count
            lines.append("\(source): \(these.count) datasets (\(tasks))\(unfinished > 0 ? ", \(unfinished) not finished" : "")")
        }
        let byDataset = Dictionary(grouping: results, by: \.dataset)
        let failed = results.filter { $0.score == nil }.count
        lines.append("\(results.count) results (\(failed) failed or cut), \(String(format: "%.0f", results.map(\.fitSeconds).reduce(0, +))) s of fitting")
        var wins: [String: Int] = [:]
        for (_, rs) in byDataset {
            if let best = rs.filter({ $0.score != nil }).max(by: { $0.score! < $1.score! }) { wins[best.family, default: 0] += 1 }
        }
        lines.append("best family per dataset: " + wins.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        let recent = datasets.filter { $0.source == "fit" }.sorted { $0.recorded > $1.recorded }.prefix(5)
        for d in recent {
            let best = (byDataset[d.name] ?? []).compactMap(\.score).max()
            lines.append("  fit \(d.name): \(d.task), \(Int(d.features["rows"] ?? 0)) rows, \(byDataset[d.name]?.count ?? 0) trials, best \(d.metric) \(best.map { String(format: "%.4f", $0) } ?? "-")")
        }
        return lines.joined(separator: "\n")
    }
}
