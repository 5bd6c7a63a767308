/// Reshapes, permutations, slices, concatenation, gathers and broadcasting.
extension Tensor {
    /// The same elements with another shape (one dimension may be -1: inferred).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var s = newShape
        if let k = s.firstIndex(of: -1) {
            let known = s.enumerated().filter { $0.offset != k }.reduce(1) { $0 * $1.element }
            s[k] = known == 0 ? 0 : count / known
        }
        precondition(Shape.count(s) == count, "cannot reshape \(shape) to \(newShape)")
        if s == shape { return self }
        return Tensor.record(.reshape, inputs: [self], shape: s, storage: storage)
    }

    /// `[N, ...]` flattened to `[N, rest]`.
    public func flattened() -> Tensor { reshaped([shape.first ?? 1, -1]) }

    /// Axes permuted: result axis i is this tensor's axis `perm[i]`.
    public func transposed(_ perm: [Int]) -> Tensor {
        precondition(perm.sorted() == Array(0..<rank), "\(perm) is not a permutation of the \(rank) axes")
        if perm == Array(0..<rank) { return self }
        let out = perm.map { shape[$0] }
        let s = storage.map({ Layout.permute($0, shape: shape, perm: perm) }, { Layout.permute($0, shape: shape, perm: perm) })
        return Tensor.record(.transpose(perm: perm), inputs: [self], shape: out, storage: s)
    }

    /// The matrix transpose of a rank-2 tensor.
    public var t: Tensor { transposed([1, 0]) }

    /// Elements `range` along `axis`.
    public func slice(axis: Int, _ range: Range<Int>) -> Tensor {
        let ax = Shape.axis(axis, rank: rank)
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[ax], "slice \(range) is out of bounds for axis \(ax) of \(shape)")
        var out = shape
        out[ax] = range.count
        let s = storage.map({ Layout.slice($0, shape: shape, axis: ax, start: range.lowerBound, end: range.upperBound) },
                            { Layout.slice($0, shape: shape, axis: ax, start: range.lowerBound, end: range.upperBound) })
        return Tensor.record(.slice(axis: ax, start: range.lowerBound), inputs: [self], shape: out, storage: s)
    }

    /// Tensors joined along `axis`; they must agree on every other axis.
    public static func concat(_ parts: [Tensor], axis: Int) -> Tensor {
        precondition(!parts.isEmpty, "concat needs at least one tensor")
        let ax = Shape.axis(axis, rank: parts[0].rank)
        var out = parts[0].shape
        out[ax] = parts.reduce(0) { $0 + $1.shape[ax] }
        for p in parts {
            var a = p.shape, b = parts[0].shape
            a[ax] = 0; b[ax] = 0
            precondition(a == b, "concat along axis \(ax): shapes \(p.shape) and \(parts[0].shape) differ elsewhere")
        }
        let shapes = parts.map(\.shape)
        let storage: Storage
        switch parts[0].storage {
        case .float: storage = .float(Layout.concat(parts.map { $0.storage.floats }, shapes: shapes, axis: ax))
        case .double: storage = .double(Layout.concat(parts.map { $0.storage.doubles }, shapes: shapes, axis: ax))
        }
        return record(.concat(axis: ax), inputs: parts, shape: out, storage: storage)
    }

    /// Rows `indices` of a `[rows, ...]` tensor (an embedding lookup).
    public func gatherRows(_ indices: [Int]) -> Tensor {
        let width = count / Swift.max(shape[0], 1)
        precondition(indices.allSatisfy { $0 >= 0 && $0 < shape[0] }, "gatherRows: an index is outside 0..<\(shape[0])")
        var out = shape
        out[0] = indices.count
        let s = storage.map({ Layout.gatherRows($0, width: width, indices: indices) }, { Layout.gatherRows($0, width: width, indices: indices) })
        return Tensor.record(.gatherRows(indices: indices), inputs: [self], shape: out, storage: s)
    }

    /// The tensor repeated along broadcast axes to `target`.
    public func broadcast(to target: [Int]) -> Tensor {
        guard target != shape else { return self }
        precondition(Shape.broadcast(shape, target) == target, "cannot broadcast \(shape) to \(target)")
        let n = Shape.count(target)
        let s = storage.map({ Elementwise.broadcastZip([Float](repeating: 0, count: n), target, $0, shape, out: target) { _, v in v } },
                            { Elementwise.broadcastZip([Double](repeating: 0, count: n), target, $0, shape, out: target) { _, v in v } })
        return Tensor.record(.broadcast, inputs: [self], shape: target, storage: s)
    }
}
