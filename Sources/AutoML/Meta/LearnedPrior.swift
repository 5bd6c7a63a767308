import Foundation
import Learners

/// What MLForge learned from a corpus, as it ships (`ShippedPrior.json`, generated into the source by
/// `scripts/build_prior.sh`, so that the binary carries it wherever it is copied): a portfolio of configurations in the order that gave the best anytime
/// result across the corpus, and a warm-start table — each corpus dataset's meta-features with its best
/// configurations per family — from which a new table's nearest datasets lend theirs. Built by
/// `PriorBuilder` from a knowledge base that `mlforge meta build` filled; the raw base is not shipped.
public struct LearnedPrior: Codable, Sendable, Equatable {
    /// The format's version (a prior of another version is not read).
    public static let formatVersion = 1
    public var version = LearnedPrior.formatVersion
    /// When and from what it was built.
    public var built: String
    public var settings: MetaProtocol
    /// The datasets it learned from, by name.
    public var datasets: [String]
    /// The portfolio, best first (greedy on the mean normalised score; see `PriorBuilder`).
    public var portfolio: [PortfolioEntry]
    /// What the portfolio's greedy raised (nil in a prior built before the choice existed: the best entry's score).
    public var portfolioObjective: PortfolioObjective?
    /// The warm-start table.
    public var neighbours: [Neighbour]
    /// Every configuration the portfolio and the table name, by entry name.
    public var configurations: [String: PriorConfiguration]

    /// The score a portfolio is chosen on.
    public enum PortfolioObjective: String, Codable, Sendable {
        /// The best normalised score among the chosen entries.
        case best
        /// The normalised score of the chosen entries' ensemble (`EnsemblePortfolio`).
        case ensemble
    }

    public struct PortfolioEntry: Codable, Sendable, Equatable {
        public var entry: String
        /// The portfolio's mean normalised score across the corpus once this entry is added (0–1; an
        /// ensemble's may exceed 1 by up to `EnsemblePortfolio.headroom`).
        public var score: Double
        /// The entry's mean fit seconds (all folds, on at most the protocol's rows).
        public var seconds: Double

        public init(entry: String, score: Double, seconds: Double) {
            self.entry = entry
            self.score = score
            self.seconds = seconds
        }
    }

    public struct Neighbour: Codable, Sendable, Equatable {
        public var dataset: String
        public var features: MetaFeatures
        /// The dataset's best entry of each family, by family name.
        public var best: [String: String]

        public init(dataset: String, features: MetaFeatures, best: [String: String]) {
            self.dataset = dataset
            self.features = features
            self.best = best
        }
    }

    public init(built: String, settings: MetaProtocol, datasets: [String], portfolio: [PortfolioEntry],
                neighbours: [Neighbour], configurations: [String: PriorConfiguration]) {
        self.built = built
        self.settings = settings
        self.datasets = datasets
        self.portfolio = portfolio
        self.neighbours = neighbours
        self.configurations = configurations
    }

    /// The prior MLForge ships (nil when the package was built without one).
    public static let shipped: LearnedPrior? = ShippedPrior.json.isEmpty ? nil : try? decode(Data(ShippedPrior.json.utf8))

    public static func decode(_ data: Data) throws -> LearnedPrior {
        do {
            let prior = try JSONDecoder().decode(LearnedPrior.self, from: data)
            guard prior.version == formatVersion else {
                throw AutoMLError.invalidInput("the prior is of format \(prior.version), this MLForge reads \(formatVersion); rebuild it with `mlforge meta prior`")
            }
            return prior
        } catch let error as AutoMLError { throw error } catch {
            throw AutoMLError.invalidInput("the prior cannot be read (\(error)); `mlforge meta prior` writes one")
        }
    }

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// The prior at `path`.
    public static func read(_ path: String) throws -> LearnedPrior {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw AutoMLError.invalidInput("cannot read the prior \(path): \(error.localizedDescription)")
        }
        return try decode(data)
    }
}
