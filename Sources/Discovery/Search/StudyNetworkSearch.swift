import Search
import Support

/// The sorting-network search through the search core: a `Study` whose space has one categorical
/// parameter per comparator slot (a wire pair, or "-" for none), proposed by the core's regularized
/// evolution, REINFORCE or random search.
///
/// A proposal is read as a postfix with no prefix and repaired as `PostfixEvolution` does (redundant
/// comparators dropped, random useful ones added until it sorts, seeded by the proposal itself so that a
/// configuration always means one network); the study minimises its (size, depth) key.
enum StudyNetworkSearch {
    static let empty = "-"

    static func run(_ options: NetworkSearchOptions, _ tracker: FrontTracker) throws {
        let n = options.channels
        let pairs = (0..<n).flatMap { i in ((i + 1)..<n).map { j in Comparator(i, j) } }
        let names = pairs.map { "\($0.low)-\($0.high)" }
        let known = KnownBounds.forChannels(n)?.size ?? (n * (n - 1) / 2)
        let slots = max(1, Int((options.policy.slotsPerKnownComparator * Double(known)).rounded(.up)))
        let space = try SearchSpace((0..<slots).map { SearchSpace.Parameter("c\($0)", .categorical([empty] + names)) })
        let seed = options.seed
        let strategy: Strategy
        switch options.strategy {
        case .evolution:
            strategy = RegularizedEvolution(seed: seed, population: options.policy.evolutionPopulation,
                                            sampleSize: options.policy.evolutionTournament)
        case .reinforce: strategy = ReinforceController(seed: seed)
        default: strategy = RandomSearch(seed: seed)
        }
        let study = Study(space: space, directions: [.minimize], strategy: strategy)
        let rank = NetworkRank(depthFirst: options.objective == .depth)
        var run = PostfixEvolution(channels: n, configuration: .init(prefix: .none, symmetric: false), rank: rank,
                                   policy: options.policy, seed: seed)
        let index = Dictionary(uniqueKeysWithValues: zip(names, pairs))
        var evaluations = 0
        var best = Int.max
        while !tracker.isDone {
            if let m = options.maxEvaluations, evaluations >= m { tracker.finishWorker(); return }
            let trial = try study.ask()
            var units: [Comparator] = []
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for s in 0..<slots {
                guard case .string(let name)? = trial.configuration["c\(s)"], let c = index[name] else { continue }
                units.append(c)
                hash = (hash ^ UInt64(c.low << 8 | c.high)) &* 0x100_0000_01B3
            }
            run.reseed(hash ^ seed)
            let candidate = run.evaluate(units)
            let key = run.key(candidate)
            try study.tell(trial.number, values: [Double(key)])
            evaluations += 1
            let total = tracker.addEvaluations(1)
            if key < best {
                best = key
                tracker.offer(candidate.comparators, channels: n, evaluations: total)
            }
        }
    }
}
