import ArgumentParser
import Discovery
import Foundation

extension KernelISA: ExpressibleByArgument {}

struct DiscoverKernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sort-kernel",
        abstract: "Search for the shortest register-machine program that sorts n values, ties included.",
        discussion: """
        The machine: registers r0 … r(n-1) hold the values and must end sorted (r0 the smallest), plus \
        --scratch spare ones. --isa cmov: mov d, s; cmp a, b; cmovl d, s; cmovg d, s (x86-64, AlphaDev's \
        game). --isa minmax: mov d, s; min d, a, b; max d, a, b. Every program is checked on all weak \
        orderings of n values (13, 75 and 541 for n = 3, 4, 5). An exhaustive search proves a length \
        shortest when it finishes every shorter one within --time.
        """
    )

    @Option(help: "The number of values, 3, 4 or 5 (2 works too).")
    var n: Int

    @Option(help: "The instruction set: cmov or minmax.")
    var isa: KernelISA = .cmov

    @Option(help: "Spare registers beyond r0 … r(n-1): 1 or 2.")
    var scratch: Int = 1

    @Option(help: "Seconds to search.")
    var time: Double = 60

    @Option(help: "The seed of the stochastic search.")
    var seed: UInt64 = 0

    @Option(help: "Write kernel.json (the program, the translation, the proof) into this folder.")
    var out: String?

    func run() throws {
        try reportingErrors {
            var options = KernelSearchOptions(n: n)
            options.isa = isa
            options.scratch = scratch
            options.seconds = time
            options.seed = seed
            let result = try KernelSearch.run(options)
            if let out { try KernelFolder.write(result, to: URL(fileURLWithPath: out)) }
            Terminal.write(KernelFolder.text(result) + (out.map { "written: \($0)/kernel.json\n" } ?? ""))
        }
    }
}
