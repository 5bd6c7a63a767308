/// How a fairness constraint (`fit --fairness`) is met with a decision threshold per group.
public struct FairnessPolicy: Codable, Sendable, Equatable {
    /// The thresholds tried per group: at most this many cut points between its rows' distinct
    /// probabilities (at evenly spaced ranks), besides selecting none and all. Hand-set: 64 cuts keep
    /// each group's rates within about 1/64 of any value they could reach.
    public var thresholdsPerGroup = 64
    /// The rates the groups are held near are tried on a grid of this step in [0, 1]; each group's rate
    /// must lie within half the bound of it, so the groups' spread stays within the bound. Hand-set.
    public var levelStep = 0.01
    /// The bounds the card's score-against-disparity trade-off is drawn at (the user's bound is added).
    public var tradeoffBounds: [Double] = [0, 0.01, 0.02, 0.05, 0.1, 0.2, 1]

    public init() {}
}
