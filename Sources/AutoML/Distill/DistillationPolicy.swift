/// Every constant of a distillation (`mlforge distill`), named with its reason.
public struct DistillationPolicy: Codable, Sendable, Equatable {
    /// Synthetic rows per table row. AutoGluon's augmented distillation (Fakoor et al., 2020) makes 5
    /// per row by default; 4 leaves the student's search a little more of a short budget. Not tuned.
    public var syntheticPerRow = 4.0
    /// At most this many synthetic rows, whatever the table's size (AutoGluon caps at 100,000): the
    /// student's fits grow with them.
    public var maxSyntheticRows = 50_000
    /// The teacher's predictions for the synthetic rows may take at most this share of the budget: the
    /// count is cut to what the teacher, timed on the table's rows, labels within it.
    public var labellingShareOfBudget = 0.2
    /// MUNGE (Buciluǎ, Caruana and Niculescu-Mizil, 2006): each attribute of a row is taken from its
    /// nearest neighbour's with this probability (the paper's p).
    public var mungeSwapProbability = 0.5
    /// MUNGE's local spread (the paper's s): a numeric value taken from the neighbour is drawn from a
    /// normal around the neighbour's value with standard deviation |a − b| / s.
    public var mungeSpread = 2.0
    /// Each row's nearest neighbour is looked for among at most this many rows (a seeded sample beyond):
    /// the search is rows × pool × features.
    public var neighbourPool = 4_000
    /// The share of the table's rows the student is validated on (a hold-out, so that the students that
    /// refit end as one model on all rows).
    public var holdoutFraction = 0.2

    public init() {}

    public static let standard = DistillationPolicy()

    /// Checks the values are usable.
    public func validate() throws {
        guard syntheticPerRow >= 0, syntheticPerRow.isFinite, maxSyntheticRows >= 0,
              (0...1).contains(labellingShareOfBudget), (0...1).contains(mungeSwapProbability),
              mungeSpread > 0, neighbourPool >= 1, (0.05...0.5).contains(holdoutFraction) else {
            throw AutoMLError.invalidInput("the distillation policy has a value out of range: \(self)")
        }
    }
}
