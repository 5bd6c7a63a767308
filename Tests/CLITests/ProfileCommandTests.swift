import Foundation
import Testing
import TestSupport

@Suite("mlforge profile")
struct ProfileCommandTests {
    @Test("Profiles the bundled example: a table of columns and the task of the target")
    func example() throws {
        let path = Fixtures.repositoryRoot.appendingPathComponent("examples/titanic/train.csv").path
        let r = try MLForgeBinary.run(["profile", path, "--target", "survived"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("981 rows × 6 columns, comma-delimited"))
        #expect(r.stdout.contains("age       numeric      20.5%"))
        #expect(r.stdout.contains("task: binary"))
        #expect(r.stdout.contains("classes: died 606 (61.8%), survived 375 (38.2%)"))
    }

    @Test("--json prints the profile as JSON that decodes")
    func json() throws {
        let path = Fixtures.repositoryRoot.appendingPathComponent("examples/titanic/train.csv").path
        let r = try MLForgeBinary.run(["profile", path, "--target", "survived", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(object?["rows"] as? Int == 981)
        let target = object?["target"] as? [String: Any]
        let decision = target?["decision"] as? [String: Any]
        #expect(decision?["task"] as? String == "binary")
        let columns = object?["columns"] as? [[String: Any]]
        #expect(columns?.count == 6)
        #expect(columns?.first { $0["name"] as? String == "age" }?["missing"] as? Int == 201)
    }

    @Test("An integer target with few values over few rows is asked about, and --task settles it")
    func ambiguousTarget() throws {
        let path = try writeTemp("a,grade\n" + (0..<20).map { "\($0),\($0 % 5)" }.joined(separator: "\n") + "\n")
        let r = try MLForgeBinary.run(["profile", path, "--target", "grade"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("task: not decided"))
        #expect(r.stdout.contains("--task multiclass"))
        let settled = try MLForgeBinary.run(["profile", path, "--target", "grade", "--task", "regression"])
        #expect(settled.stdout.contains("task: regression (set by the caller)"))
    }

    @Test("Every malformed corpus file: exit status 1, one line on stderr, no crash", arguments: try MalformedCase.all())
    func malformed(_ c: MalformedCase) throws {
        let r = try MLForgeBinary.run(c.profileArguments)
        #expect(!r.crashed, "\(c.file) crashed")
        #expect(r.status == 1, "\(c.file): status \(r.status)")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(c.file): \(r.stderr)")
        #expect(r.stderr.hasPrefix("mlforge: error: "))
        #expect(r.stderr.contains(c.expect), "\(c.file): \(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test("A missing file, a directory and a bad option value are clear errors")
    func pathAndArgumentErrors() throws {
        let missing = try MLForgeBinary.run(["profile", "/no/such.csv"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("does not exist"))
        let dir = try MLForgeBinary.run(["profile", FileManager.default.temporaryDirectory.path])
        #expect(dir.status == 1)
        #expect(dir.stderr.contains("is a directory"))
        let badType = try MLForgeBinary.run(["profile", missing.stderr.isEmpty ? "" : "/no/such.csv", "--column-type", "x=number"])
        #expect(badType.status != 0)
        #expect(!badType.crashed)
    }

    @Test("A single line of hundreds of megabytes is refused quickly, without a crash")
    func hugeLine() throws {
        let dir = Fixtures.scratch.appendingPathComponent("mlforge-huge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("huge.csv")
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        let block = Data(repeating: UInt8(ascii: "a"), count: 1 << 20)
        for _ in 0..<300 { handle.write(block) }  // 300 MiB, no line break
        try handle.close()
        let r = try MLForgeBinary.run(["profile", url.path])
        #expect(!r.crashed)
        #expect(r.status == 1)
        #expect(r.stderr.contains("line 1 is longer than 64 MiB"), "\(r.stderr)")
    }

    private func writeTemp(_ text: String) throws -> String {
        let url = Fixtures.scratch.appendingPathComponent("mlforge-cli-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        return url.path
    }
}
