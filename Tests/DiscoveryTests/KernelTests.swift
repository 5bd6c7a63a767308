import Discovery
import Foundation
import Testing

/// The sort-kernel game: the machine, the network translation and the searches, each program checked by
/// the tests' own interpreter on all n^n inputs with garbage in the scratch registers.
@Suite("Sort kernels", .serialized)
struct KernelTests {
    @Test("the weak orderings are 1, 3, 13, 75, 541 (the ordered Bell numbers)")
    func weakOrderings() {
        #expect((1...5).map { KernelMachine.weakOrderings($0).count } == [1, 3, 13, 75, 541])
    }

    @Test("the network translation sorts, for both instruction sets, and its length is 4 or 3 per comparator", arguments: KernelISA.allCases)
    func translation(_ isa: KernelISA) throws {
        for n in 2...5 {
            let p = KernelTranslation.program(n: n, isa: isa, scratch: 1)
            #expect(p.count == [0, 0, 1, 3, 5, 9][n] * (isa == .cmov ? 4 : 3))
            #expect(KernelMachine(n: n, scratch: 1, isa: isa).sorts(p))
            #expect(try IndependentChecker.kernelSorts(p.map(\.description), n: n, registers: n + 1))
        }
    }

    @Test("the machine refuses programs that read an unwritten scratch register or unset flags")
    func undefinedReads() throws {
        let m = KernelMachine(n: 2, scratch: 1, isa: .minmax)
        // min r0, r0, r2 would be r0 if the scratch register held a value above every input.
        let cheat = [KernelInstruction(.mov, 2, 0), KernelInstruction(.min, 0, 0, 1), KernelInstruction(.max, 1, 2, 1)]
        #expect(m.sorts(cheat))
        #expect(!m.sorts([KernelInstruction(.min, 2, 0, 2)] + cheat))
        let c = KernelMachine(n: 2, scratch: 1, isa: .cmov)
        #expect(!c.sorts([KernelInstruction(.cmovg, 0, 1)]))
        #expect(throws: IndependentChecker.Failure.self) {
            try IndependentChecker.kernelSorts(["cmovg r0, r1"], n: 2, registers: 3)
        }
        // The independent interpreter catches a program that only works for one start value of scratch.
        #expect(try !IndependentChecker.kernelSorts(["min r0, r0, r2"] + cheat.map(\.description), n: 2, registers: 3))
    }

    @Test("the exhaustive search proves sort3 with min/max shortest at 6 and sort3 with cmov at 11, and the programs sort")
    func sort3() throws {
        var o = KernelSearchOptions(n: 3)
        o.isa = .minmax
        o.seconds = 60
        let minmax = try KernelSearch.run(o)
        #expect(minmax.program.count == 6 && minmax.provenShortest)
        #expect(try IndependentChecker.kernelSorts(minmax.program.map(\.description), n: 3, registers: 4))
        o.isa = .cmov
        o.seconds = 300  // the proof takes 10–30 s alone on 2 cores; the search stops when it is done
        let cmov = try KernelSearch.run(o)
        #expect(cmov.program.count == 11 && cmov.provenShortest, "\(KernelFolder.text(cmov))")
        #expect(cmov.translation.count == 12)
        #expect(try IndependentChecker.kernelSorts(cmov.program.map(\.description), n: 3, registers: 4))
    }

    @Test("a short sort4 search returns a correct program no longer than the translation, and kernel.json states it")
    func sort4Folder() throws {
        var o = KernelSearchOptions(n: 4)
        o.isa = .cmov
        o.seconds = 2
        let r = try KernelSearch.run(o)
        #expect(r.program.count <= r.translation.count)
        #expect(try IndependentChecker.kernelSorts(r.program.map(\.description), n: 4, registers: 5))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mlforge-kernel-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try KernelFolder.write(r, to: dir)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("kernel.json"))) as? [String: Any])
        let program = try #require(json["program"] as? [String])
        #expect(json["length"] as? Int == program.count && json["tests"] as? Int == 75)
        #expect(try IndependentChecker.kernelSorts(program, n: 4, registers: json["registers"] as? Int ?? 0))
        #expect(try IndependentChecker.kernelSorts(try #require(json["translation"] as? [String]), n: 4, registers: 5))
    }

    @Test("bad kernel requests are refused", arguments: [(6, 1), (1, 1), (3, 0), (3, 3)])
    func badRequests(_ n: Int, _ scratch: Int) {
        var o = KernelSearchOptions(n: n)
        o.scratch = scratch
        o.seconds = 1
        #expect(throws: DiscoveryError.self) { try KernelSearch.run(o) }
    }
}
