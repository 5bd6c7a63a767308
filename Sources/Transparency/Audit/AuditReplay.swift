import AutoML
import Foundation
import MLData

/// `mlforge audit MODEL --replay N`: trial N fitted again on the training file (checked against the
/// recorded checksum), with its fold scores beside the recorded ones.
public struct AuditReplay: Sendable {
    public var trial: Int
    public var recorded: [Double]
    public var replayed: [Double]
    /// Equal to the last printed digit (1e-12).
    public var equal: Bool { recorded.count == replayed.count && zip(recorded, replayed).allSatisfy { abs($0 - $1) <= 1e-12 } }

    public var text: String {
        var s = "trial \(trial): fold scores recorded / replayed\n"
        for (i, (a, b)) in zip(recorded, replayed).enumerated() {
            s += String(format: "  fold %d: %.12f / %.12f%@\n", i, a, b, abs(a - b) <= 1e-12 ? "" : String(format: "  (differs by %.3g)", b - a))
        }
        return s + (equal ? "reproduced\n" : "not reproduced: the trial may have been cut at its deadline, or fitted on other threads (--jobs)\n")
    }

    public static func run(_ folder: URL, trial: Int, data: String?, threads: Int) throws -> AuditReplay {
        let model = try AutoMLModel.load(from: folder)
        guard let entry = model.leaderboard.entries.first(where: { $0.trial == trial }) else {
            let numbers = model.leaderboard.entries.map(\.trial)
            throw AutoMLError.invalidInput("the run has no trial \(trial); its trials are \(numbers.min() ?? 0) to \(numbers.max() ?? 0)")
        }
        guard let recorded = entry.foldScores, entry.state == .complete else {
            throw AutoMLError.invalidInput("trial \(trial) did not complete (\(entry.state)\(entry.note.map { ": \($0)" } ?? "")): it has no scores to reproduce")
        }
        let path = try data ?? recordedDataFile(folder)
        let (frame, crc) = try CSVReader.readWithChecksum(path: path)
        if let hash = model.dataHash, DataHash.format(crc) != hash {
            throw AutoMLError.invalidInput("\(path) is not the file the model was fitted on (its checksum is \(DataHash.format(crc)), the model's \(hash)); give that file with --data")
        }
        let replayed = try AutoML.replay(entry, of: model, frame: frame, threads: threads)
        return AuditReplay(trial: trial, recorded: recorded, replayed: replayed)
    }

    /// The training file the trail's run record names.
    static func recordedDataFile(_ folder: URL) throws -> String {
        let data = try Data(contentsOf: folder.appendingPathComponent(AuditTrail.file))
        guard let first = data.split(separator: 0x0A).first,
              let record = try? ArtifactJSON.decoder().decode(AuditRecord.self, from: Data(first)), let run = record.run else {
            throw AutoMLError.invalidInput("the audit trail names no training file; give it with --data")
        }
        guard FileManager.default.fileExists(atPath: run.dataFile) else {
            throw AutoMLError.invalidInput("the training file \(run.dataFile) the trail names is not there; give it with --data")
        }
        return run.dataFile
    }
}
