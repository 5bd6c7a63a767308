/// A block of scanned records, stored field by field as byte ranges of the reader's buffer, so that
/// columns can be parsed one at a time (and in parallel) before the buffer is refilled.
final class RecordBatch: @unchecked Sendable {  // read-only while workers parse it
    /// Field slots per row (the column count plus one, to notice ragged rows).
    let stride: Int
    /// Rows the batch can hold.
    let capacity: Int
    let starts: UnsafeMutablePointer<Int32>
    let ends: UnsafeMutablePointer<Int32>
    let flags: UnsafeMutablePointer<UInt8>
    /// Physical line on which each row starts.
    let lines: UnsafeMutablePointer<Int>
    /// Index in the file (0-based data row) of the batch's first row.
    var firstRow = 0
    var count = 0
    /// The buffer the ranges point into.
    var base: UnsafePointer<UInt8>?

    init(stride: Int, capacity: Int) {
        self.stride = stride
        self.capacity = capacity
        starts = .allocate(capacity: stride * capacity)
        ends = .allocate(capacity: stride * capacity)
        flags = .allocate(capacity: stride * capacity)
        lines = .allocate(capacity: capacity)
    }

    deinit {
        starts.deallocate()
        ends.deallocate()
        flags.deallocate()
        lines.deallocate()
    }

    /// Where the scanner writes row `row`'s fields.
    func slots(row: Int) -> FieldSlots {
        FieldSlots(starts: starts + row * stride, ends: ends + row * stride, flags: flags + row * stride, capacity: stride)
    }

    /// Calls `body` with the bytes of field `column` of row `row` (quotes unescaped) and whether it is a
    /// missing-value token.
    @inline(__always)
    func withField<R>(
        row: Int, column: Int, missing: MissingMatcher, scratch: inout [UInt8],
        _ body: (UnsafePointer<UInt8>, Int, Int, Bool) throws -> R
    ) rethrows -> R {
        let k = row * stride + column
        let s = Int(starts[k])
        let e = Int(ends[k])
        let p = base!
        if flags[k] == 2 {
            RecordScanner.unescape(p, s, e, into: &scratch)
            return try scratch.withUnsafeBufferPointer { b in
                let q = b.baseAddress!
                return try body(q, 0, b.count, missing.matches(q, 0, b.count))
            }
        }
        return try body(p, s, e, missing.matches(p, s, e))
    }
}
