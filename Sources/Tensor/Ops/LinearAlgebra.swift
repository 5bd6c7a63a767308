/// Matrix products.
extension Tensor {
    /// `self · other` for `self` of shape `[..., k]` and `other` of shape `[k, n]` — or `[n, k]` with
    /// `transposeOther` (a linear layer's weight), without copying the transpose. Leading axes of `self` are
    /// folded into the rows of one GEMM; the result is `[..., n]`.
    public func matmul(_ other: Tensor, transposeOther: Bool = false) -> Tensor {
        precondition(rank >= 1 && other.rank == 2, "matmul takes [..., k] · [k, n]; got \(shape) · \(other.shape)")
        let k = shape[rank - 1]
        precondition(other.shape[transposeOther ? 1 : 0] == k, "matmul: inner sizes differ (\(shape) · \(other.shape)\(transposeOther ? "ᵀ" : ""))")
        let n = other.shape[transposeOther ? 0 : 1]
        let m = count / Swift.max(k, 1)
        let storage: Storage
        switch (self.storage, other.storage) {
        case (.float(let a), .float(let b)): storage = .float(MatMul.gemm(a, b, m: m, n: n, k: k, transB: transposeOther))
        case (.double(let a), .double(let b)): storage = .double(MatMul.gemm(a, b, m: m, n: n, k: k, transB: transposeOther))
        default: preconditionFailure("cannot mix \(dtype) and \(other.dtype) tensors; cast one first")
        }
        return Tensor.record(.matmul(transposeB: transposeOther), inputs: [self, other], shape: Array(shape.dropLast()) + [n], storage: storage)
    }
}
