import Support

/// One run of the prefix-and-postfix evolution (after SorterHunter, Dobbelaere 2017): a fixed prefix, and
/// a postfix list that mutates; every mutant is repaired into a sorting network and kept when it is no
/// worse than the current one.
///
/// A postfix is evaluated on the prefix's distinct unsorted 0-1 outputs only: its comparators act in
/// order, those that move no pattern are dropped (they are redundant), and while patterns remain
/// unsorted, comparators that move some are added at random (preferring early layers when depth counts).
/// So every candidate sorts, and a shorter one is found by mutating and dropping. In symmetric mode each
/// postfix entry stands for itself and its mirror image.
struct PostfixEvolution {
    let channels: Int
    let configuration: NetworkSearchPolicy.Configuration
    let rank: NetworkRank
    let policy: NetworkSearchPolicy
    private(set) var prefix: [Comparator] = []
    private var prefixPatterns: [UInt32] = []
    private var prefixReady: [Int]
    private var work: PatternSet
    fileprivate(set) var rng: SeededGenerator
    private(set) var evaluations = 0

    /// A sorting network as the run sees it: its postfix entries (redundant ones dropped) and the whole
    /// comparator list, prefix first.
    struct Candidate {
        var units: [Comparator]
        var comparators: [Comparator]
        var size: Int
        var depth: Int
    }

    init(channels: Int, configuration: NetworkSearchPolicy.Configuration, rank: NetworkRank, policy: NetworkSearchPolicy, seed: UInt64) {
        self.channels = channels
        self.configuration = configuration
        self.rank = rank
        self.policy = policy
        rng = SeededGenerator(seed: seed)
        work = PatternSet(channels: channels)
        prefixReady = [Int](repeating: 0, count: channels)
        buildPrefix()
        prefixPatterns = work.patterns
    }

    // MARK: The prefix

    private mutating func buildPrefix() {
        switch configuration.prefix {
        case .none:
            break
        case .firstLayer:
            for i in 0..<(channels / 2) { addToPrefix(Comparator(i, channels - 1 - i)) }
        case .greedy:
            let target = Int((configuration.prefixFraction * Double(channels)).rounded())
            while prefix.count < target && !work.isEmpty {
                guard let best = greedyChoice() else { break }
                addToPrefix(best)
                if configuration.symmetric { addToPrefix(best.mirrored(channels: channels)) }
            }
        }
    }

    private mutating func addToPrefix(_ c: Comparator) {
        guard work.apply(c) else { return }
        prefix.append(c)
        let layer = max(prefixReady[c.low], prefixReady[c.high]) + 1
        prefixReady[c.low] = layer
        prefixReady[c.high] = layer
    }

    /// The comparator (with its mirror in symmetric mode) that leaves the fewest patterns; ties at random.
    private mutating func greedyChoice() -> Comparator? {
        var best: [Comparator] = []
        var fewest = Int.max
        for low in 0..<channels {
            for high in (low + 1)..<channels {
                let c = Comparator(low, high)
                let m = c.mirrored(channels: channels)
                if configuration.symmetric && (m.low, m.high) < (c.low, c.high) { continue }
                let left: Int
                if configuration.symmetric && m != c {
                    var trial = work
                    trial.apply(c)
                    left = trial.countAfter(m)
                } else {
                    left = work.countAfter(c)
                }
                if left == work.count { continue }
                if left < fewest { fewest = left; best = [c] } else if left == fewest { best.append(c) }
            }
        }
        return best.isEmpty ? nil : best[Int.random(in: 0..<best.count, using: &rng)]
    }

    // MARK: Evaluation

    /// The sorting network that `units` make after the prefix, repaired as described above.
    mutating func evaluate(_ units: [Comparator]) -> Candidate {
        evaluations += 1
        work.reset(to: prefixPatterns)
        var ready = prefixReady
        var comparators = prefix
        var kept: [Comparator] = []
        kept.reserveCapacity(units.count + 8)
        comparators.reserveCapacity(prefix.count + units.count * 2 + 8)
        let symmetric = configuration.symmetric
        func place(_ c: Comparator, _ ready: inout [Int], _ comparators: inout [Comparator]) {
            let layer = max(ready[c.low], ready[c.high]) + 1
            ready[c.low] = layer
            ready[c.high] = layer
            comparators.append(c)
        }
        for u in units {
            if work.isEmpty { break }
            var used = false
            if work.apply(u) { place(u, &ready, &comparators); used = true }
            if symmetric {
                let m = u.mirrored(channels: channels)
                if m != u && work.apply(m) { place(m, &ready, &comparators); used = true }
            }
            if used { kept.append(u) }
        }
        let candidates = rank.depthFirst ? max(1, policy.depthCandidates) : 1
        while !work.isEmpty {
            var c = work.randomUsefulComparator(using: &rng)
            if candidates > 1 {
                var layer = max(ready[c.low], ready[c.high])
                for _ in 1..<candidates {
                    let d = work.randomUsefulComparator(using: &rng)
                    let l = max(ready[d.low], ready[d.high])
                    if l < layer { c = d; layer = l }
                }
            }
            work.apply(c)
            place(c, &ready, &comparators)
            if symmetric {
                let m = c.mirrored(channels: channels)
                if m != c && work.apply(m) { place(m, &ready, &comparators) }
            }
            kept.append(c)
        }
        return Candidate(units: kept, comparators: comparators, size: comparators.count, depth: ready.max() ?? 0)
    }

    func key(_ c: Candidate) -> Int { rank.key(size: c.size, depth: c.depth) }

    // MARK: Mutation

    /// A mutant of `units`: one or more of SorterHunter's six moves, and now and then an insertion.
    mutating func mutate(_ units: [Comparator]) -> [Comparator] {
        var u = units
        repeat {
            mutateOnce(&u)
        } while rng.unitDouble() < policy.extraMutationProbability
        if rng.unitDouble() < policy.insertionProbability {
            u.insert(randomComparator(), at: Int.random(in: 0...u.count, using: &rng))
        }
        return u
    }

    private mutating func mutateOnce(_ u: inout [Comparator]) {
        guard !u.isEmpty else {
            u.append(randomComparator())
            return
        }
        let i = Int.random(in: 0..<u.count, using: &rng)
        switch Int.random(in: 0..<6, using: &rng) {
        case 0:  // remove one (the "downhill" step)
            u.remove(at: i)
        case 1:  // swap two at random positions
            u.swapAt(i, Int.random(in: 0..<u.count, using: &rng))
        case 2:  // replace one with a random comparator
            u[i] = randomComparator()
        case 3:  // cross the wires of two: (a, b), (c, d) → (a, d), (c, b)
            let j = Int.random(in: 0..<u.count, using: &rng)
            let a = u[i], b = u[j]
            if a.low != b.high && b.low != a.high {
                u[i] = Comparator(a.low, b.high)
                u[j] = Comparator(b.low, a.high)
            }
        case 4:  // swap neighbours that share a wire
            if i + 1 < u.count && u[i].touches(u[i + 1]) { u.swapAt(i, i + 1) }
        default:  // move one end of a comparator to another wire
            let keep = rng.uniform(below: 2) == 0 ? u[i].low : u[i].high
            var other = rng.uniform(below: channels - 1)
            if other >= keep { other += 1 }
            u[i] = Comparator(keep, other)
        }
    }

    private mutating func randomComparator() -> Comparator {
        let a = rng.uniform(below: channels)
        var b = rng.uniform(below: channels - 1)
        if b >= a { b += 1 }
        return Comparator(a, b)
    }
}

extension PostfixEvolution {
    /// Restarts the run's generator (so that one postfix is always repaired the same way).
    mutating func reseed(_ seed: UInt64) { rng = SeededGenerator(seed: seed) }
}
