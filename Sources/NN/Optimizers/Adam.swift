import Foundation
import Tensor

/// Adam (Kingma & Ba 2015); with `decoupledWeightDecay` it is AdamW (Loshchilov & Hutter 2019), which
/// shrinks weights directly instead of adding the decay to the gradient.
public final class Adam: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Double
    public var beta1: Double, beta2: Double, epsilon: Double
    public var weightDecay: Double
    public var decoupledWeightDecay: Bool
    private var m: [[Double]], v: [[Double]]
    private var t = 0

    public init(
        _ parameters: [Parameter], learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
        epsilon: Double = 1e-8, weightDecay: Double = 0, decoupledWeightDecay: Bool = false
    ) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        m = parameters.map { [Double](repeating: 0, count: $0.value.count) }
        v = m
    }

    /// AdamW with PyTorch's default decay.
    public static func adamW(_ parameters: [Parameter], learningRate: Double = 1e-3, weightDecay: Double = 0.01) -> Adam {
        Adam(parameters, learningRate: learningRate, weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    public func step() {
        t += 1
        let c1 = 1 - Foundation.pow(beta1, Double(t)), c2 = 1 - Foundation.pow(beta2, Double(t))
        for (k, p) in parameters.enumerated() {
            Update.apply(p) { i, w0, g0 in
                var w = w0
                var g = g0
                if weightDecay > 0 {
                    if decoupledWeightDecay { w -= learningRate * weightDecay * w } else { g += weightDecay * w }
                }
                m[k][i] = beta1 * m[k][i] + (1 - beta1) * g
                v[k][i] = beta2 * v[k][i] + (1 - beta2) * g * g
                return w - learningRate * (m[k][i] / c1) / ((v[k][i] / c2).squareRoot() + epsilon)
            }
        }
    }
}
