/// Matrix products through BLAS gemm.
///
/// The engine owns the thread budget: BLAS itself runs on one thread, and a large product is split into
/// blocks of rows (or columns) computed in parallel, one single-threaded gemm each. On a machine with few
/// cores this avoids BLAS worker threads spinning while the engine's own parallel loops need the cores.
enum MatMul {
    /// Products smaller than this many multiply–adds run as one call.
    static let splitThreshold = 1 << 22

    /// Blocks per thread of a split product: one. Each block's gemm packs all of the other operand again,
    /// so the four chunks per thread of other loops (`Parallel.chunksPerWorker`) cost 8–13% at n = 256 to
    /// 1,024: measured on 2026-12-06 (AMD EPYC Zen 4, 2 threads, `mlforge-bench tensor --only sgemm
    /// --repeat 100`, three alternating runs) n = 512 took 1.50–1.64 ms in 8 blocks and 1.37–1.46 ms in 2,
    /// against 1.32–1.86 ms for one OpenBLAS call on its own 2 threads (BENCHMARKS.md, "tensor engine").
    static let blocksPerWorker = 1

    /// Makes BLAS single-threaded once, before the first product.
    static let configured: Bool = {
        BLASThreads.set(1)
        return true
    }()

    /// `op(a) · op(b)` for row-major `a` ([m, k], or [k, m] when `transA`) and `b` ([k, n], or [n, k]).
    static func gemm<T: TensorScalar>(
        _ a: [T], _ b: [T], m: Int, n: Int, k: Int, transA: Bool = false, transB: Bool = false
    ) -> [T] {
        guard m > 0 && n > 0 else { return [] }
        if k == 0 { return [T](repeating: 0, count: m * n) }
        _ = configured
        let lda = transA ? m : k, ldb = transB ? k : n
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                uninitialized(m * n) { (c: UnsafeMutablePointer<T>) in
                    nonisolated(unsafe) let (A, B, C) = (pa.baseAddress!, pb.baseAddress!, c)
                    let work = m * n * k
                    let parts = work >= splitThreshold ? Parallel.workers : 1
                    if parts == 1 {
                        T.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1, a: A, lda: lda, b: B, ldb: ldb, beta: 0, c: C, ldc: n)
                    } else if m >= n {
                        // Blocks of rows of C: rows of op(A).
                        Parallel.forChunks(m, minimum: 2, chunksPerWorker: blocksPerWorker) { rows in
                            let a0 = transA ? A + rows.lowerBound : A + rows.lowerBound * lda
                            T.gemm(transA: transA, transB: transB, m: rows.count, n: n, k: k, alpha: 1,
                                   a: a0, lda: lda, b: B, ldb: ldb, beta: 0, c: C + rows.lowerBound * n, ldc: n)
                        }
                    } else {
                        // Blocks of columns of C: columns of op(B).
                        Parallel.forChunks(n, minimum: 2, chunksPerWorker: blocksPerWorker) { cols in
                            let b0 = transB ? B + cols.lowerBound * ldb : B + cols.lowerBound
                            T.gemm(transA: transA, transB: transB, m: m, n: cols.count, k: k, alpha: 1,
                                   a: A, lda: lda, b: b0, ldb: ldb, beta: 0, c: C + cols.lowerBound, ldc: n)
                        }
                    }
                }
            }
        }
    }
}
