import Dispatch
import Foundation
import Support

/// A request to `KernelSearch.run`.
public struct KernelSearchOptions: Sendable {
    public var n: Int
    public var isa: KernelISA = .cmov
    /// Scratch registers beyond r0 … r(n−1).
    public var scratch = 1
    public var seconds: Double = 60
    public var seed: UInt64 = 0
    /// The most states the exhaustive search remembers (each a few hundred bytes).
    public var tableEntries = 3_000_000

    public init(n: Int) { self.n = n }

    func validate() throws {
        guard (2...5).contains(n) else { throw DiscoveryError.invalidRequest("--n must be 3, 4 or 5 (2 works too); got \(n)") }
        guard (1...2).contains(scratch) else {
            throw DiscoveryError.invalidRequest("--scratch must be 1 or 2 (a compare-exchange needs one spare register in both instruction sets); got \(scratch)")
        }
        guard seconds > 0, seconds.isFinite else { throw DiscoveryError.invalidRequest("--time must be a positive number of seconds; got \(seconds)") }
    }
}

/// What the kernel search found.
public struct KernelSearchResult: Sendable {
    public var options: KernelSearchOptions
    /// The shortest program found; it sorts every test input.
    public var program: [KernelInstruction]
    /// The sorting network's translation (`KernelTranslation`), for comparison.
    public var translation: [KernelInstruction]
    /// No program of this many instructions or fewer sorts (the exhaustive search finished every length
    /// up to it); −1 when it finished none.
    public var noneUpTo: Int
    public var provenShortest: Bool { noneUpTo == program.count - 1 }
    /// Test inputs every program was checked on (all weak orderings of n values).
    public var tests: Int
    /// Nodes the exhaustive search visited and programs the stochastic search tried.
    public var nodes: Int
    public var proposals: Int
    public var seconds: Double
}

/// The sort-kernel game: the shortest program of a `KernelISA` that sorts n values, by an exhaustive
/// iterative-deepening search (it proves a length shortest when it finishes every shorter one) beside a
/// stochastic search (Metropolis moves on the program, as STOKE does: Schkufza, Sharma and Aiken 2013)
/// that starts from the sorting network's translation and keeps the shortest correct program it meets.
public enum KernelSearch {
    public static func run(_ options: KernelSearchOptions) throws -> KernelSearchResult {
        try options.validate()
        let machine = KernelMachine(n: options.n, scratch: options.scratch, isa: options.isa)
        let translation = KernelTranslation.program(n: options.n, isa: options.isa, scratch: options.scratch)
        precondition(machine.sorts(translation), "the network translation must sort")
        let start = ContinuousClock.now
        let deadline = start + .seconds(options.seconds)
        let shared = LockedBox(Shared(best: translation))
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            if worker == 0 {
                var dfs = ExhaustiveKernelSearch(machine: machine, deadline: deadline, tableEntries: options.tableEntries, shared: shared)
                dfs.run()
            } else {
                var walk = StochasticKernelSearch(machine: machine, start: translation, deadline: deadline, seed: options.seed, shared: shared)
                walk.run()
            }
        }
        let s = shared.current
        return KernelSearchResult(options: options, program: s.best, translation: translation, noneUpTo: s.noneUpTo,
                                  tests: machine.tests, nodes: s.nodes, proposals: s.proposals,
                                  seconds: (ContinuousClock.now - start).inSeconds)
    }

    /// What the two searches share: the best program, the proof so far, and when to stop.
    struct Shared {
        var best: [KernelInstruction]
        var noneUpTo = -1
        var nodes = 0
        var proposals = 0
        var done = false

        mutating func offer(_ program: [KernelInstruction]) {
            if program.count < best.count { best = program }
            if best.count - 1 <= noneUpTo { done = true }
        }
    }
}

/// A sorting network as a kernel program: per comparator (i, j), `mov t, ri; cmp ri, rj; cmovg ri, rj;
/// cmovg rj, t` (4 instructions, as compilers emit it) or `mov t, ri; min ri, ri, rj; max rj, t, rj` (3).
public enum KernelTranslation {
    /// Optimal-size sorting networks for 2 … 5 (1, 3, 5 and 9 comparators; `run` checks the translation).
    static func network(_ n: Int) -> ComparatorNetwork {
        let pairs: [[(Int, Int)]] = [[], [], [(0, 1)], [(1, 2), (0, 2), (0, 1)],
                                     [(0, 1), (2, 3), (0, 2), (1, 3), (1, 2)],
                                     [(0, 3), (1, 4), (0, 2), (1, 3), (0, 1), (2, 4), (1, 2), (3, 4), (2, 3)]]
        return ComparatorNetwork(channels: n, comparators: pairs[n].map { Comparator($0.0, $0.1) })
    }

    public static func program(n: Int, isa: KernelISA, scratch: Int) -> [KernelInstruction] {
        let t = n  // the first scratch register
        return network(n).comparators.flatMap { c -> [KernelInstruction] in
            switch isa {
            case .cmov:
                return [KernelInstruction(.mov, t, c.low), KernelInstruction(.cmp, c.low, c.high),
                        KernelInstruction(.cmovg, c.low, c.high), KernelInstruction(.cmovg, c.high, t)]
            case .minmax:
                return [KernelInstruction(.mov, t, c.low), KernelInstruction(.min, c.low, c.low, c.high),
                        KernelInstruction(.max, c.high, t, c.high)]
            }
        }
    }
}
