/// Where a scanned record's fields go: byte ranges into the buffer, for up to `capacity` fields.
struct FieldSlots {
    let starts: UnsafeMutablePointer<Int32>
    let ends: UnsafeMutablePointer<Int32>
    /// 0 plain, 1 quoted, 2 quoted with doubled quotes inside (see `RecordScanner.unescape`).
    let flags: UnsafeMutablePointer<UInt8>
    /// Fields stored at most; a record with more is only counted.
    let capacity: Int

    @inline(__always)
    func store(_ k: Int, _ s: Int, _ e: Int, _ f: UInt8) {
        guard k < capacity else { return }
        starts[k] = Int32(truncatingIfNeeded: s)
        ends[k] = Int32(truncatingIfNeeded: e)
        flags[k] = f
    }

    /// A record that is one empty, unquoted field: a blank line.
    func isBlank(fields: Int) -> Bool { fields == 1 && starts[0] == ends[0] && flags[0] == 0 }
}

/// Splits a byte buffer into RFC 4180 records, one at a time, without copying.
///
/// Fields are reported as byte ranges of the buffer. A quoted field's range excludes its quotes; when it
/// holds doubled quotes (`""`) its flag says so and `unescape` makes the plain text. Records end at LF,
/// CRLF or a lone CR. The scanner never reads past `end`: when a record is cut by the end of the buffer and
/// more input may follow, it answers `.needMore` and the caller refills the buffer and scans again.
struct RecordScanner {
    enum Outcome {
        /// A whole record; `next` is where the following one starts, `lineBreaks` how many line ends it spans.
        case record(fields: Int, next: Int, lineBreaks: Int)
        /// The buffer ends inside the record; `insideQuotes` says whether in a quoted field.
        case needMore(insideQuotes: Bool)
        /// No bytes left.
        case end
        case unterminatedQuote
        /// Text after a closing quote, `lineBreaks` into the record.
        case textAfterQuote(lineBreaks: Int)
    }

    static let quote: UInt8 = 0x22
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D

    let delimiter: UInt8
    /// Bit mask of the bytes that end an unquoted field (delimiter, CR, LF), indexed by byte >> 6.
    private let stops: (UInt64, UInt64, UInt64, UInt64)

    init(delimiter: UInt8) {
        self.delimiter = delimiter
        var words: [UInt64] = [0, 0, 0, 0]
        for b in [delimiter, Self.lf, Self.cr] { words[Int(b >> 6)] |= 1 << UInt64(b & 63) }
        stops = (words[0], words[1], words[2], words[3])
    }

    @inline(__always)
    private func isStop(_ c: UInt8) -> Bool {
        // Delimiters, CR and LF are all below 128 for the delimiters we accept.
        let word = c < 64 ? stops.0 : (c < 128 ? stops.1 : (c < 192 ? stops.2 : stops.3))
        return (word >> UInt64(c & 63)) & 1 != 0
    }

    /// Scans the record that starts at `position` in `p[..<end]`; `atEOF` says no bytes follow `end`.
    func scan(_ p: UnsafePointer<UInt8>, from position: Int, end: Int, atEOF: Bool, into slots: FieldSlots) -> Outcome {
        var i = position
        var nf = 0
        var breaks = 0
        let delim = delimiter
        while true {
            // At the start of a field.
            if i >= end {
                if !atEOF { return .needMore(insideQuotes: false) }
                if nf == 0 { return .end }
                slots.store(nf, i, i, 0)  // a trailing delimiter at the end of the file: one more empty field
                return .record(fields: nf + 1, next: i, lineBreaks: breaks)
            }
            if p[i] == Self.quote {
                i += 1
                let s = i
                var escaped = false
                while true {
                    while i < end, p[i] != Self.quote {
                        if p[i] == Self.lf { breaks += 1 }
                        i += 1
                    }
                    if i >= end { return atEOF ? .unterminatedQuote : .needMore(insideQuotes: true) }
                    if i + 1 < end {
                        if p[i + 1] == Self.quote { escaped = true; i += 2; continue }
                    } else if !atEOF {
                        return .needMore(insideQuotes: true)  // cannot tell "" from a closing quote yet
                    }
                    break
                }
                slots.store(nf, s, i, escaped ? 2 : 1)
                nf += 1
                i += 1  // past the closing quote
                if i >= end {
                    if atEOF { return .record(fields: nf, next: i, lineBreaks: breaks) }
                    return .needMore(insideQuotes: false)
                }
                let c = p[i]
                if c == delim { i += 1; continue }
                if c != Self.lf && c != Self.cr { return .textAfterQuote(lineBreaks: breaks) }
            } else {
                let s = i
                while i < end, !isStop(p[i]) { i += 1 }
                if i >= end {
                    if !atEOF { return .needMore(insideQuotes: false) }
                    slots.store(nf, s, i, 0)
                    return .record(fields: nf + 1, next: i, lineBreaks: breaks)
                }
                slots.store(nf, s, i, 0)
                nf += 1
                if p[i] == delim { i += 1; continue }
            }
            // At a line end (LF, CRLF or CR).
            if p[i] == Self.lf { return .record(fields: nf, next: i + 1, lineBreaks: breaks + 1) }
            if i + 1 < end { return .record(fields: nf, next: p[i + 1] == Self.lf ? i + 2 : i + 1, lineBreaks: breaks + 1) }
            if atEOF { return .record(fields: nf, next: i + 1, lineBreaks: breaks + 1) }
            return .needMore(insideQuotes: false)
        }
    }

    /// The text of a quoted field with doubled quotes made single, written into `scratch`.
    static func unescape(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, into scratch: inout [UInt8]) {
        scratch.removeAll(keepingCapacity: true)
        var i = s
        while i < e {
            scratch.append(p[i])
            i += (p[i] == quote && i + 1 < e && p[i + 1] == quote) ? 2 : 1
        }
    }
}
