import Tensor

/// One step of a trained network's forward pass on a row of features, as plain numbers: what an exporter
/// (Swift source, ONNX) writes instead of the layer objects. Inference only: dropout is gone and batch
/// normalisation uses its running statistics. Every vector is Float32, as the network computes.
public indirect enum NetworkOperation: Sendable, Equatable {
    /// `(x − mean) · inverseScale`, per feature, or one pair for every feature when the arrays hold one value.
    case standardize(mean: [Float], inverseScale: [Float])
    /// The input cut into consecutive blocks of features, each passed through or projected by a matrix
    /// (a categorical column's embedding), and the results concatenated.
    case columnBlocks([ColumnBlock])
    /// `y = W x + b`: `weight` is `outputs × inputs`, row-major; `bias` has `outputs` values or none.
    case dense(weight: [Float], bias: [Float]?, inputs: Int, outputs: Int)
    /// `(x − mean) / sqrt(variance + epsilon) · scale + shift`, per feature.
    case batchNorm(mean: [Float], variance: [Float], scale: [Float], shift: [Float], epsilon: Float)
    /// Normalisation over the features of the row, then `· scale + shift`.
    case layerNorm(scale: [Float], shift: [Float], epsilon: Float)
    /// An element-wise function (`identity`, `flatten` and `zero` included: they keep their meaning).
    case activation(Function.Kind)
    /// `x + body(x)`.
    case residual([NetworkOperation])

    /// A block of the input for `columnBlocks`.
    public enum ColumnBlock: Sendable, Equatable {
        /// The features of `range` unchanged.
        case pass(Range<Int>)
        /// The features of `range` times `weight` (`outputs × range.count`, row-major), no bias.
        case project(Range<Int>, weight: [Float], outputs: Int)
    }
}

extension Parameter {
    /// The values as Float32 numbers, in storage order.
    var floats: [Float] { value.cast(to: .float32).scalars }
}
