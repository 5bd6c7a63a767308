import Foundation
import Testing
import TestSupport

/// `mlforge discover` end to end: the folders it writes pass the independent checker; bad requests exit
/// non-zero with a clear message and write nothing.
@Suite("mlforge discover", .serialized)
struct DiscoverCommandTests {
    func temporaryFolder() throws -> URL {
        let dir = Fixtures.scratch.appendingPathComponent("mlforge-discover-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("sorting-network writes a folder whose certificate the independent checker confirms, and its Swift")
    func sortingNetwork() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("net9")
        let r = try MLForgeBinary.run(["discover", "sorting-network", "--n", "9", "--time", "30", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("n = 9: size 25"), "\(r.stdout)")
        #expect(r.stderr.contains("size 25"), "improvements are reported as they come: \(r.stderr)")
        let net = try IndependentChecker.checkFolder(out)
        #expect(net.comparators.count == 25)
        let swift = try String(contentsOf: out.appendingPathComponent("Sort9.swift"), encoding: .utf8)
        #expect(swift.contains("public func sort9<T: Comparable>(_ v: UnsafeMutableBufferPointer<T>)"))
        #expect(swift.components(separatedBy: "Swift.min(").count - 1 == 25, "one min and one max a comparator")

        let both = try MLForgeBinary.run(["discover", "sorting-network", "--n", "6", "--objective", "both", "--time", "2",
                                          "--strategy", "evolution", "--out", out.path])
        #expect(both.status == 0, "\(both.stderr)")
        #expect(try IndependentChecker.checkFolder(out).n == 6, "an earlier discovery folder is replaced")

        let policy = try MLForgeBinary.run(["discover", "policy"])
        #expect(policy.status == 0)
        let file = dir.appendingPathComponent("policy.json")
        try Data(#"{"restartAfter": 1000}"#.utf8).write(to: file)
        let withPolicy = try MLForgeBinary.run(["discover", "sorting-network", "--n", "5", "--time", "5", "--policy", file.path])
        #expect(withPolicy.status == 0, "\(withPolicy.stderr)")
        #expect(withPolicy.stdout.contains("n = 5: size 9"), "\(withPolicy.stdout)")
    }

    @Test("sort-kernel prints and writes a program the independent interpreter confirms")
    func sortKernel() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("k3")
        let r = try MLForgeBinary.run(["discover", "sort-kernel", "--n", "3", "--isa", "minmax", "--time", "20", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("sort3, minmax, 4 registers: 6 instructions (shortest"), "\(r.stdout)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("kernel.json"))) as? [String: Any])
        let program = try #require(json["program"] as? [String])
        #expect(program.count == 6 && json["provenShortest"] as? Bool == true && json["translationLength"] as? Int == 9)
        #expect(try IndependentChecker.kernelSorts(program, n: 3, registers: 4))
    }

    @Test("bad requests exit 1 with a message and write nothing", arguments: [
        (["sorting-network", "--n", "0"], "--n must lie in 1...20"),
        (["sorting-network", "--n", "25"], "--n must lie in 1...20"),
        (["sorting-network", "--n", "6", "--time", "0"], "--time must be a positive number"),
        (["sorting-network", "--n", "6", "--jobs", "0"], "--jobs must be at least 1"),
        (["sorting-network", "--n", "6", "--policy", "/nonexistent/policy.json"], "cannot read the policy file"),
        (["sort-kernel", "--n", "7"], "--n must be 3, 4 or 5"),
        (["sort-kernel", "--n", "3", "--scratch", "0"], "--scratch must be 1 or 2"),
    ])
    func badRequests(_ arguments: [String], _ message: String) throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        let r = try MLForgeBinary.run(["discover"] + arguments + ["--out", out.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("a folder of other files is not replaced, and a bad policy value is named")
    func refusals() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("keep".utf8).write(to: dir.appendingPathComponent("notes.txt"))
        let r = try MLForgeBinary.run(["discover", "sorting-network", "--n", "4", "--time", "1", "--out", dir.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("holds other files"), "\(r.stderr)")
        #expect(try String(contentsOf: dir.appendingPathComponent("notes.txt"), encoding: .utf8) == "keep")
        let k = try MLForgeBinary.run(["discover", "sort-kernel", "--n", "3", "--time", "1", "--out", dir.path])
        #expect(k.status == 1 && k.stderr.contains("holds other files"), "\(k.stderr)")

        let file = dir.appendingPathComponent("policy.json")
        try Data(#"{"restartAfterr": 5}"#.utf8).write(to: file)
        let p = try MLForgeBinary.run(["discover", "sorting-network", "--n", "4", "--time", "1", "--policy", file.path])
        #expect(p.status == 1)
        #expect(p.stderr.contains("restartAfterr"), "\(p.stderr)")
    }
}
