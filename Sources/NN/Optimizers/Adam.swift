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
    private var m: [SlotState], v: [SlotState]
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
        m = parameters.map { SlotState.zeros(like: $0.value) }
        v = m
    }

    /// AdamW with PyTorch's default decay.
    public static func adamW(_ parameters: [Parameter], learningRate: Double = 1e-3, weightDecay: Double = 0.01) -> Adam {
        Adam(parameters, learningRate: learningRate, weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    public func step() {
        t += 1
        for k in parameters.indices {
            Update.apply(parameters[k], &m[k], &v[k],
                         float: { w, g, m, v, n in Self.update(w, g, m, v, n, self) },
                         double: { w, g, m, v, n in Self.update(w, g, m, v, n, self) })
        }
    }

    private static func update<T: TensorScalar>(
        _ w: UnsafeMutablePointer<T>, _ g: UnsafePointer<T>, _ m: UnsafeMutablePointer<T>, _ v: UnsafeMutablePointer<T>,
        _ n: Int, _ o: Adam
    ) {
        let b1 = T(o.beta1), b2 = T(o.beta2), eps = T(o.epsilon), lr = T(o.learningRate), wd = T(o.weightDecay)
        // The bias corrections folded into the step size and epsilon (as PyTorch does).
        let c1 = 1 - Foundation.pow(o.beta1, Double(o.t)), c2 = 1 - Foundation.pow(o.beta2, Double(o.t))
        let stepSize = T(o.learningRate / c1), root = T(c2.squareRoot())
        let decoupled = o.decoupledWeightDecay && o.weightDecay > 0, coupled = !o.decoupledWeightDecay && o.weightDecay > 0
        for i in 0..<n {
            var gi = g[i]
            if decoupled { w[i] -= lr * wd * w[i] }
            if coupled { gi += wd * w[i] }
            m[i] = b1 * m[i] + (1 - b1) * gi
            v[i] = b2 * v[i] + (1 - b2) * gi * gi
            w[i] -= stepSize * m[i] / (v[i].squareRoot() / root + eps)
        }
    }
}
