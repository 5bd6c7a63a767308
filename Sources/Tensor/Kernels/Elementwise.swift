/// Elementwise kernels, generic over the element type and specialised for `Float` and `Double`.
enum Elementwise {
    /// `f` applied to every element.
    @inline(__always)
    static func map<T: TensorScalar>(_ a: [T], _ f: (T) -> T) -> [T] {
        a.withUnsafeBufferPointer { src in
            uninitialized(a.count) { (dst: UnsafeMutablePointer<T>) in
                nonisolated(unsafe) let d = dst
                nonisolated(unsafe) let s = src
                Parallel.forChunks(a.count) { r in
                    for i in r { d[i] = f(s[i]) }
                }
            }
        }
    }

    /// `f(a, b)` for two arrays of equal length.
    @inline(__always)
    static func zip<T: TensorScalar>(_ a: [T], _ b: [T], _ f: (T, T) -> T) -> [T] {
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                uninitialized(a.count) { (dst: UnsafeMutablePointer<T>) in
                    nonisolated(unsafe) let (d, x, y) = (dst, pa, pb)
                    Parallel.forChunks(a.count) { r in
                        for i in r { d[i] = f(x[i], y[i]) }
                    }
                }
            }
        }
    }

    /// `f(a, b)` with NumPy broadcasting of `a` (shape `sa`) and `b` (shape `sb`) to `out`.
    @inline(__always)
    static func broadcastZip<T: TensorScalar>(
        _ a: [T], _ sa: [Int], _ b: [T], _ sb: [Int], out: [Int], _ f: (T, T) -> T
    ) -> [T] {
        let total = Shape.count(out)
        if sa == sb { return zip(a, b, f) }
        if b.count == 1 { let y = b[0]; return map(a) { f($0, y) } }
        if a.count == 1 { let x = a[0]; return map(b) { f(x, $0) } }
        let rank = out.count
        let stA = Shape.broadcastStrides(sa, to: out)
        let stB = Shape.broadcastStrides(sb, to: out)
        let inner = rank == 0 ? 1 : out[rank - 1]
        let ia = rank == 0 ? 0 : stA[rank - 1], ib = rank == 0 ? 0 : stB[rank - 1]
        let outer = inner == 0 ? 0 : total / inner
        let outerShape = Array(out.dropLast())
        let outerStrides = Shape.strides(outerShape)
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                uninitialized(total) { (dst: UnsafeMutablePointer<T>) in
                    nonisolated(unsafe) let (d, x, y) = (dst, pa, pb)
                    Parallel.forChunks(outer, minimum: Swift.max(1, Parallel.threshold / Swift.max(inner, 1))) { rows in
                        for o in rows {
                            var rem = o, offA = 0, offB = 0
                            for k in 0..<outerShape.count {
                                let idx = rem / outerStrides[k]
                                rem -= idx * outerStrides[k]
                                offA += idx * stA[k]
                                offB += idx * stB[k]
                            }
                            let base = o * inner
                            if ia == 1 && ib == 1 {
                                for j in 0..<inner { d[base + j] = f(x[offA + j], y[offB + j]) }
                            } else if ia == 1 && ib == 0 {
                                let v = y[offB]
                                for j in 0..<inner { d[base + j] = f(x[offA + j], v) }
                            } else if ia == 0 && ib == 1 {
                                let v = x[offA]
                                for j in 0..<inner { d[base + j] = f(v, y[offB + j]) }
                            } else {
                                for j in 0..<inner { d[base + j] = f(x[offA + j * ia], y[offB + j * ib]) }
                            }
                        }
                    }
                }
            }
        }
    }
}
