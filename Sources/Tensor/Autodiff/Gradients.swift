/// The gradient of every primitive, in one place.
///
/// `vjp(node, g)` returns, for each input of `node`, the gradient of the loss with respect to that input
/// (a vector–Jacobian product), given `g`, the gradient with respect to the node's output. It runs with
/// gradient recording off; gradients of broadcast inputs are summed back to their own shapes.
enum Gradients {
    static func vjp(_ node: GraphNode, _ g: Tensor) -> [Tensor?] {
        let x = node.inputs
        func y() -> Tensor { node.output! }
        switch node.primitive {
        case .leaf:
            return []

        // d(a ± b) = da ± db;  d(ab) = b da + a db;  d(a/b) = da/b − (a/b) db/b
        case .add:
            return [g.sumTo(x[0].shape), g.sumTo(x[1].shape)]
        case .sub:
            return [g.sumTo(x[0].shape), (-g).sumTo(x[1].shape)]
        case .mul:
            return [(g * x[1].detached).sumTo(x[0].shape), (g * x[0].detached).sumTo(x[1].shape)]
        case .div:
            let b = x[1].detached
            return [(g / b).sumTo(x[0].shape), (-(g * y()) / b).sumTo(x[1].shape)]

        case .neg: return [-g]
        case .exp: return [g * y()]                                       // d eˣ = eˣ
        case .log: return [g / x[0].detached]                             // d ln x = 1/x
        case .sqrt: return [g * 0.5 / y()]                                // d √x = 1/(2√x)
        case .abs: return [g * x[0].constantPointwise(.sign)]             // d |x| = sign x
        case .tanh: return [g * (1 - y().square())]                       // d tanh = 1 − tanh²
        case .sigmoid: let s = y(); return [g * s * (1 - s)]              // d σ = σ(1 − σ)
        case .relu: return [g * x[0].constantPointwise(.step)]            // 1 where x > 0
        case .gelu: return [g * x[0].constantPointwise(.geluDerivative)]  // Φ(x) + x φ(x)
        case .pow(let p): return [g * p * x[0].detached.pow(p - 1)]       // d xᵖ = p xᵖ⁻¹
        case .clamp(let lo, let hi): return [g * x[0].constantPointwise(.inRange(low: lo, high: hi))]

        // Y = A·B with A folded to [m, k]:  dA = dY·Bᵀ,  dB = Aᵀ·dY;  for Y = A·Bᵀ:  dA = dY·B,  dB = dYᵀ·A
        case .matmul(let tb):
            let a = x[0], b = x[1]
            let k = a.shape[a.rank - 1], n = b.shape[tb ? 0 : 1], m = a.count / Swift.max(k, 1)
            func grads<T: TensorScalar>(_ av: [T], _ bv: [T], _ gv: [T]) -> ([T], [T]) {
                if tb {
                    return (MatMul.gemm(gv, bv, m: m, n: k, k: n), MatMul.gemm(gv, av, m: n, n: k, k: m, transA: true))
                }
                return (MatMul.gemm(gv, bv, m: m, n: k, k: n, transB: true), MatMul.gemm(av, gv, m: k, n: n, k: m, transA: true))
            }
            let da: Storage, db: Storage
            switch (a.storage, b.storage, g.storage) {
            case (.float(let av), .float(let bv), .float(let gv)): let (p, q) = grads(av, bv, gv); (da, db) = (.float(p), .float(q))
            case (.double(let av), .double(let bv), .double(let gv)): let (p, q) = grads(av, bv, gv); (da, db) = (.double(p), .double(q))
            default: preconditionFailure("matmul gradient: mixed element types")
            }
            return [Tensor(shape: a.shape, storage: da), Tensor(shape: b.shape, storage: db)]

        // Sum (kept axis): every input element receives the gradient of its sum.
        case .sum:
            return [g.broadcast(to: x[0].shape)]
        // Max: the gradient goes to the position of the maximum.
        case .max(_, let argmax):
            let gv = g.doubles
            var out = [Double](repeating: 0, count: x[0].count)
            for (k, i) in argmax.enumerated() { out[i] += gv[k] }
            return [Tensor(shape: x[0].shape, doubles: out).cast(to: g.dtype)]

        case .reshape:
            return [g.reshaped(x[0].shape)]
        case .transpose(let perm):
            var inverse = [Int](repeating: 0, count: perm.count)
            for (i, p) in perm.enumerated() { inverse[p] = i }
            return [g.transposed(inverse)]
        case .slice(let axis, let start):
            let full = x[0].shape
            return [Tensor(shape: full, storage: g.storage.map(
                { Layout.unslice($0, fullShape: full, axis: axis, start: start) },
                { Layout.unslice($0, fullShape: full, axis: axis, start: start) }))]
        case .concat(let axis):
            var offset = 0
            return x.map { part in
                defer { offset += part.shape[axis] }
                return g.slice(axis: axis, offset..<(offset + part.shape[axis]))
            }
        case .gatherRows(let indices):
            let rows = x[0].shape[0], width = x[0].count / Swift.max(rows, 1)
            return [Tensor(shape: x[0].shape, storage: g.storage.map(
                { Layout.scatterAddRows($0, width: width, indices: indices, rows: rows) },
                { Layout.scatterAddRows($0, width: width, indices: indices, rows: rows) }))]
        case .broadcast:
            return [g.sumTo(x[0].shape)]

        // Y = W·U (U the unfolded input [C·KH·KW, N·OH·OW], Y seen as [O, N·OH·OW]):
        //   dW = dY·Uᵀ,  dX = fold(Wᵀ·dY)
        case .conv2d(let geo, let unfolded):
            let w = x[1]
            func grads<T: TensorScalar>(_ gv: [T], _ wv: [T], _ u: [T]) -> ([T], [T]) {
                let g2 = geo.n == 1 ? gv : Layout.permute(gv, shape: [geo.n, geo.o, geo.oh * geo.ow], perm: [1, 0, 2])
                let dw = MatMul.gemm(g2, u, m: geo.o, n: geo.cols, k: geo.rows, transB: true)
                let dx = Conv.col2im(MatMul.gemm(wv, g2, m: geo.cols, n: geo.rows, k: geo.o, transA: true), geo)
                return (dx, dw)
            }
            let dx: Storage, dw: Storage
            switch (g.storage, w.storage, unfolded) {
            case (.float(let gv), .float(let wv), .float(let u)): let (a, b) = grads(gv, wv, u); (dx, dw) = (.float(a), .float(b))
            case (.double(let gv), .double(let wv), .double(let u)): let (a, b) = grads(gv, wv, u); (dx, dw) = (.double(a), .double(b))
            default: preconditionFailure("conv2d gradient: mixed element types")
            }
            return [Tensor(shape: x[0].shape, storage: dx), Tensor(shape: w.shape, storage: dw)]
        case .maxPool2d(_, let argmax):
            let gv = g.doubles
            var out = [Double](repeating: 0, count: x[0].count)
            for (k, i) in argmax.enumerated() where i >= 0 { out[i] += gv[k] }
            return [Tensor(shape: x[0].shape, doubles: out).cast(to: g.dtype)]
        case .avgPool2d(let geo):
            return [Tensor(shape: x[0].shape, storage: g.storage.map({ Pool.averageBackward($0, geo) }, { Pool.averageBackward($0, geo) }))]
        }
    }
}
