import Dispatch
import Foundation
import Support

/// How the sorting-network search proposes networks.
public enum NetworkStrategy: String, Codable, Sendable, CaseIterable {
    /// The prefix-and-postfix evolution (`PostfixEvolution`): fixed prefixes from a portfolio, mutated and
    /// repaired postfixes, restarts, one run a core.
    case prefix
    /// The search core's regularized evolution (mutation and crossover) over comparator slots.
    case evolution
    /// The search core's REINFORCE controller over the same slots.
    case reinforce
    /// The search core's random search over the same slots (the baseline).
    case random
}

/// A request to `NetworkSearch.run`.
public struct NetworkSearchOptions: Sendable {
    public var channels: Int
    public var objective: NetworkObjective = .size
    public var strategy: NetworkStrategy = .prefix
    /// The wall-clock budget.
    public var seconds: Double = 60
    public var seed: UInt64 = 0
    /// Parallel runs (the prefix strategy; the search-core strategies run one study).
    public var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    /// Stop each run after this many evaluations (with one job, a seed then gives one result).
    public var maxEvaluations: Int?
    /// Stop as soon as the objective's first measure reaches its proven optimum (`KnownBounds`).
    public var stopAtOptimum = true
    public var policy: NetworkSearchPolicy = .standard
    /// Called with every new best network (from any run), under the search's lock: keep it short.
    public var onImprovement: (@Sendable (NetworkSearchResult.Improvement) -> Void)?

    public init(channels: Int) { self.channels = channels }

    func validate() throws {
        guard (1...DiscoveryLimits.maxChannels).contains(channels) else {
            throw DiscoveryError.invalidRequest("--n must lie in 1...\(DiscoveryLimits.maxChannels) (the exhaustive check walks 2^n inputs); got \(channels)")
        }
        guard seconds > 0, seconds.isFinite else { throw DiscoveryError.invalidRequest("--time must be a positive number of seconds; got \(seconds)") }
        guard jobs >= 1 else { throw DiscoveryError.invalidRequest("--jobs must be at least 1; got \(jobs)") }
        if let m = maxEvaluations, m < 1 { throw DiscoveryError.invalidRequest("the evaluation limit must be at least 1; got \(m)") }
    }
}

/// What a sorting-network search found.
public struct NetworkSearchResult: Sendable {
    public struct Improvement: Sendable, Codable, Equatable {
        public var seconds: Double
        public var size: Int
        public var depth: Int
        public var evaluations: Int
    }

    /// The best network by the objective (by size for `both`), verified.
    public var best: ComparatorNetwork
    public var certificate: SortingCertificate
    /// Every (size, depth) pair found that no other found network beats on both, smallest size first.
    public var front: [ComparatorNetwork]
    public var improvements: [Improvement]
    public var evaluations: Int
    public var seconds: Double
    public var options: NetworkSearchOptions
    public var known: KnownBounds.Bound? { KnownBounds.forChannels(best.channels) }

    /// When the best network's first measure was first reached.
    public var secondsToBest: Double {
        let primary = options.objective == .depth ? best.depth : best.size
        return improvements.first { (options.objective == .depth ? $0.depth : $0.size) == primary }?.seconds ?? seconds
    }
}

/// The sorting-network search behind `mlforge discover sorting-network`.
public enum NetworkSearch {
    /// Searches within the options' budget, verifies the result exhaustively and returns it.
    public static func run(_ options: NetworkSearchOptions) throws -> NetworkSearchResult {
        try options.validate()
        let tracker = FrontTracker(options: options)
        if options.channels == 1 {
            tracker.offer([], channels: 1, evaluations: 0)
        } else {
            switch options.strategy {
            case .prefix: runPrefix(options, tracker)
            case .evolution, .reinforce, .random: try StudyNetworkSearch.run(options, tracker)
            }
        }
        return try tracker.result()
    }

    /// Runs the prefix-and-postfix evolution on `jobs` threads, each cycling through the portfolio.
    static func runPrefix(_ options: NetworkSearchOptions, _ tracker: FrontTracker) {
        let portfolio = options.policy.portfolio(channels: options.channels)
        let jobs = options.jobs
        DispatchQueue.concurrentPerform(iterations: jobs) { worker in
            var restart = 0
            var evaluations = 0
            while !tracker.isDone {
                let k = worker + restart * jobs
                let configuration = portfolio[k % portfolio.count]
                let depthFirst: Bool
                switch options.objective {
                case .size: depthFirst = false
                case .depth: depthFirst = true
                case .both: depthFirst = (k / portfolio.count) % 2 == 1
                }
                var run = PostfixEvolution(channels: options.channels, configuration: configuration,
                                           rank: NetworkRank(depthFirst: depthFirst), policy: options.policy,
                                           seed: options.seed &+ UInt64(k) &* 0x9E37_79B9_7F4A_7C15)
                var current = run.evaluate([])
                tracker.offer(current.comparators, channels: options.channels, evaluations: tracker.addEvaluations(1))
                var sinceBetter = 0
                while sinceBetter < options.policy.restartAfter && !tracker.isDone {
                    if let m = options.maxEvaluations, evaluations >= m { tracker.finishWorker(); return }
                    let mutant = run.evaluate(run.mutate(current.units))
                    evaluations += 1
                    let total = tracker.addEvaluations(1)
                    let (a, b) = (run.key(mutant), run.key(current))
                    if a < b {
                        sinceBetter = 0
                        tracker.offer(mutant.comparators, channels: options.channels, evaluations: total)
                    } else {
                        sinceBetter += 1
                    }
                    if a <= b { current = mutant }
                }
                restart += 1
            }
        }
    }
}

/// The best networks found so far, shared by the runs: the (size, depth) front, the improvements, the
/// evaluation count, and whether to stop (budget spent, optimum reached, or every run at its limit).
final class FrontTracker: @unchecked Sendable {
    private struct State {
        var front: [ComparatorNetwork] = []
        var improvements: [NetworkSearchResult.Improvement] = []
        var evaluations = 0
        var done = false
        var finishedWorkers = 0
    }

    private let box = LockedBox(State())
    let options: NetworkSearchOptions
    let start = ContinuousClock.now
    let deadline: ContinuousClock.Instant
    private let optimum: Int?

    init(options: NetworkSearchOptions) {
        self.options = options
        deadline = start + .seconds(options.seconds)
        let known = KnownBounds.forChannels(options.channels)
        switch options.objective {
        case .size: optimum = known.flatMap { $0.sizeIsOptimal ? $0.size : nil }
        case .depth: optimum = known?.depth
        case .both: optimum = nil
        }
    }

    var elapsed: Double { (ContinuousClock.now - start).inSeconds }

    var isDone: Bool {
        if ContinuousClock.now >= deadline { return true }
        return box.withLock { $0.done }
    }

    func addEvaluations(_ k: Int) -> Int { box.withLock { $0.evaluations += k; return $0.evaluations } }

    /// One run reached its evaluation limit; when every run has, the search is done.
    func finishWorker() {
        box.withLock {
            $0.finishedWorkers += 1
            let runs = options.strategy == .prefix ? options.jobs : 1
            if $0.finishedWorkers >= runs { $0.done = true }
        }
    }

    /// Offers a sorting network; it joins the front when nothing found beats it on both size and depth.
    func offer(_ comparators: [Comparator], channels: Int, evaluations: Int) {
        let network = ComparatorNetwork(channels: channels, comparators: comparators)
        let size = network.size, depth = network.depth
        let seconds = elapsed
        box.withLock { s in
            if s.front.contains(where: { $0.size <= size && $0.depth <= depth }) { return }
            s.front.removeAll { $0.size >= size && $0.depth >= depth }
            s.front.append(network)
            s.front.sort { ($0.size, $0.depth) < ($1.size, $1.depth) }
            let primaryBest = options.objective == .depth
                ? s.front.map(\.depth).min() == depth : s.front.map(\.size).min() == size
            if primaryBest {
                let i = NetworkSearchResult.Improvement(seconds: seconds, size: size, depth: depth, evaluations: evaluations)
                s.improvements.append(i)
                options.onImprovement?(i)
            }
            if let optimum, options.stopAtOptimum, (options.objective == .depth ? depth : size) <= optimum { s.done = true }
        }
    }

    func result() throws -> NetworkSearchResult {
        let s = box.withLock { $0 }
        guard !s.front.isEmpty else {
            throw DiscoveryError.invalidRequest("the search found no network within --time \(options.seconds) s; give it more time")
        }
        let best = options.objective == .depth
            ? s.front.min { ($0.depth, $0.size) < ($1.depth, $1.size) }!
            : s.front[0]
        let certificate = try ZeroOneCheck.certify(best)
        for n in s.front where n != best { _ = try ZeroOneCheck.certify(n) }
        return NetworkSearchResult(best: best, certificate: certificate, front: s.front, improvements: s.improvements,
                                   evaluations: s.evaluations, seconds: elapsed, options: options)
    }
}
