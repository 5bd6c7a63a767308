import Tensor

/// Batch normalisation (Ioffe & Szegedy 2015) over every axis but the channel axis 1: `[N, C]`,
/// `[N, C, L]` or `[N, C, H, W]`. Training uses the batch's statistics and updates running averages;
/// evaluation uses the running averages.
public final class BatchNorm: Layer {
    public let scale: Parameter
    public let shift: Parameter
    public let runningMean: Parameter
    public let runningVariance: Parameter
    public let momentum: Double
    public let epsilon: Double
    public private(set) var isTraining = true

    public init(_ channels: Int, momentum: Double = 0.1, epsilon: Double = 1e-5, dtype: DType = .float32) {
        scale = Parameter(Tensor.ones([channels], dtype: dtype))
        shift = Parameter(Tensor.zeros([channels], dtype: dtype))
        runningMean = Parameter(Tensor.zeros([channels], dtype: dtype), trainable: false)
        runningVariance = Parameter(Tensor.ones([channels], dtype: dtype), trainable: false)
        self.momentum = momentum
        self.epsilon = epsilon
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank >= 2, "BatchNorm takes [N, C, ...]; got \(x.shape)")
        var view = [Int](repeating: 1, count: x.rank)
        view[1] = x.shape[1]
        let axes = [0] + Array(2..<x.rank)
        let mean: Tensor, variance: Tensor
        if isTraining {
            mean = x.mean(axes: axes, keepDims: true)
            variance = (x - mean).square().mean(axes: axes, keepDims: true)
            withNoGrad {
                let n = Double(x.count / x.shape[1])
                let unbiased = variance.reshaped([-1]) * (n / Swift.max(n - 1, 1))
                runningMean.value = runningMean.value * (1 - momentum) + mean.reshaped([-1]).detached * momentum
                runningVariance.value = runningVariance.value * (1 - momentum) + unbiased.detached * momentum
            }
        } else {
            mean = runningMean.value.reshaped(view)
            variance = runningVariance.value.reshaped(view)
        }
        let normalised = (x - mean) / (variance + epsilon).sqrt()
        return normalised * scale.tensor.reshaped(view) + shift.tensor.reshaped(view)
    }

    public func setTraining(_ training: Bool) { isTraining = training }

    public var ownParameters: [(name: String, parameter: Parameter)] {
        [("weight", scale), ("bias", shift), ("running_mean", runningMean), ("running_var", runningVariance)]
    }

    /// Inference: the running statistics, whatever the training flag.
    public var operations: [NetworkOperation]? {
        [.batchNorm(mean: runningMean.floats, variance: runningVariance.floats, scale: scale.floats, shift: shift.floats,
                    epsilon: Float(epsilon))]
    }
}

/// Layer normalisation (Ba et al. 2016) over the last axis.
public final class LayerNorm: Layer {
    public let scale: Parameter
    public let shift: Parameter
    public let epsilon: Double

    public init(_ features: Int, epsilon: Double = 1e-5, dtype: DType = .float32) {
        scale = Parameter(Tensor.ones([features], dtype: dtype))
        shift = Parameter(Tensor.zeros([features], dtype: dtype))
        self.epsilon = epsilon
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let mean = x.mean(axis: -1, keepDims: true)
        let variance = (x - mean).square().mean(axis: -1, keepDims: true)
        return (x - mean) / (variance + epsilon).sqrt() * scale.tensor + shift.tensor
    }

    public var ownParameters: [(name: String, parameter: Parameter)] { [("weight", scale), ("bias", shift)] }

    public var operations: [NetworkOperation]? { [.layerNorm(scale: scale.floats, shift: shift.floats, epsilon: Float(epsilon))] }
}

/// Inverted dropout: in training, zeroes each element with probability `p` and scales the rest by 1/(1−p);
/// the identity in evaluation. Its mask stream is seeded, so a run is reproducible.
public final class Dropout: Layer {
    public let probability: Double
    public private(set) var isTraining = true
    private var state: UInt64

    public init(_ probability: Double, seed: UInt64 = 0x5EED) {
        precondition(probability >= 0 && probability < 1, "dropout probability must lie in [0, 1)")
        self.probability = probability
        self.state = seed
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        guard isTraining, probability > 0 else { return x }
        let keep = 1 - probability
        var mask = [Double](repeating: 0, count: x.count)
        for i in mask.indices {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            mask[i] = Double(z >> 11) * 0x1.0p-53 < keep ? 1 / keep : 0
        }
        return x * Tensor(shape: x.shape, doubles: mask).cast(to: x.dtype)
    }

    public func setTraining(_ training: Bool) { isTraining = training }

    /// Inference: nothing is dropped.
    public var operations: [NetworkOperation]? { [] }
}
