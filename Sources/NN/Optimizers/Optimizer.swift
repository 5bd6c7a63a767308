import Tensor

/// Updates parameters from their gradients.
public protocol Optimizer: AnyObject {
    var learningRate: Double { get set }
    /// One update of every parameter that has a gradient.
    func step()
}

/// Gradient clipping by global L2 norm; returns the norm before clipping.
@discardableResult
public func clipGradientNorm(_ parameters: [Parameter], maxNorm: Double) -> Double {
    let total = parameters.compactMap(\.grad).reduce(0.0) { acc, g in acc + g.doubles.reduce(0) { $0 + $1 * $1 } }.squareRoot()
    if total > maxNorm {
        let factor = maxNorm / (total + 1e-12)
        withNoGrad { for p in parameters { p.grad = p.grad.map { $0 * factor } } }
    }
    return total
}

/// Elementwise update of a parameter's values with its gradient and per-parameter state arrays.
enum Update {
    /// Applies `body(i, value, grad)` → new value to every element, in the parameter's own precision.
    static func apply(_ p: Parameter, _ body: (Int, Double, Double) -> Double) {
        guard let g = p.grad else { return }
        switch (p.value.storage, g.storage) {
        case (.float(var v), .float(let gv)):
            for i in v.indices { v[i] = Float(body(i, Double(v[i]), Double(gv[i]))) }
            p.value = Tensor(shape: p.value.shape, scalars: v)
        case (.double(var v), .double(let gv)):
            for i in v.indices { v[i] = body(i, v[i], gv[i]) }
            p.value = Tensor(shape: p.value.shape, doubles: v)
        default:
            preconditionFailure("parameter and gradient differ in element type")
        }
    }
}
