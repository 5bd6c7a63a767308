/// CRC-32 (IEEE 802.3), table-driven, eight bytes a step ("slicing-by-8", Intel 2006): a model folder's
/// files are checked on every load, so the byte-at-a-time loop (about 0.5 GB/s) was a tenth of a load.
public enum CRC32 {
    /// `tables[k * 256 + i]`: the CRC of byte `i` followed by `k` zero bytes.
    static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            t[i] = c
        }
        for k in 1..<8 {
            for i in 0..<256 { t[k * 256 + i] = (t[(k - 1) * 256 + i] >> 8) ^ t[Int(t[(k - 1) * 256 + i] & 0xFF)] }
        }
        return t
    }()

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
        guard let base = bytes.baseAddress else { return c }
        let raw = UnsafeRawPointer(base)
        tables.withUnsafeBufferPointer { t in
            var i = 0
            while i + 8 <= bytes.count {
                let one = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt32.self)) ^ c
                let two = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i + 4, as: UInt32.self))
                c = t[7 * 256 + Int(one & 0xFF)] ^ t[6 * 256 + Int((one >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((one >> 16) & 0xFF)] ^ t[4 * 256 + Int(one >> 24)]
                    ^ t[3 * 256 + Int(two & 0xFF)] ^ t[2 * 256 + Int((two >> 8) & 0xFF)]
                    ^ t[256 + Int((two >> 16) & 0xFF)] ^ t[Int(two >> 24)]
                i += 8
            }
            while i < bytes.count {
                c = t[Int((c ^ UInt32(bytes[i])) & 0xFF)] ^ (c >> 8)
                i += 1
            }
        }
        return c
    }

    public static func finish(_ running: UInt32) -> UInt32 { running ^ 0xFFFF_FFFF }
}
