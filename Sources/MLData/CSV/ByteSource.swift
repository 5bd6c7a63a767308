#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the reader's bytes come from: a file read in chunks, or bytes already in memory.
protocol ByteSource: AnyObject {
    /// Reads up to `count` bytes into `buffer`; returns 0 at the end.
    func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int
    /// Starts again from the first byte (for the second pass).
    func rewind() throws
    /// Total size in bytes, when known.
    var size: Int? { get }
}

/// Reads a file with `read(2)`, in the chunks the caller asks for.
final class FileByteSource: ByteSource {
    private let fd: Int32
    private let path: String
    let size: Int?

    init(path: String) throws {
        var st = stat()
        guard stat(path, &st) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw DataError.fileNotFound(path: path) }
            throw DataError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw DataError.isDirectory(path: path) }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw DataError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        self.fd = fd
        self.path = path
        self.size = (st.st_mode & S_IFMT) == S_IFREG ? Int(st.st_size) : nil
    }

    deinit { close(fd) }

    func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        while true {
            #if canImport(Glibc)
            let n = Glibc.read(fd, buffer, count)
            #else
            let n = Darwin.read(fd, buffer, count)
            #endif
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw DataError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
    }

    func rewind() throws {
        guard lseek(fd, 0, SEEK_SET) == 0 else {
            throw DataError.unreadable(path: path, reason: "it cannot be read twice (a pipe?); save it to a file first")
        }
    }
}

/// Bytes held in memory.
final class MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var size: Int? { bytes.count }

    func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        let n = min(count, bytes.count - position)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBufferPointer { src in
            buffer.update(from: src.baseAddress! + position, count: n)
        }
        position += n
        return n
    }

    func rewind() throws { position = 0 }
}
