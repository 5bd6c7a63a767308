/// Shape arithmetic: element counts, strides and broadcasting.
public enum Shape {
    public static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    /// Row-major strides.
    public static func strides(_ shape: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            s[i] = acc
            acc *= shape[i]
        }
        return s
    }

    /// The shape two shapes broadcast to (NumPy rules), or nil when they are incompatible.
    public static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            guard da == db || da == 1 || db == 1 else { return nil }
            out[i] = Swift.max(da, db)
        }
        return out
    }

    /// Strides of `shape` seen as `out` (right-aligned; 0 along broadcast axes).
    static func broadcastStrides(_ shape: [Int], to out: [Int]) -> [Int] {
        let own = strides(shape)
        let offset = out.count - shape.count
        return (0..<out.count).map { i in
            i < offset ? 0 : (shape[i - offset] == 1 ? 0 : own[i - offset])
        }
    }

    /// Normalises a possibly negative axis.
    static func axis(_ a: Int, rank: Int) -> Int {
        let r = a < 0 ? a + rank : a
        precondition(r >= 0 && r < Swift.max(rank, 1), "axis \(a) is out of range for rank \(rank)")
        return r
    }
}
