import Support

/// A byte source that computes the CRC-32 of the whole input as the reader reads it, so that a file's
/// checksum costs no second read. Bytes read again after a rewind are not counted twice; `checksum()`
/// reads whatever the reader left unread.
final class ChecksummingByteSource: ByteSource {
    private let inner: ByteSource
    private var crc = CRC32.start
    /// Where the next read starts, and how far the checksum has got.
    private var offset = 0
    private var counted = 0
    private var atEnd = false

    init(_ inner: ByteSource) { self.inner = inner }

    var size: Int? { inner.size }

    func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        let n = try inner.read(into: buffer, count: count)
        if n == 0 { atEnd = true }
        if offset + n > counted {
            let skip = max(0, counted - offset)
            crc = CRC32.update(crc, UnsafeBufferPointer(start: buffer + skip, count: n - skip))
            counted = offset + n
        }
        offset += n
        return n
    }

    func rewind() throws {
        try inner.rewind()
        offset = 0
        atEnd = false
    }

    /// The CRC-32 of every byte of the input.
    func checksum() throws -> UInt32 {
        if !atEnd {
            let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 20)
            defer { chunk.deallocate() }
            while try read(into: chunk, count: 1 << 20) > 0 {}
        }
        return CRC32.finish(crc)
    }
}
