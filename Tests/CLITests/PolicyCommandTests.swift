import Foundation
import Support
import Testing
import TestSupport

/// `mlforge policy` and `fit --policy`: the policy printed, changed, used, and recorded in the model.
@Suite("mlforge policy", .serialized)
struct PolicyCommandTests {
    let examples = Fixtures.repositoryRoot.appendingPathComponent("examples")

    @Test("policy prints every value; fit --policy runs with a changed one and the manifest records it; bad files are refused")
    func policyRoundTrip() throws {
        let dir = Fixtures.scratch.appendingPathComponent("mlforge-policy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        let printed = try MLForgeBinary.run(["policy"])
        #expect(printed.status == 0, "\(printed.stderr)")
        let standard = try #require(try JSONSerialization.jsonObject(with: Data(printed.stdout.utf8)) as? [String: Any])
        #expect(Set(standard.keys) == ["validation", "scheduler", "ensemble", "budget", "seeds", "prior", "fairness"])

        let file = dir.appendingPathComponent("policy.json")
        try Data(#"{"ensemble": {"rounds": 3}, "validation": {"folds": 3}}"#.utf8).write(to: file)
        let model = dir.appendingPathComponent("model")
        let fit = try MLForgeBinary.run(["fit", examples.appendingPathComponent("iris/train.csv").path, "--target", "species",
                                         "--time", "3", "--trials", "4", "--policy", file.path, "--out", model.path])
        #expect(fit.status == 0, "\(fit.stderr)")
        #expect(fit.stderr.contains("3-fold cross-validation"), "the changed fold count is used: \(fit.stderr)")
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: model.appendingPathComponent("manifest.json"))) as? [String: Any])
        let policy = try #require(manifest["policy"] as? [String: Any])
        #expect((policy["ensemble"] as? [String: Any])?["rounds"] as? Int == 3)
        #expect((policy["scheduler"] as? [String: Any])?["familyShares"] as? [Double] == [3, 2, 1], "values not named keep the standard")
        // The training file's checksum, computed while it was read.
        let bytes = [UInt8](try Data(contentsOf: examples.appendingPathComponent("iris/train.csv")))
        #expect(manifest["dataHash"] as? String == String(format: "crc32:%08x", CRC32.checksum(bytes)))

        try Data(#"{"ensemble": {"round": 3}}"#.utf8).write(to: file)
        let bad = try MLForgeBinary.run(["fit", examples.appendingPathComponent("iris/train.csv").path, "--target", "species",
                                         "--time", "3", "--policy", file.path, "--out", dir.appendingPathComponent("bad").path])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("no value 'ensemble.round'"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad").path), "nothing is written")
    }
}
