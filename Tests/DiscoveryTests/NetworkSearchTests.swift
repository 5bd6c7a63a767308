import Discovery
import Foundation
import Testing
import TestSupport

/// The sorting-network search: what it finds, what it writes, and the Swift it emits, each checked by
/// the tests' independent checker.
@Suite("Sorting-network search", .serialized)
struct NetworkSearchTests {
    func temporaryFolder() throws -> URL {
        let dir = Fixtures.scratch.appendingPathComponent("mlforge-discover-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("the prefix search reaches the optimal size for n = 2 … 8, and a seed with one job gives one network")
    func optimalSmall() throws {
        for n in 2...8 {
            var o = NetworkSearchOptions(channels: n)
            o.seconds = 30
            o.jobs = 1
            let r = try NetworkSearch.run(o)
            #expect(r.best.size == KnownBounds.forChannels(n)?.size, "n = \(n): size \(r.best.size)")
            #expect(ZeroOneCheck.sorts(r.best))
            let net = try IndependentChecker.network(r.best.json())
            #expect(IndependentChecker.zeroOne(net).sorted)
        }
        var o = NetworkSearchOptions(channels: 9)
        o.jobs = 1
        o.maxEvaluations = 3_000
        o.stopAtOptimum = false
        o.seed = 7
        let a = try NetworkSearch.run(o), b = try NetworkSearch.run(o)
        #expect(a.best == b.best && a.evaluations == b.evaluations)
    }

    @Test("the depth objective reaches the optimal depth for n = 4 … 8 and the front is a true trade-off")
    func depthAndFront() throws {
        for n in 4...8 {
            var o = NetworkSearchOptions(channels: n)
            o.objective = .depth
            o.seconds = 20
            let r = try NetworkSearch.run(o)
            #expect(r.best.depth == KnownBounds.forChannels(n)?.depth, "n = \(n): depth \(r.best.depth)")
        }
        var o = NetworkSearchOptions(channels: 10)
        o.objective = .both
        o.seconds = 3
        o.stopAtOptimum = false
        let r = try NetworkSearch.run(o)
        #expect(!r.front.isEmpty)
        for (a, b) in zip(r.front, r.front.dropFirst()) { #expect(a.size < b.size && a.depth > b.depth, "\(a.size)/\(a.depth) then \(b.size)/\(b.depth)") }
        for net in r.front { #expect(ZeroOneCheck.sorts(net)) }
    }

    @Test("the search core's strategies find sorting networks", arguments: [NetworkStrategy.evolution, .reinforce, .random])
    func studyStrategies(_ strategy: NetworkStrategy) throws {
        var o = NetworkSearchOptions(channels: 6)
        o.strategy = strategy
        o.seconds = 3
        let r = try NetworkSearch.run(o)
        #expect(IndependentChecker.zeroOne(try IndependentChecker.network(r.best.json())).sorted)
        #expect(r.best.size <= 15, "the odd-even transposition sort has 15; got \(r.best.size)")
        #expect(r.evaluations > 0)
    }

    @Test("bad requests are refused", arguments: [(0, 1.0, 1), (21, 1.0, 1), (6, 0.0, 1), (6, -1.0, 1), (6, 1.0, 0)])
    func badRequests(_ n: Int, _ seconds: Double, _ jobs: Int) {
        var o = NetworkSearchOptions(channels: n)
        o.seconds = seconds
        o.jobs = jobs
        #expect(throws: DiscoveryError.self) { try NetworkSearch.run(o) }
    }

    @Test("the discovery folder passes the independent checker; other folders are not replaced")
    func folder() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var o = NetworkSearchOptions(channels: 7)
        o.seconds = 10
        let r = try NetworkSearch.run(o)
        let out = dir.appendingPathComponent("net7")
        try DiscoveryFolder.write(r, to: out)
        let net = try IndependentChecker.checkFolder(out)
        #expect(net.comparators.count == 16)
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(names == ["Sort7.swift", "certificate.json", "front.json", "network.json", "search.json"])
        // An earlier discovery folder is replaced; a folder of other files is not touched.
        try DiscoveryFolder.write(r, to: out)
        let other = dir.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: other.appendingPathComponent("notes.txt"))
        #expect(throws: DiscoveryError.self) { try DiscoveryFolder.write(r, to: other) }
        #expect(try String(contentsOf: other.appendingPathComponent("notes.txt"), encoding: .utf8) == "keep")
        // A tampered certificate fails the checker.
        let certURL = out.appendingPathComponent("certificate.json")
        let cert = try String(contentsOf: certURL, encoding: .utf8)
        try Data(cert.replacingOccurrences(of: "\"size\" : 16", with: "\"size\" : 15").utf8).write(to: certURL)
        #expect(throws: IndependentChecker.Failure.self) { try IndependentChecker.checkFolder(out) }
    }

    @Test("the emitted Swift compiles and sorts every input of 0s and 1s and random values with ties")
    func emittedSwiftSorts() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var source = "// The emitted sorts, driven by a test program.\n"
        var calls = ""
        for n in [1, 2, 3, 5, 9] {
            var o = NetworkSearchOptions(channels: n)
            o.seconds = 10
            var emitter = SwiftSortEmitter()
            emitter.access = ""
            source += emitter.functions(for: try NetworkSearch.run(o).best) + "\n"
            calls += """
            for x in 0..<(1 << \(n)) {
                var a = (0..<\(n)).map { (x >> $0) & 1 }
                let want = a.sorted()
                sort\(n)(&a)
                if a != want { print("sort\(n) fails on", x); failures += 1 }
            }
            for _ in 0..<2000 {
                var a = (0..<\(n)).map { _ in Double(Int.random(in: 0..<4)) }
                let want = a.sorted()
                sort\(n)(&a)
                if a != want { print("sort\(n) fails on", a); failures += 1 }
            }

            """
        }
        source += "var failures = 0\n" + calls + "print(\"failures:\", failures)\n"
        let file = dir.appendingPathComponent("main.swift")
        try Data(source.utf8).write(to: file)
        let binary = dir.appendingPathComponent("sorts")
        let compile = try ProcessResult.run(URL(fileURLWithPath: "/usr/bin/env"), ["swiftc", "-O", file.path, "-o", binary.path])
        #expect(compile.status == 0, "\(compile.stderr)")
        let run = try ProcessResult.run(binary, [])
        #expect(run.status == 0)
        #expect(run.stdout.contains("failures: 0"), "\(run.stdout)")
    }
}
