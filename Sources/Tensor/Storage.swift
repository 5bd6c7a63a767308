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
    _ = Engine.ready
    return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        if count > 0 { body(buffer.baseAddress!) }
        initialized = count
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// One-time process set-up for the engine.
enum Engine {
    /// Training allocates and frees the same large buffers every step. By default glibc serves blocks over
    /// 128 KiB with mmap and returns them to the kernel on free, so every step pays page faults and page
    /// zeroing (a fifth of a small CNN's step time, measured). Keeping blocks up to 32 MiB on the heap and
    /// not trimming it lets them be reused, as PyTorch's caching allocator does.
    static let ready: Bool = {
        #if canImport(Glibc)
        // mallopt is not in Swift's Glibc module; find it at run time (M_TRIM_THRESHOLD −1, M_MMAP_THRESHOLD −3).
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
            let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
            _ = mallopt(-3, 32 << 20)
            _ = mallopt(-1, 256 << 20)
        }
        #endif
        return true
    }()
}
