/// Matrix products.
extension Tensor {
    /// `self · other` for `self` of shape `[..., k]` and `other` of shape `[k, n]` (leading axes are
    /// folded into the rows of one GEMM); the result is `[..., n]`.
    public func matmul(_ other: Tensor) -> Tensor {
        precondition(rank >= 1 && other.rank == 2, "matmul takes [..., k] · [k, n]; got \(shape) · \(other.shape)")
        let k = shape[rank - 1]
        precondition(other.shape[0] == k, "matmul: inner sizes differ (\(shape) · \(other.shape))")
        let n = other.shape[1]
        let m = count / Swift.max(k, 1)
        let storage: Storage
        switch (self.storage, other.storage) {
        case (.float(let a), .float(let b)): storage = .float(MatMul.gemm(a, b, m: m, n: n, k: k))
        case (.double(let a), .double(let b)): storage = .double(MatMul.gemm(a, b, m: m, n: n, k: k))
        default: preconditionFailure("cannot mix \(dtype) and \(other.dtype) tensors; cast one first")
        }
        return Tensor.record(.matmul, inputs: [self, other], shape: Array(shape.dropLast()) + [n], storage: storage)
    }
}
