import ArgumentParser
import Discovery
import Foundation

extension NetworkObjective: ExpressibleByArgument {}
extension NetworkStrategy: ExpressibleByArgument {}

struct DiscoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract: "Discover algorithms: sorting networks and sorting kernels, searched, checked exhaustively and emitted as Swift.",
        subcommands: [DiscoverNetworkCommand.self, DiscoverKernelCommand.self, DiscoverPolicyCommand.self]
    )
}

struct DiscoverPolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Print the sorting-network search's standard policy as JSON, for `sorting-network --policy FILE`."
    )

    func run() throws {
        try reportingErrors { Terminal.write(String(decoding: try NetworkSearchPolicy.standard.json(), as: UTF8.self) + "\n") }
    }
}

struct DiscoverNetworkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sorting-network",
        abstract: "Search for a small or shallow sorting network on n wires; write it, its certificate and a Swift sort.",
        discussion: """
        Every network found is a sorting network; the best one is checked on all 2^n inputs of 0s and 1s \
        (the 0-1 principle). --out DIR receives network.json, certificate.json, SortN.swift, front.json \
        (the size/depth trade-offs found) and search.json. docs/discover.md explains the method.
        """
    )

    @Option(help: "The number of wires (values to sort), 1...20.")
    var n: Int

    @Option(help: "What to minimise: size (comparators), depth (layers) or both (the trade-off front).")
    var objective: NetworkObjective = .size

    @Option(help: "Seconds to search (it stops earlier at a proven optimum).")
    var time: Double = 60

    @Option(help: "prefix (the prefix-and-postfix evolution), or the search core's evolution, reinforce or random.")
    var strategy: NetworkStrategy = .prefix

    @Option(help: "The seed of the search.")
    var seed: UInt64 = 0

    @Option(help: "Parallel runs (default: the number of cores).")
    var jobs: Int?

    @Option(help: "A JSON file of policy values over the standard ones (`mlforge discover policy` prints them).")
    var policy: String?

    @Flag(help: "Search the whole --time even after reaching a proven optimum.")
    var noStop = false

    @Option(help: "The folder to write (replaced if it is an earlier discovery folder).")
    var out: String?

    func run() throws {
        try reportingErrors {
            var options = NetworkSearchOptions(channels: n)
            options.objective = objective
            options.seconds = time
            options.strategy = strategy
            options.seed = seed
            if let jobs { options.jobs = jobs }
            options.stopAtOptimum = !noStop
            if let policy {
                let data: Data
                do { data = try Data(contentsOf: URL(fileURLWithPath: policy)) } catch {
                    throw DiscoveryError.invalidRequest("cannot read the policy file \(policy): \(error.localizedDescription)")
                }
                options.policy = try NetworkSearchPolicy.decode(data)
            }
            options.onImprovement = { i in
                FileHandle.standardError.write(Data(String(format: "%7.2f s  size %d  depth %d  (%d evaluated)\n", i.seconds, i.size, i.depth, i.evaluations).utf8))
            }
            let result = try NetworkSearch.run(options)
            if let out { try DiscoveryFolder.write(result, to: URL(fileURLWithPath: out)) }
            Terminal.write(NetworkReport.text(result, out: out))
        }
    }
}

enum NetworkReport {
    static func text(_ r: NetworkSearchResult, out: String?) -> String {
        let b = r.best
        var s = "n = \(b.channels): size \(b.size), depth \(b.depth)"
        if let k = r.known {
            s += " (\(k.sizeIsOptimal ? "optimal" : "best known") size \(k.size), optimal depth \(k.depth))"
        }
        s += String(format: "; %d networks evaluated in %.1f s, best after %.1f s; sorts all %d 0-1 inputs\n",
                    r.evaluations, r.seconds, r.secondsToBest, r.certificate.inputsChecked)
        if r.front.count > 1 {
            s += "front: " + r.front.map { "\($0.size)/\($0.depth)" }.joined(separator: ", ") + " (size/depth)\n"
        }
        s += "comparators: " + b.layered.layers.map { $0.map(\.description).joined() }.joined(separator: " | ") + "\n"
        if let out { s += "written: \(out)/network.json, certificate.json, Sort\(b.channels).swift, front.json, search.json\n" }
        return s
    }
}
