/// Elementwise arithmetic with NumPy broadcasting, and elementwise functions.
extension Tensor {
    static func binary(_ a: Tensor, _ b: Tensor, _ op: Binary, _ primitive: Primitive) -> Tensor {
        guard let out = Shape.broadcast(a.shape, b.shape) else {
            preconditionFailure("shapes \(a.shape) and \(b.shape) do not broadcast")
        }
        let storage: Storage
        switch (a.storage, b.storage) {
        case (.float(let x), .float(let y)): storage = .float(op.apply(x, a.shape, y, b.shape, out: out))
        case (.double(let x), .double(let y)): storage = .double(op.apply(x, a.shape, y, b.shape, out: out))
        default: preconditionFailure("cannot mix \(a.dtype) and \(b.dtype) tensors; cast one first")
        }
        return record(primitive, inputs: [a, b], shape: out, storage: storage)
    }

    func pointwise(_ f: Pointwise, _ primitive: Primitive) -> Tensor {
        Tensor.record(primitive, inputs: [self], shape: shape, storage: storage.map({ f.apply($0) }, { f.apply($0) }))
    }

    /// A helper elementwise function with no gradient of its own.
    func constantPointwise(_ f: Pointwise) -> Tensor {
        Tensor(shape: shape, storage: storage.map({ f.apply($0) }, { f.apply($0) }))
    }

    func scalar(_ x: Double) -> Tensor { Tensor(x, dtype: dtype) }

    public static func + (a: Tensor, b: Tensor) -> Tensor { binary(a, b, .add, .add) }
    public static func - (a: Tensor, b: Tensor) -> Tensor { binary(a, b, .sub, .sub) }
    public static func * (a: Tensor, b: Tensor) -> Tensor { binary(a, b, .mul, .mul) }
    public static func / (a: Tensor, b: Tensor) -> Tensor { binary(a, b, .div, .div) }
    public static func + (a: Tensor, b: Double) -> Tensor { a + a.scalar(b) }
    public static func - (a: Tensor, b: Double) -> Tensor { a - a.scalar(b) }
    public static func * (a: Tensor, b: Double) -> Tensor { a * a.scalar(b) }
    public static func / (a: Tensor, b: Double) -> Tensor { a / a.scalar(b) }
    public static func + (a: Double, b: Tensor) -> Tensor { b.scalar(a) + b }
    public static func - (a: Double, b: Tensor) -> Tensor { b.scalar(a) - b }
    public static func * (a: Double, b: Tensor) -> Tensor { b.scalar(a) * b }
    public static func / (a: Double, b: Tensor) -> Tensor { b.scalar(a) / b }
    public static prefix func - (a: Tensor) -> Tensor { a.pointwise(.neg, .neg) }

    public func exp() -> Tensor { pointwise(.exp, .exp) }
    public func log() -> Tensor { pointwise(.log, .log) }
    public func sqrt() -> Tensor { pointwise(.sqrt, .sqrt) }
    public func abs() -> Tensor { pointwise(.abs, .abs) }
    public func tanh() -> Tensor { pointwise(.tanh, .tanh) }
    public func sigmoid() -> Tensor { pointwise(.sigmoid, .sigmoid) }
    public func relu() -> Tensor { pointwise(.relu, .relu) }
    /// GELU with the exact normal CDF: x · Φ(x).
    public func gelu() -> Tensor { pointwise(.gelu, .gelu) }
    public func pow(_ p: Double) -> Tensor { pointwise(.pow(p), .pow(p)) }
    public func clamp(_ low: Double, _ high: Double) -> Tensor { pointwise(.clamp(low: low, high: high), .clamp(low: low, high: high)) }

    // Composites.
    public func square() -> Tensor { pow(2) }
    /// SiLU (swish): x · sigmoid(x).
    public func silu() -> Tensor { self * sigmoid() }
}
