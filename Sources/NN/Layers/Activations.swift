import Tensor

/// A layer that applies an elementwise function (activations) or reshapes; no parameters.
public final class Function: Layer {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case relu, gelu, silu, tanh, sigmoid, identity, zero, flatten
    }

    public let kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch kind {
        case .relu: return x.relu()
        case .gelu: return x.gelu()
        case .silu: return x.silu()
        case .tanh: return x.tanh()
        case .sigmoid: return x.sigmoid()
        case .identity: return x
        case .zero: return x * 0
        case .flatten: return x.flattened()
        }
    }

    /// On a row of features `flatten` is the identity (a network with convolutions is not written at all).
    public var operations: [NetworkOperation]? { [.activation(kind)] }
}

/// Max or average pooling over `[N, C, L]` (1-D) or `[N, C, H, W]` (2-D), or the global average.
public final class Pooling: Layer {
    public enum Kind: Sendable, Equatable {
        case max1d(kernel: Int, stride: Int, padding: Int)
        case avg1d(kernel: Int, stride: Int, padding: Int)
        case max2d(kernel: Int, stride: Int, padding: Int)
        case avg2d(kernel: Int, stride: Int, padding: Int)
        /// Mean over every axis after the channels.
        case globalAverage
    }

    public let kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch kind {
        case .max1d(let k, let s, let p): return x.maxPool1d(kernel: k, stride: s, padding: p)
        case .avg1d(let k, let s, let p): return x.avgPool1d(kernel: k, stride: s, padding: p)
        case .max2d(let k, let s, let p): return x.maxPool2d(kernel: (k, k), stride: (s, s), padding: (p, p))
        case .avg2d(let k, let s, let p): return x.avgPool2d(kernel: (k, k), stride: (s, s), padding: (p, p))
        case .globalAverage: return x.globalAveragePool()
        }
    }
}
