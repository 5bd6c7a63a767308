import Foundation
import Learners
import MLData
import NN
import Search

/// The saved form of an `AutoMLModel`: a versioned, self-describing folder.
///
///     manifest.json                 format, versions, schema, task, target, classes, metric, seed, data
///                                   hash, the ensemble (members, weights, parts) and every file's CRC-32
///     preprocessing/KEY.json        fitted preprocessing (Codable values)
///     members/N-FAMILY/part-J/      one saved model per part (a ModelBundle folder)
///     leaderboard.json              every trial: learner, configuration, score, fit time, weight
///     search/FAMILY.sqlite          the search's trial stores (one study per family)
///     nas/history.csv, search.json  after `mlforge nas`: every trial over time, the Pareto front, the choice
///
/// The folder is written under a temporary name and renamed into place; loading checks the format
/// version and every checksum, and reads only numbers, trees and JSON — it never executes code.
public enum Artifact {
    /// 2: tree members may read categorical columns as level codes (`ColumnEncoding.categoryCode`), which
    /// MLForge before 2 cannot decode; this MLForge still reads version 1.
    public static let formatVersion = 2
    public static let format = "mlforge-artifact"

    struct Manifest: Codable {
        struct Part: Codable { var key: String; var folder: String }
        struct Member: Codable {
            var family: LearnerFamily
            var weight: Double
            var summary: String
            var trial: Int
            var configuration: Configuration
            /// Set when the member was fitted on a subsample of the rows (absent in older folders).
            var trainingRows: Int?
            var parts: [Part]
        }
        struct File: Codable { var bytes: Int; var crc32: UInt32 }
        var format: String
        var version: Int
        var mlforgeVersion: String
        var created: String
        var task: PredictionTask
        var target: String
        var classes: [String]
        var metric: ValidationMetric
        var seed: UInt64
        var dataHash: String?
        /// The search policy of the run (absent in folders written before policies were recorded).
        var policy: SearchPolicy?
        /// The training table's meta-features and what the fit took from the prior (absent in older folders).
        var metaFeatures: MetaFeatures?
        var prior: PriorUse?
        /// What the user set for the run (absent in older folders).
        var constraints: RunConstraints?
        /// The decision threshold per group that meets a fairness bound (absent when none or in older folders).
        var fairness: GroupThresholds?
        /// The decision threshold of a binary model whose metric only ranks (absent when none or in older folders).
        var decisionThreshold: DecisionThreshold?
        /// The teacher of a distilled model (absent for others and in older folders).
        var distillation: DistillationRecord?
        /// What self-training did (absent without unlabeled rows and in older folders).
        var selfTraining: SelfTrainingRecord?
        var schema: [InputColumn]
        var members: [Member]
        var files: [String: File]
    }

    /// Writes `model` as the folder `directory` (atomically); the files of `searchStore` (the run's
    /// trial stores) are copied into `search/`.
    public static func save(_ model: AutoMLModel, to directory: URL, mlforgeVersion: String, searchStore: URL? = nil,
                            extraFiles: [String: Data] = [:]) throws {
        // Fitted values may hold NaN (missing values left to the trees) and infinities.
        let encoder = ArtifactJSON.encoder()
        try AtomicFolder.write(to: directory) { staging in
            let fm = FileManager.default
            try fm.createDirectory(at: staging.appendingPathComponent("preprocessing"), withIntermediateDirectories: true)
            try fm.createDirectory(at: staging.appendingPathComponent("members"), withIntermediateDirectories: true)
            for (key, p) in model.preprocessors {
                try encoder.encode(p).write(to: staging.appendingPathComponent("preprocessing/\(key).json"))
            }
            var members: [Manifest.Member] = []
            for (i, m) in model.members.enumerated() {
                var parts: [Manifest.Part] = []
                for (j, part) in m.models.enumerated() {
                    let folder = "members/\(i)-\(m.family.rawValue)/part-\(j)"
                    try fm.createDirectory(at: staging.appendingPathComponent(folder).deletingLastPathComponent(), withIntermediateDirectories: true)
                    try part.model.bundle().write(to: staging.appendingPathComponent(folder))
                    parts.append(.init(key: part.key, folder: folder))
                }
                members.append(.init(family: m.family, weight: m.weight, summary: m.summary, trial: m.trial,
                                     configuration: m.configuration, trainingRows: m.trainingRows, parts: parts))
            }
            try encoder.encode(model.leaderboard).write(to: staging.appendingPathComponent("leaderboard.json"))
            if let searchStore, let files = try? fm.contentsOfDirectory(atPath: searchStore.path), !files.isEmpty {
                let search = staging.appendingPathComponent("search")
                try fm.createDirectory(at: search, withIntermediateDirectories: true)
                for file in files.sorted() where !file.hasPrefix(".") {
                    try fm.copyItem(at: searchStore.appendingPathComponent(file), to: search.appendingPathComponent(file))
                }
            }
            for (path, data) in extraFiles.sorted(by: { $0.key < $1.key }) {
                precondition(!path.contains("..") && !path.hasPrefix("/"), "extra artifact files stay inside the folder")
                let url = staging.appendingPathComponent(path)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url)
            }
            let manifest = Manifest(
                format: format, version: formatVersion, mlforgeVersion: mlforgeVersion,
                created: ISO8601DateFormatter().string(from: Date()), task: model.task, target: model.targetName,
                classes: model.classes, metric: model.metric, seed: model.seed, dataHash: model.dataHash, policy: model.policy,
                metaFeatures: model.metaFeatures, prior: model.prior, constraints: model.constraints, fairness: model.fairness, decisionThreshold: model.decisionThreshold, distillation: model.distillation, selfTraining: model.selfTraining, schema: model.schema, members: members,
                files: try checksums(of: staging))
            // The manifest last: a folder without one is never taken for a model.
            try encoder.encode(manifest).write(to: staging.appendingPathComponent("manifest.json"))
        }
    }

    /// Files that are renderings of what the folder holds, not part of the model: the model card, which
    /// `mlforge card` rewrites (with test figures, or new notes) from the checksummed evidence. The
    /// manifest does not list them.
    public static let renderings: Set<String> = ["card.html", "card.md", "card/notes.md"]

    /// Every file under `root` but the renderings (relative path → size and CRC-32).
    static func checksums(of root: URL) throws -> [String: Manifest.File] {
        var out: [String: Manifest.File] = [:]
        let fm = FileManager.default
        guard let walker = fm.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return out }
        let base = root.standardizedFileURL.path
        for case let url as URL in walker {
            guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
            let path = String(url.standardizedFileURL.path.dropFirst(base.count + 1))
            guard !renderings.contains(path) else { continue }
            let bytes = try [UInt8](Data(contentsOf: url))
            out[path] = .init(bytes: bytes.count, crc32: CRC32.checksum(bytes))
        }
        return out
    }

    /// The manifest without its policy, and the run's policy read on its own. Values the stored policy
    /// lacks (added to MLForge after the folder was written) read as the standard ones; a policy that
    /// cannot be read at all is left out, since predicting does not need it.
    static func splittingPolicy(_ data: Data) throws -> (manifest: Data, policy: SearchPolicy?) {
        guard var object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { return (data, nil) }
        let policy = object.removeValue(forKey: "policy")
            .flatMap { try? JSONSerialization.data(withJSONObject: $0) }
            .flatMap { try? SearchPolicy.decode($0) }
        return (try JSONSerialization.data(withJSONObject: object), policy)
    }

    /// Checks every file the manifest of `directory` lists against its size and CRC-32 (what loading
    /// checks first), and returns how many files it checked.
    @discardableResult
    public static func verify(_ directory: URL) throws -> Int {
        let url = directory.appendingPathComponent("manifest.json")
        guard let data = try? Data(contentsOf: url) else {
            throw AutoMLError.unreadableArtifact("\(directory.path) has no manifest.json: it is not an MLForge model folder (or its save did not finish)")
        }
        guard let manifest = try? JSONDecoder().decode(Manifest.self, from: Self.splittingPolicy(data).manifest) else {
            throw AutoMLError.unreadableArtifact("\(url.path) is damaged or not an MLForge manifest")
        }
        try verify(manifest, in: directory)
        return manifest.files.count
    }

    static func verify(_ manifest: Manifest, in directory: URL) throws {
        for (path, entry) in manifest.files.sorted(by: { $0.key < $1.key }) {
            guard !path.contains(".."), let bytes = try? [UInt8](Data(contentsOf: directory.appendingPathComponent(path))) else {
                throw AutoMLError.unreadableArtifact("the file \(path) listed in the manifest is missing: the model folder is incomplete")
            }
            guard bytes.count == entry.bytes, CRC32.checksum(bytes) == entry.crc32 else {
                throw AutoMLError.unreadableArtifact("the file \(path) is corrupted (its size or checksum differs from the manifest)")
            }
        }
    }

    /// Reads a model saved by `save`, checking format, version and every file's checksum.
    public static func load(from directory: URL) throws -> AutoMLModel {
        let manifestURL = directory.appendingPathComponent("manifest.json")
        guard FileManager.default.fileExists(atPath: directory.path) else {
            throw AutoMLError.unreadableArtifact("\(directory.path) does not exist; give the folder that `mlforge fit --out` wrote")
        }
        guard let data = try? Data(contentsOf: manifestURL) else {
            throw AutoMLError.unreadableArtifact("\(directory.path) has no manifest.json: it is not an MLForge model folder (or its save did not finish)")
        }
        var manifest: Manifest
        do {
            let parts = try Self.splittingPolicy(data)
            manifest = try JSONDecoder().decode(Manifest.self, from: parts.manifest)
            manifest.policy = parts.policy
        } catch {
            throw AutoMLError.unreadableArtifact("\(manifestURL.path) is damaged or not an MLForge manifest")
        }
        guard manifest.format == format else { throw AutoMLError.unreadableArtifact("\(manifestURL.path) is not an MLForge model manifest") }
        guard manifest.version <= formatVersion else {
            throw AutoMLError.unreadableArtifact("the model has format version \(manifest.version) (MLForge \(manifest.mlforgeVersion)); this MLForge reads up to \(formatVersion): upgrade MLForge")
        }
        try verify(manifest, in: directory)
        let decoder = ArtifactJSON.decoder()
        do {
            var preprocessors: [String: FittedPreprocessor] = [:]
            var members: [EnsembleMember] = []
            for m in manifest.members {
                var models: [(key: String, model: any FittedModel)] = []
                for part in m.parts {
                    let url = directory.appendingPathComponent("preprocessing/\(part.key).json")
                    if preprocessors[part.key] == nil {
                        preprocessors[part.key] = try decoder.decode(FittedPreprocessor.self, from: Data(contentsOf: url))
                    }
                    models.append((part.key, try LearnerFamily.model(from: ModelBundle.read(from: directory.appendingPathComponent(part.folder)))))
                }
                members.append(EnsembleMember(family: m.family, weight: m.weight, summary: m.summary, trial: m.trial,
                                              configuration: m.configuration, trainingRows: m.trainingRows, models: models))
            }
            let board = try decoder.decode(Leaderboard.self, from: Data(contentsOf: directory.appendingPathComponent("leaderboard.json")))
            return AutoMLModel(schema: manifest.schema, targetName: manifest.target, task: manifest.task, classes: manifest.classes,
                               metric: manifest.metric, seed: manifest.seed, preprocessors: preprocessors, members: members,
                               leaderboard: board, dataHash: manifest.dataHash, policy: manifest.policy,
                               metaFeatures: manifest.metaFeatures, prior: manifest.prior, constraints: manifest.constraints,
                               fairness: manifest.fairness, decisionThreshold: manifest.decisionThreshold, distillation: manifest.distillation, selfTraining: manifest.selfTraining)
        } catch let e as AutoMLError {
            throw e
        } catch {
            throw AutoMLError.unreadableArtifact("a file of the model could not be read: \(error)")
        }
    }
}

extension AutoMLModel {
    /// Saves the model as an artifact folder (see `Artifact`).
    public func save(to directory: URL, mlforgeVersion: String = AutoMLModel.version, searchStore: URL? = nil,
                     extraFiles: [String: Data] = [:]) throws {
        try Artifact.save(self, to: directory, mlforgeVersion: mlforgeVersion, searchStore: searchStore, extraFiles: extraFiles)
    }

    /// Loads a model saved by `save(to:)`.
    public static func load(from directory: URL) throws -> AutoMLModel { try Artifact.load(from: directory) }

    /// The MLForge version written into artifacts.
    public static let version = "0.2.0"
}
