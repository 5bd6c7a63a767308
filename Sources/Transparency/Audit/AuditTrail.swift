import AutoML
import Crypto
import Foundation

/// The record of every decision of a run, as a hash chain: `audit.jsonl` in the model folder, one JSON
/// record a line, each carrying the SHA-256 of the line before it. `verify` walks the chain and the
/// folder's checksums and names the first line that breaks.
public enum AuditTrail {
    public static let file = "audit.jsonl"
    public static let genesis = String(repeating: "0", count: 64)

    /// The trail of a fitted model: the run, the plan, every trial (by number), the skips, the decisions
    /// after the search, the ensemble, and the end.
    public static func make(_ model: AutoMLModel, record: FitRecord) throws -> Data {
        var records: [AuditRecord] = []
        func add(_ kind: AuditRecord.Kind, _ fill: (inout AuditRecord) -> Void = { _ in }) {
            var r = AuditRecord(seq: records.count + 1, kind: kind, prev: "")
            fill(&r)
            records.append(r)
        }
        add(.run) {
            $0.run = .init(mlforge: AutoMLModel.version, dataFile: URL(fileURLWithPath: record.dataPath).standardizedFileURL.path, dataHash: model.dataHash, rows: record.training.rowCount,
                           target: model.targetName, task: model.task, classes: model.classes, metric: model.metric, seed: model.seed,
                           validation: model.validation?.scheme, settings: model.constraints, policy: model.policy)
        }
        for line in record.plan { add(.plan) { $0.text = line } }
        for entry in model.leaderboard.entries.sorted(by: { $0.trial < $1.trial }) {
            add(.trial) { $0.trial = entry; $0.seed = model.seed &+ UInt64(entry.trial) }
        }
        for line in record.skipped { add(.skipped) { $0.text = line } }
        for line in record.phases { add(.phase) { $0.text = line } }
        add(.ensemble) {
            $0.members = model.members.map { .init(trial: $0.trial, family: $0.family, weight: $0.weight, models: $0.modelCount) }
            $0.score = model.leaderboard.ensembleScore
        }
        add(.end) { $0.records = records.count }
        let encoder = ArtifactJSON.encoder(pretty: false)
        var out = Data()
        var prev = genesis
        for var r in records {
            r.prev = prev
            let line = try encoder.encode(r)
            prev = sha256(line)
            out.append(line)
            out.append(0x0A)
        }
        return out
    }

    /// The hex SHA-256 of `bytes`.
    public static func sha256(_ bytes: Data) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// What `verify` found.
    public struct Report: Sendable {
        public var records: Int
        /// The SHA-256 of the last line: keep it to tell later whether the trail was rewritten.
        public var head: String
        public var filesChecked: Int
    }

    /// Checks the trail of `folder` line by line (each line's `prev` is the SHA-256 of the line before,
    /// its `seq` its line number, the last is an `end` that counts them), then every file against the
    /// manifest. Throws `AuditError` naming the first line that breaks.
    public static func verify(_ folder: URL) throws -> Report {
        let url = folder.appendingPathComponent(file)
        guard let data = try? Data(contentsOf: url) else {
            throw AuditError(line: nil, message: "\(folder.path) has no \(file): the model was fitted before audit trails, or it is not an MLForge model folder")
        }
        var lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard !lines.isEmpty else { throw AuditError(line: nil, message: "\(file) is empty") }
        let decoder = ArtifactJSON.decoder()
        var records: [AuditRecord] = []
        for (i, bytes) in lines.enumerated() {
            guard let r = try? decoder.decode(AuditRecord.self, from: Data(bytes)) else {
                throw AuditError(line: i + 1, message: "line \(i + 1) is not an audit record (damaged or edited by hand)")
            }
            records.append(r)
        }
        let hashes = lines.map { sha256(Data($0)) }
        for (i, r) in records.enumerated() {
            let n = i + 1
            if r.seq != n {
                let moved = records.contains { $0.seq == n }
                throw AuditError(line: n, message: "line \(n) holds record \(r.seq): " + (moved ? "records were moved" : r.seq > n ? "record \(n) was removed" : "a record was copied"))
            }
            let expected = i == 0 ? genesis : hashes[i - 1]
            if r.prev != expected {
                // Either the line before changed (then this line's own hash is still the one the next line
                // holds), or this line's link was edited.
                let thisIntact = i + 1 < records.count && records[i + 1].prev == hashes[i]
                let culprit = thisIntact && i > 0 ? n - 1 : n
                throw AuditError(line: culprit, message: "record \(culprit) (line \(culprit)) was changed: the chain breaks between lines \(n - 1) and \(n)")
            }
        }
        let prev = hashes.last!
        let last = records.last
        guard let last, last.kind == .end, last.records == lines.count - 1 else {
            throw AuditError(line: lines.count, message: "the trail does not end with its end record: records after line \(lines.count - 1) were removed or added")
        }
        let checked: Int
        do { checked = try Artifact.verify(folder) } catch {
            let crc = (error as? AutoMLError).map { "\($0)" } ?? "\(error)"
            if crc.contains(file) {
                throw AuditError(line: lines.count, message: "the chain holds but \(file) differs from the manifest's checksum: the last record (line \(lines.count)) was changed")
            }
            throw AuditError(line: nil, message: "the trail holds, but the folder does not: \(crc)")
        }
        return Report(records: lines.count, head: prev, filesChecked: checked)
    }
}

/// A broken audit trail: the first line that breaks (nil when the trail is missing or the folder is
/// broken elsewhere) and what is wrong.
public struct AuditError: Error, CustomStringConvertible, Sendable {
    public var line: Int?
    public var message: String
    public var description: String { "audit failed: " + message }
}
