import Tensor

/// Stochastic gradient descent with momentum, Nesterov momentum and (coupled, L2) weight decay.
public final class SGD: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Double
    public var momentum: Double
    public var nesterov: Bool
    public var weightDecay: Double
    private var velocity: [[Double]]

    public init(_ parameters: [Parameter], learningRate: Double, momentum: Double = 0, nesterov: Bool = false, weightDecay: Double = 0) {
        precondition(!nesterov || momentum > 0, "Nesterov momentum needs momentum > 0")
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        velocity = parameters.map { [Double](repeating: 0, count: $0.value.count) }
    }

    public func step() {
        for (k, p) in parameters.enumerated() {
            Update.apply(p) { i, w, g0 in
                var g = g0 + weightDecay * w
                if momentum > 0 {
                    velocity[k][i] = momentum * velocity[k][i] + g
                    g = nesterov ? g + momentum * velocity[k][i] : velocity[k][i]
                }
                return w - learningRate * g
            }
        }
    }
}
