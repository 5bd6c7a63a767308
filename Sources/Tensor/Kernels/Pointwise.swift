/// Elementwise functions of one tensor: the differentiable ones (used as primitives) and the helpers their
/// gradients need (`step`, `sign`, `geluDerivative`, `inRange`).
enum Pointwise {
    case neg, exp, log, sqrt, abs, tanh, sigmoid, relu, gelu
    case pow(Double)
    case clamp(low: Double, high: Double)
    case step, sign, geluDerivative
    case inRange(low: Double, high: Double)

    /// Applies the function to every element.
    func apply<T: TensorScalar>(_ a: [T]) -> [T] {
        switch self {
        case .neg: return Elementwise.map(a) { -$0 }
        case .exp: return Elementwise.map(a) { T.exp($0) }
        case .log: return Elementwise.map(a) { T.log($0) }
        case .sqrt: return Elementwise.map(a) { $0.squareRoot() }
        case .abs: return Elementwise.map(a) { Swift.abs($0) }
        case .tanh: return Elementwise.map(a) { T.tanh($0) }
        case .sigmoid: return Elementwise.map(a) { x in x >= 0 ? 1 / (1 + T.exp(-x)) : T.exp(x) / (1 + T.exp(x)) }
        case .relu: return Elementwise.map(a) { $0 > 0 ? $0 : 0 }
        case .gelu: return Elementwise.map(a) { x in x * (1 + T.erf(x * T(0.7071067811865476))) / 2 }
        case .pow(let p):
            let e = T(p)
            if p == 2 { return Elementwise.map(a) { $0 * $0 } }
            return Elementwise.map(a) { T.pow($0, e) }
        case .clamp(let lo, let hi):
            let (l, h) = (T(lo), T(hi))
            return Elementwise.map(a) { Swift.min(Swift.max($0, l), h) }
        case .step: return Elementwise.map(a) { $0 > 0 ? 1 : 0 }
        case .sign: return Elementwise.map(a) { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }
        case .geluDerivative:
            // d/dx [x Φ(x)] = Φ(x) + x φ(x)
            return Elementwise.map(a) { x in
                (1 + T.erf(x * T(0.7071067811865476))) / 2 + x * T.exp(-x * x / 2) * T(0.3989422804014327)
            }
        case .inRange(let lo, let hi):
            let (l, h) = (T(lo), T(hi))
            return Elementwise.map(a) { $0 >= l && $0 <= h ? 1 : 0 }
        }
    }
}

/// Elementwise functions of two broadcast tensors.
enum Binary {
    case add, sub, mul, div

    func apply<T: TensorScalar>(_ a: [T], _ sa: [Int], _ b: [T], _ sb: [Int], out: [Int]) -> [T] {
        switch self {
        case .add: return Elementwise.broadcastZip(a, sa, b, sb, out: out) { $0 + $1 }
        case .sub: return Elementwise.broadcastZip(a, sa, b, sb, out: out) { $0 - $1 }
        case .mul: return Elementwise.broadcastZip(a, sa, b, sb, out: out) { $0 * $1 }
        case .div: return Elementwise.broadcastZip(a, sa, b, sb, out: out) { $0 / $1 }
        }
    }
}
