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

/// Convolution by unfolding ("im2col") and one GEMM for the whole batch.
///
/// The unfolded input is `[C·KH·KW, N·OH·OW]`: one row per filter weight, one column per output position,
/// so that for a fixed weight the copy along an output row reads and writes contiguous memory.
enum Conv {
    /// For a kernel offset `off` (= k·dilation − padding), the output columns `xo` whose input column
    /// `xo·stride + off` lies inside `0..<size`.
    @inline(__always)
    static func valid(_ off: Int, stride: Int, size: Int, outputs: Int) -> Range<Int> {
        let lo = off >= 0 ? 0 : (-off + stride - 1) / stride
        let hi = size - off <= 0 ? 0 : (size - off + stride - 1) / stride
        return Swift.min(lo, outputs)..<Swift.max(Swift.min(lo, outputs), Swift.min(hi, outputs))
    }

    static func im2col<T: TensorScalar>(_ x: [T], _ g: ConvGeometry) -> [T] {
        let (oh, ow) = (g.oh, g.ow)
        let positions = g.n * oh * ow
        return x.withUnsafeBufferPointer { px in
            uninitialized(g.cols * positions) { (d: UnsafeMutablePointer<T>) in
                nonisolated(unsafe) let (dst, src) = (d, px.baseAddress!)
                Parallel.forChunks(g.cols, minimum: 2 * Swift.max(1, Parallel.threshold / Swift.max(positions, 1))) { rows in
                    for r in rows {
                        let c = r / (g.kh * g.kw), ky = (r / g.kw) % g.kh, kx = r % g.kw
                        let offX = kx * g.dilW - g.padW
                        let xs = valid(offX, stride: g.strideW, size: g.w, outputs: ow)
                        for n in 0..<g.n {
                            let plane = src + (n * g.c + c) * g.h * g.w
                            for y in 0..<oh {
                                let out = dst + r * positions + (n * oh + y) * ow
                                let iy = y * g.strideH - g.padH + ky * g.dilH
                                guard iy >= 0 && iy < g.h else {
                                    out.update(repeating: 0, count: ow)
                                    continue
                                }
                                let line = plane + iy * g.w + offX
                                if xs.lowerBound > 0 { out.update(repeating: 0, count: xs.lowerBound) }
                                if g.strideW == 1 {
                                    (out + xs.lowerBound).update(from: line + xs.lowerBound, count: xs.count)
                                } else {
                                    for xo in xs { out[xo] = line[xo * g.strideW] }
                                }
                                if xs.upperBound < ow { (out + xs.upperBound).update(repeating: 0, count: ow - xs.upperBound) }
                            }
                        }
                    }
                }
            }
        }
    }

    /// `dst[i] += src[i]` for `n` elements, eight at a time when the element type allows.
    @inline(__always)
    static func addInPlace<T: TensorScalar>(_ dst: UnsafeMutablePointer<T>, _ src: UnsafePointer<T>, _ n: Int) {
        var i = 0
        if T.self == Float.self {
            let d = UnsafeMutableRawPointer(dst), s = UnsafeRawPointer(src)
            while i + 8 <= n {
                let sum = d.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) + s.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                d.storeBytes(of: sum, toByteOffset: i * 4, as: SIMD8<Float>.self)
                i += 8
            }
        }
        while i < n {
            dst[i] += src[i]
            i += 1
        }
    }

    /// The adjoint of `im2col`: adds each unfolded value back to the input position it came from.
    static func col2im<T: TensorScalar>(_ cols: [T], _ g: ConvGeometry) -> [T] {
        var out = [T](repeating: 0, count: g.n * g.c * g.h * g.w)
        let (oh, ow) = (g.oh, g.ow)
        let positions = g.n * oh * ow
        cols.withUnsafeBufferPointer { pc in
            out.withUnsafeMutableBufferPointer { po in
                nonisolated(unsafe) let (src, dst) = (pc.baseAddress!, po.baseAddress!)
                // Channels write disjoint planes, so they can run in parallel.
                Parallel.forChunks(g.c, minimum: 2 * Swift.max(1, Parallel.threshold / Swift.max(positions * g.kh * g.kw, 1))) { channels in
                    for c in channels {
                        for ky in 0..<g.kh {
                            for kx in 0..<g.kw {
                                let r = (c * g.kh + ky) * g.kw + kx
                                let offX = kx * g.dilW - g.padW
                                let xs = valid(offX, stride: g.strideW, size: g.w, outputs: ow)
                                for n in 0..<g.n {
                                    let plane = dst + (n * g.c + c) * g.h * g.w
                                    for y in 0..<oh {
                                        let iy = y * g.strideH - g.padH + ky * g.dilH
                                        guard iy >= 0 && iy < g.h else { continue }
                                        let values = src + r * positions + (n * oh + y) * ow
                                        let line = plane + iy * g.w + offX
                                        if g.strideW == 1 {
                                            addInPlace(line + xs.lowerBound, values + xs.lowerBound, xs.count)
                                        } else {
                                            for xo in xs { line[xo * g.strideW] += values[xo] }
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
    /// Calls `body(k, window)` for every output position `k` (in output order) with the flat input
    /// indices of its window that lie inside the input (padding positions are skipped).
    @inline(__always)
    static func forEachWindow(_ g: PoolGeometry, _ body: (Int, [Int]) -> Void) {
        var k = 0
        var window: [Int] = []
        window.reserveCapacity(g.kh * g.kw)
        for plane in 0..<(g.n * g.c) {
            let base = plane * g.h * g.w
            for y in 0..<g.oh {
                for xo in 0..<g.ow {
                    window.removeAll(keepingCapacity: true)
                    for ky in 0..<g.kh {
                        let iy = y * g.strideH - g.padH + ky
                        guard iy >= 0 && iy < g.h else { continue }
                        for kx in 0..<g.kw {
                            let ix = xo * g.strideW - g.padW + kx
                            if ix >= 0 && ix < g.w { window.append(base + iy * g.w + ix) }
                        }
                    }
                    body(k, window)
                    k += 1
                }
            }
        }
    }

    /// Window maxima and, per output, the flat input index of the (first) maximum (padding never wins).
    static func max<T: TensorScalar>(_ x: [T], _ g: PoolGeometry) -> (values: [T], argmax: [Int]) {
        let count = g.n * g.c * g.oh * g.ow
        var values = [T](repeating: 0, count: count)
        var arg = [Int](repeating: -1, count: count)
        forEachWindow(g) { k, window in
            var best = -1
            for i in window where best < 0 || x[i] > x[best] { best = i }
            values[k] = best < 0 ? -T.infinity : x[best]
            arg[k] = best
        }
        return (values, arg)
    }

    /// Window means (padding counts as zeros in the window, as PyTorch's default).
    static func average<T: TensorScalar>(_ x: [T], _ g: PoolGeometry) -> [T] {
        var out = [T](repeating: 0, count: g.n * g.c * g.oh * g.ow)
        let scale = 1 / T(g.kh * g.kw)
        forEachWindow(g) { k, window in
            var s: T = 0
            for i in window { s += x[i] }
            out[k] = s * scale
        }
        return out
    }

    /// The gradient of `average`: each output's gradient spread over its window.
    static func averageBackward<T: TensorScalar>(_ gOut: [T], _ g: PoolGeometry) -> [T] {
        var out = [T](repeating: 0, count: g.n * g.c * g.h * g.w)
        let scale = 1 / T(g.kh * g.kw)
        forEachWindow(g) { k, window in
            let v = gOut[k] * scale
            for i in window { out[i] += v }
        }
        return out
    }
}
