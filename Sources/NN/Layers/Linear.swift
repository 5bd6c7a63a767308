import Tensor

/// `y = x · Wᵀ + b` over the last axis: `[..., in]` → `[..., out]`. The weight is stored `[out, in]`.
public final class Linear: Layer {
    public let weight: Parameter
    public let bias: Parameter?

    public init(
        _ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, initializer: Initializer = .kaimingUniform,
        dtype: DType = .float32, using rng: inout some RandomNumberGenerator
    ) {
        weight = Parameter(initializer.make([outFeatures, inFeatures], fanIn: inFeatures, fanOut: outFeatures, dtype: dtype, using: &rng))
        self.bias = bias ? Parameter(Tensor.zeros([outFeatures], dtype: dtype)) : nil
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let y = x.matmul(weight.tensor, transposeOther: true)
        return bias.map { y + $0.tensor } ?? y
    }

    public var ownParameters: [(name: String, parameter: Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public var operations: [NetworkOperation]? {
        let shape = weight.value.shape
        return [.dense(weight: weight.floats, bias: bias?.floats, inputs: shape[1], outputs: shape[0])]
    }
}

/// Learned vectors for integer ids: `[N]` ids (stored as numbers) → `[N, dim]`.
public final class Embedding: Layer {
    public let weight: Parameter

    public init(count: Int, dimension: Int, dtype: DType = .float32, using rng: inout some RandomNumberGenerator) {
        weight = Parameter(Tensor.randomNormal([count, dimension], std: 1, dtype: dtype, using: &rng))
    }

    public func callAsFunction(_ ids: Tensor) -> Tensor {
        let rows = weight.value.shape[0]
        let indices = ids.doubles.map { v -> Int in
            let i = Int(v)
            precondition(v == Double(i) && i >= 0 && i < rows, "Embedding: id \(v) is not in 0..<\(rows)")
            return i
        }
        let out = weight.tensor.gatherRows(indices)
        return out.reshaped(ids.shape + [weight.value.shape[1]])
    }

    public var ownParameters: [(name: String, parameter: Parameter)] { [("weight", weight)] }
}
