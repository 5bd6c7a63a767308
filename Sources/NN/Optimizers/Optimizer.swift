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

/// Per-parameter optimiser state, in the parameter's own precision.
enum SlotState {
    case float([Float])
    case double([Double])

    static func zeros(like t: Tensor) -> SlotState {
        t.dtype == .float32 ? .float([Float](repeating: 0, count: t.count)) : .double([Double](repeating: 0, count: t.count))
    }
}

/// Runs an update kernel over a parameter's values, gradient and two state slots, in its own precision.
enum Update {
    static func apply(
        _ p: Parameter, _ s1: inout SlotState, _ s2: inout SlotState,
        float: (UnsafeMutablePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void,
        double: (UnsafeMutablePointer<Double>, UnsafePointer<Double>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>, Int) -> Void
    ) {
        guard let g = p.grad else { return }
        switch (p.value.storage, g.storage, s1, s2) {
        case (.float(var w), .float(let gv), .float(var a), .float(var b)):
            s1 = .float([]); s2 = .float([])  // keep the state arrays uniquely referenced while writing
            w.withUnsafeMutableBufferPointer { pw in gv.withUnsafeBufferPointer { pg in
                a.withUnsafeMutableBufferPointer { pa in b.withUnsafeMutableBufferPointer { pb in
                    float(pw.baseAddress!, pg.baseAddress!, pa.baseAddress!, pb.baseAddress!, pw.count)
                } }
            } }
            p.value = Tensor(shape: p.value.shape, scalars: w)
            s1 = .float(a); s2 = .float(b)
        case (.double(var w), .double(let gv), .double(var a), .double(var b)):
            s1 = .double([]); s2 = .double([])
            w.withUnsafeMutableBufferPointer { pw in gv.withUnsafeBufferPointer { pg in
                a.withUnsafeMutableBufferPointer { pa in b.withUnsafeMutableBufferPointer { pb in
                    double(pw.baseAddress!, pg.baseAddress!, pa.baseAddress!, pb.baseAddress!, pw.count)
                } }
            } }
            p.value = Tensor(shape: p.value.shape, doubles: w)
            s1 = .double(a); s2 = .double(b)
        default:
            preconditionFailure("parameter, gradient and optimiser state differ in element type")
        }
    }
}
