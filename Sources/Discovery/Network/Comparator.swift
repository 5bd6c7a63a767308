/// One compare-exchange: after it, wire `low` holds the smaller of the two values and wire `high` the
/// larger (wires numbered from 0, `low < high`, the standard form of Knuth, TAOCP 5.3.4).
public struct Comparator: Hashable, Sendable, CustomStringConvertible {
    public let low: Int
    public let high: Int

    /// The comparator on wires `a` and `b`, in either order (the smaller index becomes `low`).
    public init(_ a: Int, _ b: Int) {
        precondition(a != b && a >= 0 && b >= 0, "a comparator joins two different wires; got \(a) and \(b)")
        low = Swift.min(a, b)
        high = Swift.max(a, b)
    }

    /// The same comparator seen in a mirror: wire w becomes n − 1 − w (a reflection-symmetric network is
    /// its own mirror image).
    public func mirrored(channels n: Int) -> Comparator { Comparator(n - 1 - high, n - 1 - low) }

    /// Whether it shares a wire with `other`.
    public func touches(_ other: Comparator) -> Bool {
        low == other.low || low == other.high || high == other.low || high == other.high
    }

    /// Applies the comparator to a 0-1 input, one bit a wire (bit w is wire w's value).
    @inline(__always)
    public func apply(toBits v: UInt32) -> UInt32 {
        // Only a 1 on the low wire above a 0 on the high wire moves: then the two bits swap.
        let a = (v >> UInt32(low)) & 1, b = (v >> UInt32(high)) & 1
        return a & ~b == 1 ? v ^ ((1 << UInt32(low)) | (1 << UInt32(high))) : v
    }

    public var description: String { "[\(low),\(high)]" }
}
