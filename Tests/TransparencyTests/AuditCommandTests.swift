import Foundation
import Testing
import TestSupport

/// `audit.jsonl` as a hash chain: `mlforge audit` passes an untouched folder, names the line of each kind
/// of tampering, and `--replay` reproduces a trial's recorded fold scores.
@Suite("mlforge audit", .serialized)
struct AuditCommandTests {
    let titanic = Fixtures.repositoryRoot.appendingPathComponent("examples/titanic")

    /// A fitted model folder (one thread, so that trials replay exactly) and a scratch folder.
    func fitted() throws -> (dir: URL, model: URL) {
        let dir = Fixtures.scratch.appendingPathComponent("mlforge-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let model = dir.appendingPathComponent("model")
        let fit = try MLForgeBinary.run(["fit", titanic.appendingPathComponent("train.csv").path, "--target", "survived", "--time", "3",
                                         "--jobs", "1", "--no-card", "--out", model.path])
        #expect(fit.status == 0, "\(fit.stderr)")
        return (dir, model)
    }

    func lines(_ model: URL) throws -> [String] {
        try String(contentsOf: model.appendingPathComponent("audit.jsonl"), encoding: .utf8).split(separator: "\n").map(String.init)
    }

    /// A copy of `model` whose trail is `change`d, and what `mlforge audit` says of it.
    func tampered(_ model: URL, in dir: URL, _ change: (inout [String]) -> Void) throws -> ProcessResult {
        let copy = dir.appendingPathComponent("copy-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: model, to: copy)
        var l = try lines(copy)
        change(&l)
        try (l.joined(separator: "\n") + "\n").write(to: copy.appendingPathComponent("audit.jsonl"), atomically: true, encoding: .utf8)
        return try MLForgeBinary.run(["audit", copy.path])
    }

    @Test("an untouched trail verifies; an edited, removed, moved or relinked record is named by its line")
    func tampering() throws {
        let (dir, model) = try fitted()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ok = try MLForgeBinary.run(["audit", model.path])
        #expect(ok.status == 0, "\(ok.stderr)")
        let l = try lines(model)
        #expect(ok.stdout.contains("audit trail: \(l.count) records, chain intact"))
        #expect(l.first?.contains("\"kind\":\"run\"") == true && l.last?.contains("\"kind\":\"end\"") == true)
        let trial = try #require(l.firstIndex { $0.contains("\"kind\":\"trial\"") && $0.contains("\"foldScores\"") })
        #expect(l.contains { $0.contains("\"kind\":\"ensemble\"") })
        let line = trial + 1  // 1-based

        let edited = try tampered(model, in: dir) { $0[trial] = $0[trial].replacingOccurrences(of: "\"fitSeconds\":", with: "\"fitSeconds\":1") }
        #expect(edited.status == 1 && edited.stderr.contains("record \(line) (line \(line)) was changed"), "\(edited.stderr)")
        let removed = try tampered(model, in: dir) { $0.remove(at: trial) }
        #expect(removed.status == 1 && removed.stderr.contains("line \(line) holds record \(line + 1): record \(line) was removed"), "\(removed.stderr)")
        let moved = try tampered(model, in: dir) { $0.swapAt(trial, trial + 1) }
        #expect(moved.status == 1 && moved.stderr.contains("line \(line) holds record \(line + 1): records were moved"), "\(moved.stderr)")
        let relinked = try tampered(model, in: dir) { l in
            let prev = l[trial].range(of: "\"prev\":\"")!.upperBound
            l[trial].replaceSubrange(prev..<l[trial].index(prev, offsetBy: 1), with: l[trial][prev] == "0" ? "1" : "0")
        }
        #expect(relinked.status == 1 && relinked.stderr.contains("record \(line) (line \(line)) was changed"), "\(relinked.stderr)")
        let last = try tampered(model, in: dir) { $0[$0.count - 1] = $0[$0.count - 1].replacingOccurrences(of: "\"kind\":\"end\"", with: "\"kind\":\"end\" ") }
        #expect(last.status == 1 && last.stderr.contains("the last record (line \(l.count)) was changed"), "\(last.stderr)")
        let truncated = try tampered(model, in: dir) { $0.removeLast() }
        #expect(truncated.status == 1 && truncated.stderr.contains("does not end with its end record"), "\(truncated.stderr)")

        // The chain holds but a model file changed: the folder's checksums catch it.
        let copy = dir.appendingPathComponent("member-changed")
        try FileManager.default.copyItem(at: model, to: copy)
        let board = copy.appendingPathComponent("leaderboard.json")
        try (try String(contentsOf: board, encoding: .utf8) + " ").write(to: board, atomically: true, encoding: .utf8)
        let folder = try MLForgeBinary.run(["audit", copy.path])
        #expect(folder.status == 1 && folder.stderr.contains("the trail holds, but the folder does not") && folder.stderr.contains("leaderboard.json"), "\(folder.stderr)")
        let none = try MLForgeBinary.run(["audit", dir.path])
        #expect(none.status == 1 && none.stderr.contains("no audit.jsonl"))
    }

    @Test("--replay fits a trial again and reproduces its recorded fold scores; a wrong trial or data file is refused")
    func replay() throws {
        let (dir, model) = try fitted()
        defer { try? FileManager.default.removeItem(at: dir) }
        let board = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: model.appendingPathComponent("leaderboard.json"))) as? [String: Any])
        let entries = try #require(board["entries"] as? [[String: Any]])
        // A quick completed trial of each of two families (a cut trial could not be reproduced).
        for family in ["xgboost", "linear"] {
            let trial = try #require(entries.filter { $0["family"] as? String == family && $0["foldScores"] != nil }
                .min { ($0["fitSeconds"] as! Double) < ($1["fitSeconds"] as! Double) }?["trial"] as? Int)
            let replay = try MLForgeBinary.run(["audit", model.path, "--replay", "\(trial)"])
            #expect(replay.status == 0 && replay.stdout.contains("reproduced"), "\(family) trial \(trial): \(replay.stdout) \(replay.stderr)")
            #expect(replay.stdout.contains("fold 4:"))
        }
        let missing = try MLForgeBinary.run(["audit", model.path, "--replay", "99999"])
        #expect(missing.status == 1 && missing.stderr.contains("no trial 99999"))
        let other = try MLForgeBinary.run(["audit", model.path, "--replay", "1", "--data", titanic.appendingPathComponent("test.csv").path])
        #expect(other.status == 1 && other.stderr.contains("is not the file the model was fitted on"))
    }
}
