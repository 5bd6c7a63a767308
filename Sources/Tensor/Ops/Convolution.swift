/// Convolution and pooling over `[N, C, H, W]` (2-D) and `[N, C, L]` (1-D) tensors.
extension Tensor {
    /// 2-D convolution of `self` `[N, C, H, W]` with `weight` `[O, C, KH, KW]` (no bias), by im2row + GEMM.
    public func conv2d(
        _ weight: Tensor, stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1)
    ) -> Tensor {
        precondition(rank == 4 && weight.rank == 4, "conv2d takes [N, C, H, W] and [O, C, KH, KW]; got \(shape), \(weight.shape)")
        precondition(weight.shape[1] == shape[1], "conv2d: the input has \(shape[1]) channels, the weight expects \(weight.shape[1])")
        let g = ConvGeometry(
            n: shape[0], c: shape[1], h: shape[2], w: shape[3], o: weight.shape[0], kh: weight.shape[2], kw: weight.shape[3],
            strideH: stride.0, strideW: stride.1, padH: padding.0, padW: padding.1, dilH: dilation.0, dilW: dilation.1)
        precondition(g.oh > 0 && g.ow > 0, "conv2d: the kernel does not fit the input \(shape) with this padding")
        let unfolded: Storage
        let out: Storage
        switch (storage, weight.storage) {
        case (.float(let x), .float(let w)):
            let cols = Conv.im2col(x, g)
            unfolded = .float(cols)
            out = .float(Self.convForward(cols, w, g))
        case (.double(let x), .double(let w)):
            let cols = Conv.im2col(x, g)
            unfolded = .double(cols)
            out = .double(Self.convForward(cols, w, g))
        default:
            preconditionFailure("cannot mix \(dtype) and \(weight.dtype) tensors; cast one first")
        }
        let keep = GradMode.isEnabled && (node != nil || weight.node != nil)
        return Tensor.record(.conv2d(g, unfolded: keep ? unfolded : .float([])), inputs: [self, weight],
                             shape: [g.n, g.o, g.oh, g.ow], storage: out)
    }

    /// `W [O, C·KH·KW] · cols [C·KH·KW, N·OH·OW]`, then `[O, N, OH·OW]` → `[N, O, OH·OW]`.
    static func convForward<T: TensorScalar>(_ cols: [T], _ w: [T], _ g: ConvGeometry) -> [T] {
        let y = MatMul.gemm(w, cols, m: g.o, n: g.rows, k: g.cols)
        return g.n == 1 ? y : Layout.permute(y, shape: [g.o, g.n, g.oh * g.ow], perm: [1, 0, 2])
    }

    /// 1-D convolution of `self` `[N, C, L]` with `weight` `[O, C, K]` (no bias).
    public func conv1d(_ weight: Tensor, stride: Int = 1, padding: Int = 0, dilation: Int = 1) -> Tensor {
        precondition(rank == 3 && weight.rank == 3, "conv1d takes [N, C, L] and [O, C, K]; got \(shape), \(weight.shape)")
        let y = reshaped([shape[0], shape[1], 1, shape[2]])
            .conv2d(weight.reshaped([weight.shape[0], weight.shape[1], 1, weight.shape[2]]),
                    stride: (1, stride), padding: (0, padding), dilation: (1, dilation))
        return y.reshaped([y.shape[0], y.shape[1], y.shape[3]])
    }

    func poolGeometry(_ k: (Int, Int), _ s: (Int, Int), _ p: (Int, Int)) -> PoolGeometry {
        precondition(rank == 4, "2-D pooling takes [N, C, H, W]; got \(shape)")
        let g = PoolGeometry(n: shape[0], c: shape[1], h: shape[2], w: shape[3], kh: k.0, kw: k.1,
                             strideH: s.0, strideW: s.1, padH: p.0, padW: p.1)
        precondition(g.oh > 0 && g.ow > 0, "pooling window \(k) does not fit \(shape)")
        return g
    }

    public func maxPool2d(kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) -> Tensor {
        let g = poolGeometry(kernel, stride ?? kernel, padding)
        let result: (Storage, [Int])
        switch storage {
        case .float(let x): let (v, a) = Pool.max(x, g); result = (.float(v), a)
        case .double(let x): let (v, a) = Pool.max(x, g); result = (.double(v), a)
        }
        return Tensor.record(.maxPool2d(g, argmax: result.1), inputs: [self], shape: [g.n, g.c, g.oh, g.ow], storage: result.0)
    }

    public func avgPool2d(kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) -> Tensor {
        let g = poolGeometry(kernel, stride ?? kernel, padding)
        let s = storage.map({ Pool.average($0, g) }, { Pool.average($0, g) })
        return Tensor.record(.avgPool2d(g), inputs: [self], shape: [g.n, g.c, g.oh, g.ow], storage: s)
    }

    public func maxPool1d(kernel: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
        let y = reshaped([shape[0], shape[1], 1, shape[2]]).maxPool2d(kernel: (1, kernel), stride: (1, stride ?? kernel), padding: (0, padding))
        return y.reshaped([y.shape[0], y.shape[1], y.shape[3]])
    }

    public func avgPool1d(kernel: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
        let y = reshaped([shape[0], shape[1], 1, shape[2]]).avgPool2d(kernel: (1, kernel), stride: (1, stride ?? kernel), padding: (0, padding))
        return y.reshaped([y.shape[0], y.shape[1], y.shape[3]])
    }

    /// The mean over every axis after the first two: `[N, C, ...]` → `[N, C]`.
    public func globalAveragePool() -> Tensor {
        rank <= 2 ? self : mean(axes: Array(2..<rank))
    }
}
