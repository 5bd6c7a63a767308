/// Every constant of the sorting-network search, with its reason: the search's policy as one value.
public struct NetworkSearchPolicy: Codable, Sendable, Equatable {
    /// How a restart's fixed first comparators are chosen.
    public enum PrefixKind: String, Codable, Sendable {
        /// No prefix: every comparator evolves.
        case none
        /// One full layer, wire i against wire n − 1 − i (for depth, any full first layer can be assumed).
        case firstLayer
        /// SorterHunter's "greedy algorithm A": comparators one at a time, each one that leaves the fewest
        /// distinct unsorted 0-1 vectors (ties broken at random), to `prefixFraction` × n comparators.
        case greedy
    }

    /// One configuration of the prefix-and-postfix evolution; restarts cycle through a portfolio of them.
    public struct Configuration: Codable, Sendable, Equatable {
        public var prefix: PrefixKind
        /// With `.greedy`: the prefix's size as a multiple of n.
        public var prefixFraction: Double
        /// Reflection-symmetric networks only (each comparator with its mirror): a much smaller space that
        /// holds the best known networks for most even n (Valsalam and Miikkulainen 2013).
        public var symmetric: Bool

        public init(prefix: PrefixKind, prefixFraction: Double = 0, symmetric: Bool) {
            self.prefix = prefix
            self.prefixFraction = prefixFraction
            self.symmetric = symmetric
        }
    }

    /// The portfolio for even n (measured in BENCHMARKS.md, "Sorting networks").
    public var evenPortfolio: [Configuration]
    /// The portfolio for odd n: symmetric networks have a comparator on the middle wire pair only, and
    /// lose more often than they win there.
    public var oddPortfolio: [Configuration]
    /// A restart after this many evaluations without a better network in the current run (hand-set:
    /// SorterHunter runs without restarts, but one prefix can trap a run).
    public var restartAfter: Int
    /// Mutations per step: 1 plus a geometric count with this continuation probability.
    public var extraMutationProbability: Double
    /// The chance per step of an "uphill" insertion of a random comparator (SorterHunter's escape).
    public var insertionProbability: Double
    /// Candidate comparators drawn per completion step when depth counts (the one with the earliest
    /// layer wins): 1 draws the first.
    public var depthCandidates: Int
    /// The search-core strategies (`evolution`, `reinforce`, `random`) encode a network as this many
    /// comparator slots times the best known size (each slot a pair or empty).
    public var slotsPerKnownComparator: Double
    /// Regularized evolution's population and tournament size for the search-core strategy.
    public var evolutionPopulation: Int
    public var evolutionTournament: Int

    public static let standard = NetworkSearchPolicy(
        evenPortfolio: [
            Configuration(prefix: .greedy, prefixFraction: 1.0, symmetric: true),
            Configuration(prefix: .firstLayer, symmetric: true),
            Configuration(prefix: .greedy, prefixFraction: 1.0, symmetric: false),
        ],
        oddPortfolio: [
            Configuration(prefix: .greedy, prefixFraction: 1.0, symmetric: false),
            Configuration(prefix: .firstLayer, symmetric: false),
            Configuration(prefix: .greedy, prefixFraction: 1.0, symmetric: true),
        ],
        restartAfter: 200_000,
        extraMutationProbability: 0.3,
        insertionProbability: 0.004,
        depthCandidates: 8,
        slotsPerKnownComparator: 1.5,
        evolutionPopulation: 50,
        evolutionTournament: 10
    )

    /// The portfolio for `n` wires.
    public func portfolio(channels n: Int) -> [Configuration] {
        n % 2 == 0 ? evenPortfolio : oddPortfolio
    }
}
