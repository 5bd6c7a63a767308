import Foundation
import Support

/// The folder `mlforge discover sorting-network --out DIR` writes, atomically:
///
/// - `network.json`: the best network (`ComparatorNetwork`'s JSON);
/// - `certificate.json`: what the exhaustive 0-1 check found (`SortingCertificate`);
/// - `SortN.swift`: the branchless Swift sort (`SwiftSortEmitter`);
/// - `front.json`: every (size, depth) pair found that no other beats on both, as networks;
/// - `search.json`: the request, the evaluations, the time and each improvement.
public enum DiscoveryFolder {
    /// Writes `result` into `directory`. An existing folder is replaced only when it is an earlier
    /// discovery folder (it holds `network.json`) or empty.
    public static func write(_ result: NetworkSearchResult, to directory: URL) throws {
        try guardReplaceable(directory)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let pretty = JSONEncoder()
        pretty.outputFormatting = [.prettyPrinted, .sortedKeys]
        let n = result.best.channels
        var emitter = SwiftSortEmitter()
        emitter.provenance = "Found by `mlforge discover sorting-network --n \(n) --objective \(result.options.objective.rawValue) --strategy \(result.options.strategy.rawValue) --seed \(result.options.seed)`; certificate.json."
        let summary = SearchSummary(result)
        try AtomicFolder.write(to: directory) { staging in
            try result.best.json().write(to: staging.appendingPathComponent("network.json"))
            try pretty.encode(result.certificate).write(to: staging.appendingPathComponent("certificate.json"))
            try Data(emitter.file(for: result.best).utf8).write(to: staging.appendingPathComponent("Sort\(n).swift"))
            try encoder.encode(result.front).write(to: staging.appendingPathComponent("front.json"))
            try pretty.encode(summary).write(to: staging.appendingPathComponent("search.json"))
        }
    }

    static func guardReplaceable(_ directory: URL, marker: String = "network.json") throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw DiscoveryError.invalidRequest("--out \(directory.path) is a file; name a folder to write")
        }
        let content = (try? fm.contentsOfDirectory(atPath: directory.path)) ?? []
        if !content.isEmpty && !content.contains(marker) {
            throw DiscoveryError.invalidRequest("--out \(directory.path) holds other files (it is not an earlier discovery folder); name a new or empty folder")
        }
    }

    /// `search.json`.
    struct SearchSummary: Codable {
        var n: Int
        var objective: String
        var strategy: String
        var seed: UInt64
        var jobs: Int
        var budgetSeconds: Double
        var seconds: Double
        var secondsToBest: Double
        var evaluations: Int
        var size: Int
        var depth: Int
        var knownSize: Int?
        var knownSizeIsOptimal: Bool?
        var knownDepth: Int?
        var improvements: [NetworkSearchResult.Improvement]

        init(_ r: NetworkSearchResult) {
            n = r.best.channels
            objective = r.options.objective.rawValue
            strategy = r.options.strategy.rawValue
            seed = r.options.seed
            jobs = r.options.jobs
            budgetSeconds = r.options.seconds
            seconds = r.seconds
            secondsToBest = r.secondsToBest
            evaluations = r.evaluations
            size = r.best.size
            depth = r.best.depth
            knownSize = r.known?.size
            knownSizeIsOptimal = r.known?.sizeIsOptimal
            knownDepth = r.known?.depth
            improvements = r.improvements
        }
    }
}
