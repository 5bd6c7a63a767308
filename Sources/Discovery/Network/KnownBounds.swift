/// The smallest size and depth of sorting networks known from the literature, for n = 1 … 16: what a
/// search is measured against.
///
/// Sizes: optimal for n ≤ 10 (Knuth, TAOCP 5.3.4; Floyd and Knuth for n ≤ 8, Codish, Cruz-Filipe, Frank
/// and Schneider-Kamp 2014 for 9 and 10) and for 11 and 12 (Harder 2020); best known, not proven optimal,
/// for 13 … 16 (Green's 60 for 16, Shapiro's and Van Voorhis's networks). Depths: optimal for every n ≤ 16
/// (Parberry 1991 to 10, Bundala and Závodný 2014 to 16).
public enum KnownBounds {
    public struct Bound: Sendable, Equatable {
        public var size: Int
        public var sizeIsOptimal: Bool
        public var depth: Int
    }

    static let sizes = [0, 1, 3, 5, 9, 12, 16, 19, 25, 29, 35, 39, 45, 51, 56, 60]
    static let depths = [0, 1, 3, 3, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 9, 9]

    /// The known bound for `n` wires, or nil outside 1 … 16.
    public static func forChannels(_ n: Int) -> Bound? {
        guard (1...sizes.count).contains(n) else { return nil }
        return Bound(size: sizes[n - 1], sizeIsOptimal: n <= 12, depth: depths[n - 1])
    }
}
