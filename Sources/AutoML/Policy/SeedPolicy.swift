/// Offsets that derive each random stream of a run from the run's one seed. They are not tuned: any
/// values would do, and they are fixed so that one seed always means the same run.
public struct SeedPolicy: Codable, Sendable, Equatable {
    /// Family i's strategy is seeded with seed + i × this (a prime, so the streams do not line up).
    public var familyStride: UInt64 = 7919
    /// Fold i's preprocessing (target encoding's inner folds) is seeded with seed + i + this.
    public var foldPreprocessing: UInt64 = 101
    /// The refit's preprocessing on all rows is seeded with seed + this.
    public var fullData: UInt64 = 7
    /// The ensemble guard's half-splits are seeded with seed + this.
    public var ensembleGate: UInt64 = 0x5EED

    public init() {}
}
