import Foundation
import GRDB
import Search

/// What MLForge has learned from the datasets it has seen, in a SQLite file (GRDB, write-ahead log): per
/// dataset its meta-features, and per configuration tried on it the per-fold validation scores, the fit
/// and predict times and (for the corpus protocol) the out-of-fold predictions. Never a data row.
///
/// `mlforge meta build` fills one from a corpus (source `corpus`), resumably: a dataset is `finished` once
/// every configuration of the protocol is stored, and a restarted build skips the stored ones. Every `fit`
/// appends its own (source `fit`) to the local base, which the next fit reads beside the shipped prior.
public final class KnowledgeBase: @unchecked Sendable {
    private let pool: DatabasePool
    public let path: String

    /// A dataset the base knows: its name, where it came from, its task and meta-features.
    public struct Dataset: Codable, Sendable, Equatable {
        public var name: String
        /// `corpus` (the meta-build protocol) or `fit` (a user's run).
        public var source: String
        /// `binary`, `multiclass` or `regression`.
        public var task: String
        public var features: [String: Double]
        /// The metric its scores are in (higher is better).
        public var metric: String
        /// Every configuration of the protocol is stored (a fit's entry is finished when written).
        public var finished: Bool
        public var recorded: Date

        public init(name: String, source: String, task: String, features: [String: Double], metric: String,
                    finished: Bool = false, recorded: Date = Date()) {
            self.name = name
            self.source = source
            self.task = task
            self.features = features
            self.metric = metric
            self.finished = finished
            self.recorded = recorded
        }
    }

    /// One configuration on one dataset.
    public struct Result: Codable, Sendable, Equatable {
        public var dataset: String
        public var family: String
        /// The protocol entry it is (`xgboost#s3`, see the meta-build protocol); nil for a fit's own trial.
        public var entry: String?
        public var configuration: Search.Configuration
        /// The validation score over all validated rows (nil: the fit failed or ran out of time).
        public var score: Double?
        public var foldScores: [Double]
        public var fitSeconds: Double
        public var predictMsPer1000: Double?
        public var memoryBytes: Int?
        /// The out-of-fold predictions, row-major (a row's class probabilities, or its value), in the order
        /// of the dataset's validated rows; empty when not kept.
        public var predictions: [Float]
        public var note: String?

        public init(dataset: String, family: String, entry: String? = nil, configuration: Search.Configuration, score: Double?,
                    foldScores: [Double] = [], fitSeconds: Double, predictMsPer1000: Double? = nil,
                    memoryBytes: Int? = nil, predictions: [Float] = [], note: String? = nil) {
            self.dataset = dataset
            self.family = family
            self.entry = entry
            self.configuration = configuration
            self.score = score
            self.foldScores = foldScores
            self.fitSeconds = fitSeconds
            self.predictMsPer1000 = predictMsPer1000
            self.memoryBytes = memoryBytes
            self.predictions = predictions
            self.note = note
        }

        /// The key a result is stored under: its protocol entry, or its family and values in sorted order.
        public var key: String { entry ?? Self.key(family: family, configuration) }

        public static func key(family: String, _ configuration: Search.Configuration) -> String {
            family + "|" + configuration.keys.sorted().map { "\($0)=\(configuration[$0]!)" }.joined(separator: ",")
        }
    }

    /// Opens (creating if needed) the base at `path`; the folder it is in is created too.
    public init(path: String) throws {
        self.path = path
        do {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            pool = try DatabasePool(path: path, configuration: SQLiteSettings.configuration)
            try pool.write { db in
                try db.execute(sql: """
                    CREATE TABLE IF NOT EXISTS datasets (
                        name TEXT PRIMARY KEY, source TEXT NOT NULL, payload TEXT NOT NULL, finished INTEGER NOT NULL);
                    CREATE TABLE IF NOT EXISTS results (
                        dataset TEXT NOT NULL REFERENCES datasets(name), key TEXT NOT NULL, payload TEXT NOT NULL,
                        predictions BLOB, PRIMARY KEY (dataset, key));
                    """)
            }
        } catch {
            throw SearchError.invalidState("cannot open the knowledge base at '\(path)': \(error); pass another path with --knowledge, or --no-learn")
        }
    }

    private static var encoder: JSONEncoder { StoreCoding.encoder }
    private static var decoder: JSONDecoder { StoreCoding.decoder }

    /// Adds or replaces a dataset's entry (its results stay).
    public func put(_ dataset: Dataset) throws {
        let payload = String(decoding: try Self.encoder.encode(dataset), as: UTF8.self)
        try pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO datasets (name, source, payload, finished) VALUES (?, ?, ?, ?)",
                           arguments: [dataset.name, dataset.source, payload, dataset.finished])
        }
    }

    /// Stores results (replacing those of the same dataset and configuration), in one transaction.
    public func add(_ results: [Result]) throws {
        try pool.write { db in
            for r in results {
                var bare = r
                bare.predictions = []
                let payload = String(decoding: try Self.encoder.encode(bare), as: UTF8.self)
                let blob = r.predictions.isEmpty ? nil : r.predictions.withUnsafeBufferPointer { Data(buffer: $0) }
                try db.execute(sql: "INSERT OR REPLACE INTO results (dataset, key, payload, predictions) VALUES (?, ?, ?, ?)",
                               arguments: [r.dataset, r.key, payload, blob])
            }
        }
    }

    /// Every dataset, by name.
    public func datasets() throws -> [Dataset] {
        let payloads = try pool.read { db in try String.fetchAll(db, sql: "SELECT payload FROM datasets ORDER BY name") }
        return try payloads.map { try Self.decoder.decode(Dataset.self, from: Data($0.utf8)) }
    }

    /// The keys of the results stored for `dataset` (what a resumed build skips).
    public func resultKeys(dataset: String) throws -> Set<String> {
        Set(try pool.read { db in try String.fetchAll(db, sql: "SELECT key FROM results WHERE dataset = ?", arguments: [dataset]) })
    }

    /// The results of `dataset` (every dataset's when nil); out-of-fold predictions only when asked for.
    public func results(dataset: String? = nil, withPredictions: Bool = false) throws -> [Result] {
        let rows = try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT payload, \(withPredictions ? "predictions" : "NULL") AS p FROM results"
                             + (dataset == nil ? "" : " WHERE dataset = ?") + " ORDER BY dataset, key",
                             arguments: dataset.map { [$0] } ?? [])
        }
        return try rows.map { row in
            var r = try Self.decoder.decode(Result.self, from: Data((row["payload"] as String).utf8))
            if let blob = row["p"] as Data? {
                r.predictions = blob.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            }
            return r
        }
    }

    /// Marks `dataset` finished (every configuration of the protocol is stored).
    public func finish(_ name: String) throws {
        guard var d = try datasets().first(where: { $0.name == name }) else { return }
        d.finished = true
        try put(d)
    }
}
