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
                         float: { w, g, m, v, n in Self.updateFloat(w, g, m, v, n, self) },
                         double: { w, g, m, v, n in Self.update(w, g, m, v, n, self) })
        }
    }

    /// The Float update, eight lanes at a time (the pointers may alias as far as the compiler knows, so it
    /// would not vectorise the scalar loop by itself).
    private static func updateFloat(
        _ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
        _ v: UnsafeMutablePointer<Float>, _ n: Int, _ o: Adam
    ) {
        let lanes = 8
        let whole = n / lanes * lanes
        if whole < n || o.weightDecay > 0 {
            update(w, g, m, v, n, o)  // tails and weight decay: the plain loop (rare for the bulk of steps)
            return
        }
        let c1 = 1 - Foundation.pow(o.beta1, Double(o.t)), c2 = 1 - Foundation.pow(o.beta2, Double(o.t))
        let b1 = SIMD8<Float>(repeating: Float(o.beta1)), b2 = SIMD8<Float>(repeating: Float(o.beta2))
        let b1c = 1 - b1, b2c = 1 - b2
        let stepSize = SIMD8<Float>(repeating: Float(o.learningRate / c1))
        let root = SIMD8<Float>(repeating: Float(c2.squareRoot())), eps = SIMD8<Float>(repeating: Float(o.epsilon))
        let (rw, rg, rm, rv) = (UnsafeMutableRawPointer(w), UnsafeRawPointer(g), UnsafeMutableRawPointer(m), UnsafeMutableRawPointer(v))
        var i = 0
        while i < whole {
            let off = i * 4
            let gi = rg.loadUnaligned(fromByteOffset: off, as: SIMD8<Float>.self)
            let mi = b1 * rm.loadUnaligned(fromByteOffset: off, as: SIMD8<Float>.self) + b1c * gi
            let vi = b2 * rv.loadUnaligned(fromByteOffset: off, as: SIMD8<Float>.self) + b2c * gi * gi
            let wi = rw.loadUnaligned(fromByteOffset: off, as: SIMD8<Float>.self) - stepSize * mi / (vi.squareRoot() / root + eps)
            rm.storeBytes(of: mi, toByteOffset: off, as: SIMD8<Float>.self)
            rv.storeBytes(of: vi, toByteOffset: off, as: SIMD8<Float>.self)
            rw.storeBytes(of: wi, toByteOffset: off, as: SIMD8<Float>.self)
            i += lanes
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
        let b1c = 1 - b1, b2c = 1 - b2
        if o.weightDecay > 0 && o.decoupledWeightDecay {
            let shrink = 1 - lr * wd
            for i in 0..<n { w[i] *= shrink }
        }
        let coupled = o.weightDecay > 0 && !o.decoupledWeightDecay ? wd : 0
        for i in 0..<n {
            let gi = g[i] + coupled * w[i]
            let mi = b1 * m[i] + b1c * gi
            let vi = b2 * v[i] + b2c * gi * gi
            m[i] = mi
            v[i] = vi
            w[i] -= stepSize * mi / (vi.squareRoot() / root + eps)
        }
    }
}
