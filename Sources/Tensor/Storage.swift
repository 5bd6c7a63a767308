/// A tensor's elements: contiguous, row-major, copy-on-write (Swift arrays).
public enum Storage: Sendable, Equatable {
    case float([Float])
    case double([Double])

    public var dtype: DType {
        switch self {
        case .float: return .float32
        case .double: return .float64
        }
    }

    public var count: Int {
        switch self {
        case .float(let a): return a.count
        case .double(let a): return a.count
        }
    }

    /// The elements as `Float`s (converted when the storage holds `Double`s).
    public var floats: [Float] {
        switch self {
        case .float(let a): return a
        case .double(let a): return a.map(Float.init)
        }
    }

    /// The elements as `Double`s.
    public var doubles: [Double] {
        switch self {
        case .float(let a): return a.map(Double.init)
        case .double(let a): return a
        }
    }

    /// Storage of `count` elements, all `value`, of the given type.
    static func filled(_ value: Double, count: Int, dtype: DType) -> Storage {
        dtype == .float32 ? .float([Float](repeating: Float(value), count: count)) : .double([Double](repeating: value, count: count))
    }

    /// Applies the same generic computation to either element type.
    @inline(__always)
    func map(_ f32: ([Float]) -> [Float], _ f64: ([Double]) -> [Double]) -> Storage {
        switch self {
        case .float(let a): return .float(f32(a))
        case .double(let a): return .double(f64(a))
        }
    }
}

/// Allocates an array of `count` elements and lets `body` write every one of them (no zero fill first).
@inline(__always)
func uninitialized<T: TensorScalar>(_ count: Int, _ body: (UnsafeMutablePointer<T>) -> Void) -> [T] {
    [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        if count > 0 { body(buffer.baseAddress!) }
        initialized = count
    }
}
