import Foundation
import Testing
import TestSupport

/// `mlforge fit --unlabeled` end to end on the bundled titanic example, and its refusals.
@Suite("mlforge fit --unlabeled", .serialized)
struct SelfTrainCommandTests {
    let examples = Fixtures.repositoryRoot.appendingPathComponent("examples")

    @Test("150 labelled rows and the others unlabeled: a model folder whose manifest and card say what self-training did")
    func endToEnd() throws {
        let dir = Fixtures.scratch.appendingPathComponent("mlforge-selftrain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let lines = try String(contentsOfFile: examples.appendingPathComponent("titanic/train.csv").path, encoding: .utf8)
            .split(separator: "\n").map(String.init)
        #expect(lines[0].hasSuffix(",survived"))
        let labelled = dir.appendingPathComponent("labelled.csv").path, unlabeled = dir.appendingPathComponent("unlabeled.csv").path
        try (lines.prefix(151).joined(separator: "\n") + "\n").write(toFile: labelled, atomically: true, encoding: .utf8)
        // The unlabeled rows without their last column, the target.
        let dropped = lines.dropFirst(151).map { String($0[..<$0.lastIndex(of: ",")!]) }
        try (([String(lines[0][..<lines[0].lastIndex(of: ",")!])] + dropped).joined(separator: "\n") + "\n")
            .write(toFile: unlabeled, atomically: true, encoding: .utf8)
        let model = dir.appendingPathComponent("model").path
        let started = Date()
        let fit = try MLForgeBinary.run(["fit", labelled, "--target", "survived", "--unlabeled", unlabeled, "--time", "6", "--out", model,
                                         "--no-learn", "--test", examples.appendingPathComponent("titanic/test.csv").path])
        let took = Date().timeIntervalSince(started)
        #expect(fit.status == 0, "\(fit.stderr)")
        #expect(took <= 1.05 * 6 + 1, "the 6 s budget was overrun: \(took) s; its log:\n\(fit.stderr)")
        #expect(fit.stderr.contains("self-training round 1"), "\(fit.stderr)")
        #expect(fit.stdout.contains("test: accuracy"))
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model).appendingPathComponent("manifest.json"))) as? [String: Any])
        let record = try #require(manifest["selfTraining"] as? [String: Any])
        #expect(record["unlabeledRows"] as? Int == dropped.count)
        let rounds = try #require(record["rounds"] as? [[String: Any]])
        #expect(rounds.count >= 2 && rounds.filter { $0["kept"] as? Bool == true }.count == 1)
        let card = try String(contentsOfFile: model + "/card.md", encoding: .utf8)
        #expect(card.contains("self-training"), "the card does not mention self-training")

        // Refusals: a clear reason and exit 1.
        let lacking = dir.appendingPathComponent("lacking.csv").path
        try "pclass,sex\n1st,male\n".write(toFile: lacking, atomically: true, encoding: .utf8)
        let noColumns = try MLForgeBinary.run(["fit", labelled, "--target", "survived", "--unlabeled", lacking, "--time", "3", "--out", model, "--no-learn"])
        #expect(noColumns.status == 1 && noColumns.stderr.contains("lack the columns 'age'"), "\(noColumns.stderr)")
        let resume = try MLForgeBinary.run(["fit", labelled, "--target", "survived", "--unlabeled", unlabeled, "--resume", "--time", "3", "--out", model])
        #expect(resume.status == 1 && resume.stderr.contains("--resume cannot continue"), "\(resume.stderr)")
        let missing = try MLForgeBinary.run(["fit", labelled, "--target", "survived", "--unlabeled", dir.appendingPathComponent("none.csv").path, "--time", "3", "--out", model])
        #expect(missing.status == 1, "\(missing.stderr)")
    }
}
