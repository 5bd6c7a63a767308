/// Copies that rearrange elements: permutation of axes, slices, concatenation, row gathers.
enum Layout {
    /// The array of `shape` with its axes permuted (`out` axis i is input axis `perm[i]`).
    static func permute<T: TensorScalar>(_ a: [T], shape: [Int], perm: [Int]) -> [T] {
        let rank = shape.count
        let outShape = perm.map { shape[$0] }
        let inStrides = Shape.strides(shape)
        let srcStrides = perm.map { inStrides[$0] }  // input stride for each output axis
        let total = a.count
        if rank == 2 && perm == [1, 0] { return transpose2D(a, rows: shape[0], cols: shape[1]) }
        return a.withUnsafeBufferPointer { x in
            uninitialized(total) { (d: UnsafeMutablePointer<T>) in
                guard total > 0 else { return }
                let inner = outShape[rank - 1]
                let innerStride = srcStrides[rank - 1]
                let outerShape = Array(outShape.dropLast())
                let outerStrides = Shape.strides(outerShape)
                for o in 0..<(total / Swift.max(inner, 1)) {
                    var rem = o, off = 0
                    for k in 0..<outerShape.count {
                        let idx = rem / outerStrides[k]
                        rem -= idx * outerStrides[k]
                        off += idx * srcStrides[k]
                    }
                    if innerStride == 1 {
                        (d + o * inner).update(from: x.baseAddress! + off, count: inner)
                    } else {
                        for j in 0..<inner { d[o * inner + j] = x[off + j * innerStride] }
                    }
                }
            }
        }
    }

    /// Blocked 2-D transpose.
    static func transpose2D<T: TensorScalar>(_ a: [T], rows: Int, cols: Int) -> [T] {
        a.withUnsafeBufferPointer { x in
            uninitialized(rows * cols) { (d: UnsafeMutablePointer<T>) in
                let block = 32
                for r0 in stride(from: 0, to: rows, by: block) {
                    for c0 in stride(from: 0, to: cols, by: block) {
                        for r in r0..<Swift.min(rows, r0 + block) {
                            for c in c0..<Swift.min(cols, c0 + block) { d[c * rows + r] = x[r * cols + c] }
                        }
                    }
                }
            }
        }
    }

    /// Elements `start..<end` along `axis`.
    static func slice<T: TensorScalar>(_ a: [T], shape: [Int], axis: Int, start: Int, end: Int) -> [T] {
        let (outer, length, inner) = Reduce.blocks(shape, axis: axis)
        let width = (end - start) * inner
        var out: [T] = []
        out.reserveCapacity(outer * width)
        for o in 0..<outer {
            let base = (o * length + start) * inner
            out.append(contentsOf: a[base..<(base + width)])
        }
        return out
    }

    /// `a` placed at `start` along `axis` in zeros of `fullShape` (the inverse of `slice`).
    static func unslice<T: TensorScalar>(_ a: [T], fullShape: [Int], axis: Int, start: Int) -> [T] {
        let (outer, length, inner) = Reduce.blocks(fullShape, axis: axis)
        let width = a.count / Swift.max(outer, 1)
        var out = [T](repeating: 0, count: Shape.count(fullShape))
        for o in 0..<outer {
            let base = (o * length + start) * inner
            for j in 0..<width { out[base + j] = a[o * width + j] }
        }
        return out
    }

    /// Concatenation along `axis` of arrays whose shapes differ only there (`sizes` along it).
    static func concat<T: TensorScalar>(_ parts: [[T]], shapes: [[Int]], axis: Int) -> [T] {
        let outer = Shape.count(Array(shapes[0][..<axis]))
        var out: [T] = []
        out.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for o in 0..<outer {
            for (p, part) in parts.enumerated() {
                let width = part.count / Swift.max(outer, 1)
                _ = shapes[p]
                out.append(contentsOf: part[(o * width)..<((o + 1) * width)])
            }
        }
        return out
    }

    /// Rows `indices` of a `[rows, width]` array.
    static func gatherRows<T: TensorScalar>(_ a: [T], width: Int, indices: [Int]) -> [T] {
        var out: [T] = []
        out.reserveCapacity(indices.count * width)
        for i in indices { out.append(contentsOf: a[(i * width)..<((i + 1) * width)]) }
        return out
    }

    /// Adds row k of `g` into row `indices[k]` of a zero `[rows, width]` array (the gradient of a gather).
    static func scatterAddRows<T: TensorScalar>(_ g: [T], width: Int, indices: [Int], rows: Int) -> [T] {
        var out = [T](repeating: 0, count: rows * width)
        for (k, i) in indices.enumerated() {
            for j in 0..<width { out[i * width + j] += g[k * width + j] }
        }
        return out
    }
}
