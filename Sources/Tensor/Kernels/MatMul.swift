/// Matrix products through BLAS gemm.
enum MatMul {
    /// `op(a) · op(b)` for row-major `a` ([m, k], or [k, m] when `transA`) and `b` ([k, n], or [n, k]).
    static func gemm<T: TensorScalar>(
        _ a: [T], _ b: [T], m: Int, n: Int, k: Int, transA: Bool = false, transB: Bool = false
    ) -> [T] {
        guard m > 0 && n > 0 else { return [] }
        if k == 0 { return [T](repeating: 0, count: m * n) }
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                uninitialized(m * n) { (c: UnsafeMutablePointer<T>) in
                    T.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1,
                           a: pa.baseAddress!, lda: transA ? m : k,
                           b: pb.baseAddress!, ldb: transB ? k : n,
                           beta: 0, c: c, ldc: n)
                }
            }
        }
    }
}
