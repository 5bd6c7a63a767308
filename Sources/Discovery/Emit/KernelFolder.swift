import Foundation
import Support

/// What `mlforge discover sort-kernel` prints and writes (`kernel.json`).
public enum KernelFolder {
    struct Record: Codable {
        var n: Int
        var isa: String
        var registers: Int
        var tests: Int
        var length: Int
        var provenShortest: Bool
        var noProgramUpTo: Int
        var program: [String]
        var translationLength: Int
        var translation: [String]
        var seconds: Double
        var seed: UInt64
    }

    public static func write(_ r: KernelSearchResult, to directory: URL) throws {
        try DiscoveryFolder.guardReplaceable(directory, marker: "kernel.json")
        let record = Record(n: r.options.n, isa: r.options.isa.rawValue, registers: r.options.n + r.options.scratch,
                            tests: r.tests, length: r.program.count, provenShortest: r.provenShortest, noProgramUpTo: r.noneUpTo,
                            program: r.program.map(\.description), translationLength: r.translation.count,
                            translation: r.translation.map(\.description), seconds: r.seconds, seed: r.options.seed)
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try e.encode(record)
        try AtomicFolder.write(to: directory) { staging in
            try data.write(to: staging.appendingPathComponent("kernel.json"))
        }
    }

    public static func text(_ r: KernelSearchResult) -> String {
        let o = r.options
        var s = "sort\(o.n), \(o.isa.rawValue), \(o.n + o.scratch) registers: \(r.program.count) instructions"
        s += r.provenShortest ? " (shortest: no program of \(r.noneUpTo) or fewer sorts)"
            : (r.noneUpTo >= 0 ? " (none of \(r.noneUpTo) or fewer; \(r.noneUpTo + 1)…\(r.program.count - 1) not finished)" : " (shortest not proven)")
        s += "; the network's translation: \(r.translation.count); checked on all \(r.tests) orderings with ties"
        s += String(format: "; %.1f s\n", r.seconds)
        for (i, ins) in r.program.enumerated() { s += String(format: "  %2d  %@\n", i + 1, ins.description) }
        return s
    }
}
