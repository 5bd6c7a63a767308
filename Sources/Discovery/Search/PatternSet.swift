/// The distinct unsorted 0-1 vectors that the rest of a network still has to sort (bit w of a vector is
/// wire w's value), with the scratch table that keeps them distinct.
///
/// A prefix's outputs over all 2^n inputs are few once it has a few comparators (3^(n/2) after one full
/// layer, for even n), so a postfix is tested on those alone (SorterHunter's observation): a postfix
/// that sorts them makes the whole network a sorting network.
struct PatternSet {
    let channels: Int
    private(set) var patterns: [UInt32]
    /// `stamp[v] == generation` marks v as already kept during the current comparator's pass.
    private var stamp: [UInt32]
    private var generation: UInt32 = 0

    /// Every unsorted 0-1 vector of `channels` wires.
    init(channels: Int) {
        self.channels = channels
        stamp = [UInt32](repeating: 0, count: 1 << channels)
        patterns = []
        patterns.reserveCapacity(1 << channels)
        for v in 0..<UInt32(1 << channels) where !Self.isSorted(v, channels: channels) { patterns.append(v) }
    }

    var isEmpty: Bool { patterns.isEmpty }
    var count: Int { patterns.count }

    /// Sorted: 0s on the low wires, 1s on the high ones (0, or a run of 1s ending at wire n − 1).
    @inline(__always)
    static func isSorted(_ v: UInt32, channels: Int) -> Bool {
        v == 0 || UInt64(v) + UInt64(v & (0 &- v)) == UInt64(1) << UInt64(channels)
    }

    /// Whether `c` would move any pattern.
    @inline(__always)
    func acts(_ c: Comparator) -> Bool {
        let lo = UInt32(1) << UInt32(c.low), hi = UInt32(1) << UInt32(c.high)
        return patterns.withUnsafeBufferPointer { p in p.contains { $0 & (lo | hi) == lo } }
    }

    /// Applies `c` to every pattern, dropping those it sorts and merging those it makes equal; returns
    /// false, leaving the set as it was, when `c` moves nothing (a redundant comparator).
    @discardableResult
    mutating func apply(_ c: Comparator) -> Bool {
        guard acts(c) else { return false }
        let lo = UInt32(1) << UInt32(c.low), hi = UInt32(1) << UInt32(c.high), n = channels
        let g = nextGeneration()
        var kept = 0
        patterns.withUnsafeMutableBufferPointer { p in
            stamp.withUnsafeMutableBufferPointer { st in
                for i in 0..<p.count {
                    var v = p[i]
                    if v & (lo | hi) == lo {
                        v ^= lo | hi
                        if Self.isSorted(v, channels: n) { continue }
                    }
                    if st[Int(v)] != g {
                        st[Int(v)] = g
                        p[kept] = v
                        kept += 1
                    }
                }
            }
        }
        patterns.removeLast(patterns.count - kept)
        return true
    }

    /// A fresh stamp value: every stamp older than it counts as unseen (the table is cleared when the
    /// counter wraps).
    private mutating func nextGeneration() -> UInt32 {
        generation &+= 1
        if generation == 0 {
            for i in stamp.indices { stamp[i] = 0 }
            generation = 1
        }
        return generation
    }

    /// How many patterns would remain after `c` (for the greedy prefix), without changing the set.
    mutating func countAfter(_ c: Comparator) -> Int {
        let lo = UInt32(1) << UInt32(c.low), hi = UInt32(1) << UInt32(c.high), n = channels
        let g = nextGeneration()
        var count = 0
        patterns.withUnsafeBufferPointer { p in
            stamp.withUnsafeMutableBufferPointer { st in
                for var v in p {
                    if v & (lo | hi) == lo {
                        v ^= lo | hi
                        if Self.isSorted(v, channels: n) { continue }
                    }
                    if st[Int(v)] != g {
                        st[Int(v)] = g
                        count += 1
                    }
                }
            }
        }
        return count
    }

    /// Makes this set hold `saved` (patterns of the same wires, distinct and unsorted, as `patterns`
    /// gave them), keeping its own scratch table.
    mutating func reset(to saved: [UInt32]) {
        patterns.removeAll(keepingCapacity: true)
        patterns.append(contentsOf: saved)
    }

    /// A comparator that moves at least one pattern: an inversion (a 1 below a 0) of a random pattern,
    /// drawn uniformly among that pattern's inversions. The set must not be empty.
    func randomUsefulComparator(using rng: inout some RandomNumberGenerator) -> Comparator {
        let v = patterns[Int.random(in: 0..<patterns.count, using: &rng)]
        let full = UInt32(truncatingIfNeeded: (UInt64(1) << UInt64(channels)) - 1)
        let zeros = ~v & full
        var total = 0
        var ones = v
        while ones != 0 {
            let i = ones.trailingZeroBitCount
            ones &= ones - 1
            total += (zeros >> UInt32(i + 1)).nonzeroBitCount
        }
        precondition(total > 0, "randomUsefulComparator: a sorted pattern is in the set")
        var pick = Int.random(in: 0..<total, using: &rng)
        ones = v
        while ones != 0 {
            let i = ones.trailingZeroBitCount
            ones &= ones - 1
            var above = (zeros >> UInt32(i + 1)) << UInt32(i + 1)
            let k = above.nonzeroBitCount
            if pick < k {
                for _ in 0..<pick { above &= above - 1 }
                return Comparator(i, above.trailingZeroBitCount)
            }
            pick -= k
        }
        preconditionFailure("randomUsefulComparator: inversion count mismatch")
    }
}
