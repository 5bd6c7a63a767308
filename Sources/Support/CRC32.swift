/// CRC-32 (IEEE 802.3), table-driven.
public enum CRC32 {
    static let table: [UInt32] = (0..<256).map { i in
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// The CRC-32 of `bytes` (not generic, so that callers in other modules get the fast loop).
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { checksum($0) }
    }

    public static func checksum(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        finish(update(start, bytes))
    }

    /// The running value before any byte; feed bytes with `update`, and read the CRC with `finish`.
    public static let start: UInt32 = 0xFFFF_FFFF

    public static func update(_ running: UInt32, _ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var c = running
        table.withUnsafeBufferPointer { t in
            for b in bytes { c = t[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        }
        return c
    }

    public static func finish(_ running: UInt32) -> UInt32 { running ^ 0xFFFF_FFFF }
}
