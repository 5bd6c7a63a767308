/// A fast, seedable random number generator (xoshiro256**, Blackman & Vigna 2018), seeded through SplitMix64.
///
/// One seed makes a whole run reproducible. The stream is fixed by this file alone, so results
/// do not change with the Swift standard library's own algorithms (see `uniform(below:)` and `shuffle`).
public struct SeededGenerator: RandomNumberGenerator, Codable, Sendable, Equatable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        var sm = seed
        var s: [UInt64] = []
        for _ in 0..<4 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            s.append(z ^ (z >> 31))
        }
        (s0, s1, s2, s3) = (s[0], s[1], s[2], s[3])
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

extension RandomNumberGenerator {
    /// A uniform integer in `0..<bound` (Lemire's nearly-divisionless method), independent of the stdlib version.
    public mutating func uniform(below bound: Int) -> Int {
        precondition(bound > 0, "uniform(below:) needs a positive bound")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// A uniform Double in [0, 1) with 53 random bits.
    public mutating func unitDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }
}

extension MutableCollection where Self: RandomAccessCollection, Index == Int {
    /// Fisher–Yates shuffle driven by `rng`, with a stream fixed by this package.
    public mutating func seededShuffle(using rng: inout some RandomNumberGenerator) {
        guard count > 1 else { return }
        var i = endIndex - 1
        while i > startIndex {
            let j = startIndex + rng.uniform(below: i - startIndex + 1)
            swapAt(i, j)
            i -= 1
        }
    }
}
