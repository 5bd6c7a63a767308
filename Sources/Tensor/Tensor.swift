import Foundation

/// An n-dimensional array of `Float` (or `Double`) with a shape and contiguous row-major storage.
///
/// A value type: copies share storage until one is written (copy-on-write). When gradients are being
/// recorded (see `GradMode`) and an input comes from a `Parameter`, every operation also records how it
/// was made, so `backward()` can send gradients back to the parameters.
public struct Tensor: @unchecked Sendable {
    public let shape: [Int]
    public let storage: Storage
    /// How this tensor was computed, when gradients are recorded through it.
    let node: GraphNode?

    init(shape: [Int], storage: Storage, node: GraphNode? = nil) {
        precondition(Shape.count(shape) == storage.count,
                     "shape \(shape) needs \(Shape.count(shape)) elements, storage has \(storage.count)")
        self.shape = shape
        self.storage = storage
        self.node = node
    }

    public init(shape: [Int], scalars: [Float]) { self.init(shape: shape, storage: .float(scalars)) }
    public init(shape: [Int], doubles: [Double]) { self.init(shape: shape, storage: .double(doubles)) }
    public init(shape: [Int], storage: Storage) { self.init(shape: shape, storage: storage, node: nil) }

    /// A rank-0 tensor.
    public init(_ value: Double, dtype: DType = .float32) {
        self.init(shape: [], storage: .filled(value, count: 1, dtype: dtype))
    }

    public static func zeros(_ shape: [Int], dtype: DType = .float32) -> Tensor {
        Tensor(shape: shape, storage: .filled(0, count: Shape.count(shape), dtype: dtype))
    }

    public static func ones(_ shape: [Int], dtype: DType = .float32) -> Tensor {
        Tensor(shape: shape, storage: .filled(1, count: Shape.count(shape), dtype: dtype))
    }

    public static func full(_ shape: [Int], _ value: Double, dtype: DType = .float32) -> Tensor {
        Tensor(shape: shape, storage: .filled(value, count: Shape.count(shape), dtype: dtype))
    }

    /// Normal samples with mean 0 and standard deviation `std` (Box–Muller on `rng`).
    public static func randomNormal(
        _ shape: [Int], std: Double = 1, dtype: DType = .float32, using rng: inout some RandomNumberGenerator
    ) -> Tensor {
        let n = Shape.count(shape)
        var values = [Double](repeating: 0, count: n)
        var i = 0
        while i < n {
            let u1 = Swift.max(rng.unitInterval(), 1e-300), u2 = rng.unitInterval()
            let r = (-2 * Double.log(u1)).squareRoot()
            values[i] = r * Foundation.cos(2 * .pi * u2) * std
            if i + 1 < n { values[i + 1] = r * Foundation.sin(2 * .pi * u2) * std }
            i += 2
        }
        return Tensor(shape: shape, storage: dtype == .float32 ? .float(values.map(Float.init)) : .double(values))
    }

    /// Uniform samples in `[low, high)`.
    public static func randomUniform(
        _ shape: [Int], low: Double, high: Double, dtype: DType = .float32, using rng: inout some RandomNumberGenerator
    ) -> Tensor {
        let values = (0..<Shape.count(shape)).map { _ in low + (high - low) * rng.unitInterval() }
        return Tensor(shape: shape, storage: dtype == .float32 ? .float(values.map(Float.init)) : .double(values))
    }

    public var dtype: DType { storage.dtype }
    public var rank: Int { shape.count }
    public var count: Int { storage.count }
    public var scalars: [Float] { storage.floats }
    public var doubles: [Double] { storage.doubles }

    /// The single value of a one-element tensor.
    public var item: Double {
        precondition(count == 1, "item needs a tensor with one element; this one has shape \(shape)")
        return doubles[0]
    }

    /// Whether gradients flow back through this tensor.
    public var requiresGrad: Bool { node != nil }

    /// The same values, cut off from the gradient graph.
    public var detached: Tensor { Tensor(shape: shape, storage: storage) }

    /// The same values as `dtype`.
    public func cast(to dtype: DType) -> Tensor {
        guard dtype != self.dtype else { return detached }
        return Tensor(shape: shape, storage: dtype == .float32 ? .float(storage.floats) : .double(storage.doubles))
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let values = doubles.prefix(8).map { String(format: "%.4g", $0) }.joined(separator: ", ")
        return "Tensor(\(shape), \(dtype.rawValue): [\(values)\(count > 8 ? ", …" : "")])"
    }
}

extension RandomNumberGenerator {
    /// A uniform Double in [0, 1) with 53 random bits.
    mutating func unitInterval() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}

