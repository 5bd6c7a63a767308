import Tensor

/// Stochastic gradient descent with momentum, Nesterov momentum and (coupled, L2) weight decay.
public final class SGD: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Double
    public var momentum: Double
    public var nesterov: Bool
    public var weightDecay: Double
    private var velocity: [SlotState]
    private var unused: [SlotState]

    public init(_ parameters: [Parameter], learningRate: Double, momentum: Double = 0, nesterov: Bool = false, weightDecay: Double = 0) {
        precondition(!nesterov || momentum > 0, "Nesterov momentum needs momentum > 0")
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        velocity = parameters.map { SlotState.zeros(like: $0.value) }
        unused = parameters.map { SlotState.zeros(like: $0.value) }
    }

    public func step() {
        for k in parameters.indices {
            Update.apply(parameters[k], &velocity[k], &unused[k],
                         float: { w, g, v, _, n in Self.update(w, g, v, n, self) },
                         double: { w, g, v, _, n in Self.update(w, g, v, n, self) })
        }
    }

    private static func update<T: TensorScalar>(_ w: UnsafeMutablePointer<T>, _ g: UnsafePointer<T>, _ v: UnsafeMutablePointer<T>, _ n: Int, _ o: SGD) {
        let lr = T(o.learningRate), mu = T(o.momentum), wd = T(o.weightDecay)
        for i in 0..<n {
            var d = g[i] + wd * w[i]
            if o.momentum > 0 {
                v[i] = mu * v[i] + d
                d = o.nesterov ? d + mu * v[i] : v[i]
            }
            w[i] -= lr * d
        }
    }
}
