/// What a sorting-network search minimises.
public enum NetworkObjective: String, Codable, Sendable, CaseIterable {
    /// Fewest comparators, then fewest layers.
    case size
    /// Fewest layers, then fewest comparators.
    case depth
    /// The front of (size, depth) pairs no other network beats on both; the search alternates its runs
    /// between the two orders.
    case both
}

/// The order in which one run compares two networks: lexicographic on (size, depth) or (depth, size).
struct NetworkRank: Sendable {
    let depthFirst: Bool

    /// The key a run minimises.
    @inline(__always)
    func key(size: Int, depth: Int) -> Int { depthFirst ? depth << 16 | size : size << 16 | depth }
}
