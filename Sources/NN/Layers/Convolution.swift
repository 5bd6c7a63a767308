import Tensor

/// 2-D convolution `[N, C, H, W]` → `[N, O, H', W']` with stride, padding and dilation.
public final class Conv2d: Layer {
    public let weight: Parameter
    public let bias: Parameter?
    public let stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int)

    public init(
        _ inChannels: Int, _ outChannels: Int, kernel: (Int, Int), stride: (Int, Int) = (1, 1),
        padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1), bias: Bool = true,
        initializer: Initializer = .kaimingUniform, dtype: DType = .float32, using rng: inout some RandomNumberGenerator
    ) {
        let fanIn = inChannels * kernel.0 * kernel.1
        weight = Parameter(initializer.make([outChannels, inChannels, kernel.0, kernel.1], fanIn: fanIn,
                                            fanOut: outChannels * kernel.0 * kernel.1, dtype: dtype, using: &rng))
        self.bias = bias ? Parameter(Tensor.zeros([outChannels], dtype: dtype)) : nil
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let y = x.conv2d(weight.tensor, stride: stride, padding: padding, dilation: dilation)
        return bias.map { y + $0.tensor.reshaped([1, -1, 1, 1]) } ?? y
    }

    public var ownParameters: [(name: String, parameter: Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }
}

/// 1-D convolution `[N, C, L]` → `[N, O, L']` with stride, padding and dilation.
public final class Conv1d: Layer {
    public let weight: Parameter
    public let bias: Parameter?
    public let stride: Int, padding: Int, dilation: Int

    public init(
        _ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1,
        bias: Bool = true, initializer: Initializer = .kaimingUniform, dtype: DType = .float32,
        using rng: inout some RandomNumberGenerator
    ) {
        weight = Parameter(initializer.make([outChannels, inChannels, kernel], fanIn: inChannels * kernel,
                                            fanOut: outChannels * kernel, dtype: dtype, using: &rng))
        self.bias = bias ? Parameter(Tensor.zeros([outChannels], dtype: dtype)) : nil
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let y = x.conv1d(weight.tensor, stride: stride, padding: padding, dilation: dilation)
        return bias.map { y + $0.tensor.reshaped([1, -1, 1]) } ?? y
    }

    public var ownParameters: [(name: String, parameter: Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }
}
