/// Sums, means and maxima along axes.
extension Tensor {
    /// Sum along `axis` (negative counts from the end).
    public func sum(axis: Int, keepDims: Bool = false) -> Tensor {
        let ax = Shape.axis(axis, rank: rank)
        let (outer, length, inner) = Reduce.blocks(shape, axis: ax)
        var kept = shape
        kept[ax] = 1
        let storage = storage.map({ Reduce.sum($0, outer: outer, length: length, inner: inner) },
                                  { Reduce.sum($0, outer: outer, length: length, inner: inner) })
        let r = Tensor.record(.sum(axis: ax), inputs: [self], shape: kept, storage: storage)
        return keepDims ? r : r.reshaped(shape.enumerated().filter { $0.offset != ax }.map(\.element))
    }

    /// Sum along several axes.
    public func sum(axes: [Int], keepDims: Bool = false) -> Tensor {
        let normal = Set(axes.map { Shape.axis($0, rank: rank) })
        var r = self
        for a in normal.sorted(by: >) { r = r.sum(axis: a, keepDims: true) }
        return keepDims ? r : r.reshaped(shape.enumerated().filter { !normal.contains($0.offset) }.map(\.element))
    }

    /// Sum of every element (a rank-0 tensor).
    public func sum() -> Tensor { sum(axes: Array(0..<rank)) }

    public func mean(axis: Int, keepDims: Bool = false) -> Tensor {
        sum(axis: axis, keepDims: keepDims) / Double(shape[Shape.axis(axis, rank: rank)])
    }

    public func mean(axes: [Int], keepDims: Bool = false) -> Tensor {
        let n = Set(axes.map { Shape.axis($0, rank: rank) }).reduce(1) { $0 * shape[$1] }
        return sum(axes: axes, keepDims: keepDims) / Double(n)
    }

    public func mean() -> Tensor { sum() / Double(Swift.max(count, 1)) }

    /// Population variance along `axes` (divides by n, as batch and layer normalisation do).
    public func variance(axes: [Int], keepDims: Bool = false) -> Tensor {
        let centred = self - mean(axes: axes, keepDims: true)
        return centred.square().mean(axes: axes, keepDims: keepDims)
    }

    /// Maximum along `axis`; the gradient goes to the first maximum.
    public func max(axis: Int, keepDims: Bool = false) -> Tensor {
        let ax = Shape.axis(axis, rank: rank)
        let (outer, length, inner) = Reduce.blocks(shape, axis: ax)
        var kept = shape
        kept[ax] = 1
        let result: (Storage, [Int])
        switch storage {
        case .float(let a): let (v, i) = Reduce.max(a, outer: outer, length: length, inner: inner); result = (.float(v), i)
        case .double(let a): let (v, i) = Reduce.max(a, outer: outer, length: length, inner: inner); result = (.double(v), i)
        }
        let r = Tensor.record(.max(axis: ax, argmax: result.1), inputs: [self], shape: kept, storage: result.0)
        return keepDims ? r : r.reshaped(shape.enumerated().filter { $0.offset != ax }.map(\.element))
    }

    /// Index of the maximum along the last axis, per row (no gradient).
    public func argmax() -> [Int] {
        let inner = shape.last ?? 1
        let v = doubles
        return (0..<(count / Swift.max(inner, 1))).map { r in
            var best = 0
            for j in 1..<inner where v[r * inner + j] > v[r * inner + best] { best = j }
            return best
        }
    }

    /// log Σ exp along `axis`, computed stably (the maximum is subtracted first, without a gradient).
    public func logSumExp(axis: Int, keepDims: Bool = false) -> Tensor {
        let m = max(axis: axis, keepDims: true).detached
        let r = (self - m).exp().sum(axis: axis, keepDims: true).log() + m
        return keepDims ? r : r.reshaped(shape.enumerated().filter { $0.offset != Shape.axis(axis, rank: rank) }.map(\.element))
    }

    public func logSoftmax(axis: Int = -1) -> Tensor { self - logSumExp(axis: axis, keepDims: true) }
    public func softmax(axis: Int = -1) -> Tensor { logSoftmax(axis: axis).exp() }

    /// Sums a broadcast gradient back to `target` (the shape before broadcasting).
    func sumTo(_ target: [Int]) -> Tensor {
        guard shape != target else { return self }
        var r = self
        let lead = rank - target.count
        for a in stride(from: rank - 1, through: 0, by: -1) {
            let t = a - lead
            if t < 0 || (target[t] == 1 && shape[a] != 1) { r = r.sum(axis: a, keepDims: true) }
        }
        return r.reshaped(target)
    }
}
