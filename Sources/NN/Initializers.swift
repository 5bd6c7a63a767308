import Foundation
import Tensor

/// Weight initialisation schemes (He et al. 2015; Glorot & Bengio 2010), drawn from a seeded generator.
public enum Initializer: String, Sendable, Codable {
    case kaimingUniform, kaimingNormal, xavierUniform, xavierNormal

    /// A weight tensor of `shape` whose fan-in / fan-out are `fanIn` / `fanOut`.
    public func make(
        _ shape: [Int], fanIn: Int, fanOut: Int, dtype: DType = .float32, using rng: inout some RandomNumberGenerator
    ) -> Tensor {
        switch self {
        case .kaimingUniform:
            let bound = (6.0 / Double(max(fanIn, 1))).squareRoot()
            return Tensor.randomUniform(shape, low: -bound, high: bound, dtype: dtype, using: &rng)
        case .kaimingNormal:
            return Tensor.randomNormal(shape, std: (2.0 / Double(max(fanIn, 1))).squareRoot(), dtype: dtype, using: &rng)
        case .xavierUniform:
            let bound = (6.0 / Double(max(fanIn + fanOut, 1))).squareRoot()
            return Tensor.randomUniform(shape, low: -bound, high: bound, dtype: dtype, using: &rng)
        case .xavierNormal:
            return Tensor.randomNormal(shape, std: (2.0 / Double(max(fanIn + fanOut, 1))).squareRoot(), dtype: dtype, using: &rng)
        }
    }
}
