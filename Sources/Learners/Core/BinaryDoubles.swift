/// Arrays of Float64 as little-endian bytes (for the large numeric parts of a saved model).
enum BinaryDoubles {
    static func encode(_ values: [Double]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(values.count * 8)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { out += $0 } }
        return out
    }

    static func decode(_ bytes: [UInt8]) throws -> [Double] {
        guard bytes.count % 8 == 0 else { throw LearnerError.unreadableModel("a numeric part has \(bytes.count) bytes, not a multiple of 8") }
        return stride(from: 0, to: bytes.count, by: 8).map { i in
            var bits: UInt64 = 0
            for j in 0..<8 { bits |= UInt64(bytes[i + j]) << (8 * UInt64(j)) }
            return Double(bitPattern: bits)
        }
    }
}
