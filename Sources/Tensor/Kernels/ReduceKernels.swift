/// Reductions along one axis, seen as a `[outer, length, inner]` block of the contiguous array.
enum Reduce {
    /// Sums along the middle axis of `[outer, length, inner]`; the result is `[outer, inner]`.
    static func sum<T: TensorScalar>(_ a: [T], outer: Int, length: Int, inner: Int) -> [T] {
        var out = [T](repeating: 0, count: outer * inner)
        a.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { d in
                for o in 0..<outer {
                    let base = o * length * inner
                    if inner == 1 {
                        var s: T = 0
                        for l in 0..<length { s += x[base + l] }
                        d[o] = s
                    } else {
                        for l in 0..<length {
                            let row = base + l * inner
                            for i in 0..<inner { d[o * inner + i] += x[row + i] }
                        }
                    }
                }
            }
        }
        return out
    }

    /// The maximum along the middle axis, and the flat index of the (first) maximum for each result.
    static func max<T: TensorScalar>(_ a: [T], outer: Int, length: Int, inner: Int) -> (values: [T], argmax: [Int]) {
        precondition(length > 0, "max over an empty axis")
        var values = [T](repeating: 0, count: outer * inner)
        var arg = [Int](repeating: 0, count: outer * inner)
        a.withUnsafeBufferPointer { x in
            for o in 0..<outer {
                for i in 0..<inner {
                    var best = o * length * inner + i
                    var bestValue = x[best]
                    for l in 1..<length {
                        let k = (o * length + l) * inner + i
                        if x[k] > bestValue || (bestValue.isNaN == false && x[k].isNaN) { best = k; bestValue = x[k] }
                    }
                    values[o * inner + i] = bestValue
                    arg[o * inner + i] = best
                }
            }
        }
        return (values, arg)
    }

    /// `[outer, length, inner]` for `axis` of `shape`.
    static func blocks(_ shape: [Int], axis: Int) -> (outer: Int, length: Int, inner: Int) {
        (Shape.count(Array(shape[..<axis])), shape[axis], Shape.count(Array(shape[(axis + 1)...])))
    }
}
