import Foundation
import Learners

/// The fixed, seeded protocol `mlforge meta build` runs on every corpus dataset, so that every dataset's
/// results are comparable: the same configurations (`PriorConfiguration.protocolEntries`), the same
/// validation (`MetaProtocol.validation` on at most `maxRows` rows), the same time cap per
/// configuration. Each corpus dataset's entry in the knowledge base records the row cap it was measured at
/// (`protocol_max_rows`); the prior built from the base records the whole protocol.
public struct MetaProtocol: Codable, Sendable, Equatable {
    /// Larger datasets are cut to this many rows by a seeded subsample (the protocol's cost grows with the
    /// rows; 3,000 keep a corpus build under an hour on 2 cores).
    public var maxRows = 3000
    /// Points spread over each family's space beside its low-cost point and hand-set portfolio. Boosted
    /// trees, the strongest family on tables, get the most; the network the fewest (it is the costliest).
    public var samples: [String: Int] = ["xgboost": 24, "random_forest": 8, "linear": 8, "knn": 6, "mlp": 6]
    /// The time one configuration may take over all its folds; a learner that stops at its deadline is cut
    /// there (a cut fit is recorded as what it gave, as in a search).
    public var secondsPerConfiguration = 3.0
    public var seed: UInt64 = 0

    public init() {}

    public static let standard = MetaProtocol()

    /// The protocol's split: the fit's validation when the first bases were built (5-fold cross-validation
    /// up to 5,000 rows, a 20% hold-out above, no cap on values), fixed, so that a base's stored
    /// out-of-fold predictions keep matching the rows its datasets' plans validate (`validatedTargets`)
    /// whatever the fit's own `ValidationPolicy` becomes.
    public static let validation: ValidationPolicy = {
        var v = ValidationPolicy()
        v.crossValidationMaxRows = 5000
        v.crossValidationMaxCells = .max
        v.folds = 5
        v.holdoutFraction = 0.2
        return v
    }()

    /// The families the protocol runs, in the registry's order.
    public var families: [LearnerFamily] {
        AutoMLOptions.standardFamilies.filter { samples[$0.rawValue] != nil }
    }

    /// Every entry the protocol runs on a table of `shape`.
    public func entries(for shape: (LearnerFamily) throws -> DataShape) rethrows -> [(LearnerFamily, DataShape, [PriorConfiguration])] {
        try families.map { f in
            let s = try shape(f)
            return (f, s, PriorConfiguration.protocolEntries(f, samples: samples[f.rawValue] ?? 0, seed: seed, shape: s))
        }
    }
}
