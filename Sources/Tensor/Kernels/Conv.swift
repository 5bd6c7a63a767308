/// The sizes of a 2-D convolution over `[N, C, H, W]` with `O` filters of `KH × KW`.
public struct ConvGeometry: Sendable, Equatable {
    public var n: Int, c: Int, h: Int, w: Int
    public var o: Int, kh: Int, kw: Int
    public var strideH: Int, strideW: Int, padH: Int, padW: Int, dilH: Int, dilW: Int

    public var oh: Int { (h + 2 * padH - dilH * (kh - 1) - 1) / strideH + 1 }
    public var ow: Int { (w + 2 * padW - dilW * (kw - 1) - 1) / strideW + 1 }
    /// Rows of the unfolded input: one per output position.
    var rows: Int { n * oh * ow }
    /// Columns of the unfolded input: one per filter weight.
    var cols: Int { c * kh * kw }
}

/// Convolution by unfolding ("im2row") and one GEMM for the whole batch.
enum Conv {
    /// `[N·OH·OW, C·KH·KW]`: each output position's receptive field (zeros in the padding).
    static func im2row<T: TensorScalar>(_ x: [T], _ g: ConvGeometry) -> [T] {
        let (oh, ow, cols) = (g.oh, g.ow, g.cols)
        return x.withUnsafeBufferPointer { px in
            uninitialized(g.rows * cols) { (d: UnsafeMutablePointer<T>) in
                nonisolated(unsafe) let (dst, src) = (d, px)
                Parallel.forChunks(g.n, minimum: 2) { samples in
                    for n in samples {
                        for y in 0..<oh {
                            for xo in 0..<ow {
                                let row = ((n * oh + y) * ow + xo) * cols
                                var col = 0
                                for c in 0..<g.c {
                                    let plane = (n * g.c + c) * g.h * g.w
                                    for ky in 0..<g.kh {
                                        let iy = y * g.strideH - g.padH + ky * g.dilH
                                        for kx in 0..<g.kw {
                                            let ix = xo * g.strideW - g.padW + kx * g.dilW
                                            dst[row + col] = (iy >= 0 && iy < g.h && ix >= 0 && ix < g.w) ? src[plane + iy * g.w + ix] : 0
                                            col += 1
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The adjoint of `im2row`: adds each row's values back to the input positions they came from.
    static func row2im<T: TensorScalar>(_ r: [T], _ g: ConvGeometry) -> [T] {
        var out = [T](repeating: 0, count: g.n * g.c * g.h * g.w)
        let (oh, ow, cols) = (g.oh, g.ow, g.cols)
        r.withUnsafeBufferPointer { pr in
            out.withUnsafeMutableBufferPointer { po in
                nonisolated(unsafe) let (src, dst) = (pr, po)
                Parallel.forChunks(g.n, minimum: 2) { samples in  // samples write disjoint planes
                    for n in samples {
                        for y in 0..<oh {
                            for xo in 0..<ow {
                                let row = ((n * oh + y) * ow + xo) * cols
                                var col = 0
                                for c in 0..<g.c {
                                    let plane = (n * g.c + c) * g.h * g.w
                                    for ky in 0..<g.kh {
                                        let iy = y * g.strideH - g.padH + ky * g.dilH
                                        for kx in 0..<g.kw {
                                            let ix = xo * g.strideW - g.padW + kx * g.dilW
                                            if iy >= 0 && iy < g.h && ix >= 0 && ix < g.w { dst[plane + iy * g.w + ix] += src[row + col] }
                                            col += 1
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}

/// The sizes of a 2-D pooling window over `[N, C, H, W]`.
public struct PoolGeometry: Sendable, Equatable {
    public var n: Int, c: Int, h: Int, w: Int
    public var kh: Int, kw: Int, strideH: Int, strideW: Int, padH: Int, padW: Int

    public var oh: Int { (h + 2 * padH - kh) / strideH + 1 }
    public var ow: Int { (w + 2 * padW - kw) / strideW + 1 }
}

/// Max and average pooling.
enum Pool {
    /// Window maxima and, per output, the flat input index of the maximum (padding never wins).
    static func max<T: TensorScalar>(_ x: [T], _ g: PoolGeometry) -> (values: [T], argmax: [Int]) {
        let count = g.n * g.c * g.oh * g.ow
        var values = [T](repeating: 0, count: count)
        var arg = [Int](repeating: 0, count: count)
        var k = 0
        for plane in 0..<(g.n * g.c) {
            let base = plane * g.h * g.w
            for y in 0..<g.oh {
                for xo in 0..<g.ow {
                    var best = -1
                    var bestValue = -T.infinity
                    for ky in 0..<g.kh {
                        let iy = y * g.strideH - g.padH + ky
                        guard iy >= 0 && iy < g.h else { continue }
                        for kx in 0..<g.kw {
                            let ix = xo * g.strideW - g.padW + kx
                            guard ix >= 0 && ix < g.w else { continue }
                            let i = base + iy * g.w + ix
                            if best < 0 || x[i] > bestValue { best = i; bestValue = x[i] }
                        }
                    }
                    values[k] = bestValue
                    arg[k] = best
                    k += 1
                }
            }
        }
        return (values, arg)
    }

    /// Window means (padding counts as zeros in the window, as PyTorch's default).
    static func average<T: TensorScalar>(_ x: [T], _ g: PoolGeometry) -> [T] {
        var out = [T](repeating: 0, count: g.n * g.c * g.oh * g.ow)
        let scale = 1 / T(g.kh * g.kw)
        var k = 0
        for plane in 0..<(g.n * g.c) {
            let base = plane * g.h * g.w
            for y in 0..<g.oh {
                for xo in 0..<g.ow {
                    var s: T = 0
                    for ky in 0..<g.kh {
                        let iy = y * g.strideH - g.padH + ky
                        guard iy >= 0 && iy < g.h else { continue }
                        for kx in 0..<g.kw {
                            let ix = xo * g.strideW - g.padW + kx
                            if ix >= 0 && ix < g.w { s += x[base + iy * g.w + ix] }
                        }
                    }
                    out[k] = s * scale
                    k += 1
                }
            }
        }
        return out
    }

    /// The gradient of `average`: each output's gradient spread over its window.
    static func averageBackward<T: TensorScalar>(_ gOut: [T], _ g: PoolGeometry) -> [T] {
        var out = [T](repeating: 0, count: g.n * g.c * g.h * g.w)
        let scale = 1 / T(g.kh * g.kw)
        var k = 0
        for plane in 0..<(g.n * g.c) {
            let base = plane * g.h * g.w
            for y in 0..<g.oh {
                for xo in 0..<g.ow {
                    let v = gOut[k] * scale
                    k += 1
                    for ky in 0..<g.kh {
                        let iy = y * g.strideH - g.padH + ky
                        guard iy >= 0 && iy < g.h else { continue }
                        for kx in 0..<g.kw {
                            let ix = xo * g.strideW - g.padW + kx
                            if ix >= 0 && ix < g.w { out[base + iy * g.w + ix] += v }
                        }
                    }
                }
            }
        }
        return out
    }
}
