import Foundation
import Support
import Tensor

/// A problem with a saved state dict, with a message that says what is wrong.
public enum StateDictError: Error, Equatable, CustomStringConvertible {
    case truncated
    case notAStateDict
    case unsupportedVersion(found: UInt32, supported: UInt32)
    case checksumMismatch
    case missingKey(String)
    case unexpectedKey(String)
    case shapeMismatch(key: String, expected: [Int], found: [Int])
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .truncated: return "the weights file is truncated; save the model again"
        case .notAStateDict: return "the file is not an MLForge weights file (wrong magic bytes)"
        case .unsupportedVersion(let f, let s): return "the weights file has format version \(f); this MLForge reads version \(s)"
        case .checksumMismatch: return "the weights file is corrupted (checksum mismatch); save the model again"
        case .missingKey(let k): return "the weights file has no tensor '\(k)' that the model needs; it was saved from a different architecture"
        case .unexpectedKey(let k): return "the weights file has a tensor '\(k)' that the model does not have; it was saved from a different architecture"
        case .shapeMismatch(let k, let e, let f): return "tensor '\(k)' has shape \(f) in the file but the model expects \(e)"
        case .unreadable(let p, let r): return "cannot read or write '\(p)': \(r)"
        }
    }
}

/// The versioned, checksummed binary format of a state dict (tensors keyed by parameter path).
///
/// Layout (little-endian): magic `MLFGSTAT`, UInt32 version, UInt64 total file length, UInt32 entry count;
/// per entry UInt32 name
/// length, UTF-8 name, UInt8 dtype (0 float32, 1 float64), UInt32 rank, Int64 dims, raw elements;
/// then a CRC-32 of everything before it.
public enum StateDict {
    public static let version: UInt32 = 1
    static let magic = Array("MLFGSTAT".utf8)

    public static func encode(_ entries: [(name: String, tensor: Tensor)]) -> [UInt8] {
        var out = magic
        append(&out, version)
        append(&out, UInt64(0))  // total length, filled in below
        append(&out, UInt32(entries.count))
        for (name, t) in entries {
            let bytes = Array(name.utf8)
            append(&out, UInt32(bytes.count))
            out += bytes
            out.append(t.dtype == .float32 ? 0 : 1)
            append(&out, UInt32(t.rank))
            for d in t.shape { append(&out, UInt64(d)) }
            switch t.storage {
            case .float(let v): v.withUnsafeBytes { out += $0 }
            case .double(let v): v.withUnsafeBytes { out += $0 }
            }
        }
        withUnsafeBytes(of: UInt64(out.count + 4).littleEndian) { raw in
            for (k, b) in raw.enumerated() { out[magic.count + 4 + k] = b }
        }
        append(&out, CRC32.checksum(out))
        return out
    }

    public static func decode(_ bytes: [UInt8]) throws -> [(name: String, tensor: Tensor)] {
        guard bytes.starts(with: magic.prefix(min(bytes.count, magic.count))), bytes.count >= magic.count else {
            throw bytes.isEmpty ? StateDictError.truncated : .notAStateDict
        }
        guard bytes.count >= magic.count + 24 else { throw StateDictError.truncated }
        var r = Reader(bytes: bytes, position: magic.count)
        let v: UInt32 = try r.read()
        guard v == version else { throw StateDictError.unsupportedVersion(found: v, supported: version) }
        let length: UInt64 = try r.read()
        guard UInt64(bytes.count) >= length else { throw StateDictError.truncated }
        guard UInt64(bytes.count) == length else { throw StateDictError.checksumMismatch }
        let body = bytes.count - 4
        let stored = UInt32(littleEndian: bytes[body...].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) })
        guard bytes.withUnsafeBufferPointer({ CRC32.checksum(UnsafeBufferPointer(rebasing: $0[..<body])) }) == stored else { throw StateDictError.checksumMismatch }
        let count: UInt32 = try r.read()
        var entries: [(name: String, tensor: Tensor)] = []
        for _ in 0..<count {
            let nameLength: UInt32 = try r.read()
            let name = String(decoding: try r.take(Int(nameLength)), as: UTF8.self)
            let dtype: UInt8 = try r.read()
            let rank: UInt32 = try r.read()
            var shape: [Int] = []
            for _ in 0..<rank { let d: UInt64 = try r.read(); shape.append(Int(d)) }
            let n = shape.reduce(1, *)
            let raw = try r.take(n * (dtype == 0 ? 4 : 8))
            let tensor = dtype == 0
                ? Tensor(shape: shape, scalars: raw.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) })
                : Tensor(shape: shape, doubles: raw.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) })
            entries.append((name, tensor))
        }
        return entries
    }

    struct Reader {
        let bytes: [UInt8]
        var position: Int
        mutating func take(_ n: Int) throws -> [UInt8] {
            guard n >= 0, position + n <= bytes.count - 4 else { throw StateDictError.truncated }
            defer { position += n }
            return Array(bytes[position..<(position + n)])
        }
        mutating func read<T: FixedWidthInteger>() throws -> T {
            let raw = try take(MemoryLayout<T>.size)
            return T(littleEndian: raw.withUnsafeBytes { $0.loadUnaligned(as: T.self) })
        }
    }

    static func append<T: FixedWidthInteger>(_ out: inout [UInt8], _ v: T) {
        withUnsafeBytes(of: v.littleEndian) { out += $0 }
    }
}

extension Layer {
    /// Every parameter and buffer, keyed by path.
    public func stateDict() -> [(name: String, tensor: Tensor)] {
        namedParameters().map { ($0.name, $0.parameter.value) }
    }

    /// Loads tensors saved by `stateDict()`; keys and shapes must match exactly.
    public func load(stateDict entries: [(name: String, tensor: Tensor)]) throws {
        let own = namedParameters()
        let given = Dictionary(entries.map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a })
        let names = Set(own.map(\.name))
        if let extra = entries.first(where: { !names.contains($0.name) }) { throw StateDictError.unexpectedKey(extra.name) }
        for (name, p) in own {
            guard let t = given[name] else { throw StateDictError.missingKey(name) }
            guard t.shape == p.value.shape else { throw StateDictError.shapeMismatch(key: name, expected: p.value.shape, found: t.shape) }
        }
        for (name, p) in own { if let t = given[name] { p.value = t.cast(to: p.value.dtype) } }
    }

    /// Writes the state dict to `path` atomically.
    public func save(to path: String) throws {
        do {
            try Data(StateDict.encode(stateDict())).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw StateDictError.unreadable(path: path, reason: error.localizedDescription)
        }
    }

    /// Reads a state dict written by `save(to:)` and loads it.
    public func load(from path: String) throws {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw StateDictError.unreadable(path: path, reason: error.localizedDescription)
        }
        try load(stateDict: try StateDict.decode([UInt8](data)))
    }
}
