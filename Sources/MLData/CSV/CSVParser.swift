import Foundation

/// The reading pass behind `CSVReader`: a chunk buffer over a `ByteSource`, records from `RecordScanner`,
/// values into one `ColumnBuilder` per column.
final class CSVParser {
    private let source: ByteSource
    private let options: CSVOptions
    private let missing: MissingMatcher
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var position = 0       // start of the next record in the buffer
    private var end = 0            // valid bytes in the buffer
    private var atEOF = false
    private var consumed = 0       // bytes of the source before buffer[0]
    private var line = 1           // physical line on which the next record starts
    private var scanner = RecordScanner(delimiter: 0x2C)
    private var names: [String] = []
    private var dataStart = 0      // source offset of the first data row, and its line
    private var dataStartLine = 1
    private var blankLines = 0

    init(source: ByteSource, options: CSVOptions) {
        self.source = source
        self.options = options
        self.missing = MissingMatcher(tokens: options.missingTokens)
        capacity = max(1 << 10, min(options.chunkBytes, options.maxRecordBytes))
        buffer = .allocate(capacity: capacity)
    }

    deinit { buffer.deallocate() }

    // MARK: Driving

    func headerOnly() throws -> [String] {
        try start()
        return names
    }

    func run() throws -> (frame: DataFrame, report: CSVReadReport) {
        try start()
        for key in options.columnTypes.keys where !names.contains(key) {
            throw DataError.unknownColumn(name: key, available: names)
        }
        let builders = names.map { name in
            ColumnBuilder(name: name, declared: options.columnTypes[name], policy: options.invalidNumbers)
        }
        let batch = makeBatch()
        var rows = 0
        var reserved = false
        while try nextBatch(batch) {
            try parseColumns(of: batch, into: builders, all: true)
            rows += batch.count
            if !reserved, rows >= 1024, let size = source.size {
                reserved = true
                let perRow = Double(consumed + position - dataStart) / Double(rows)
                let estimate = Int(Double(size - dataStart) / max(perRow, 1) * 1.05) + 64
                for b in builders { b.reserve(estimate) }
            }
        }
        guard rows > 0 else { throw DataError.headerOnly(columns: names.count) }
        try rescan(builders, batch)
        var columns: [Column] = []
        columns.reserveCapacity(builders.count)
        var invalid: [String: Int] = [:]
        for b in builders {
            columns.append(try b.finish(precision: options.numericPrecision))
            if b.invalidCount > 0 { invalid[b.name] = b.invalidCount }
        }
        let report = CSVReadReport(delimiter: scanner.delimiter, blankLines: blankLines, invalidValues: invalid)
        return (DataFrame(unchecked: columns, rowCount: rows), report)
    }

    private func makeBatch() -> RecordBatch {
        let stride = names.count + 1
        return RecordBatch(stride: stride, capacity: max(16, min(8192, (1 << 20) / stride)))
    }

    /// Parses the batch column by column, in parallel across columns. When several columns fail, the error
    /// of the earliest line is thrown, so the message does not depend on thread timing.
    private func parseColumns(of batch: RecordBatch, into builders: [ColumnBuilder], all: Bool) throws {
        let missing = self.missing
        let work = all ? Array(builders.indices) : builders.indices.filter { builders[$0].rescanRows > batch.firstRow }
        let failures = FailureLog()
        let run: @Sendable (Int) -> Void = { k in
            let j = work[k]
            var scratch: [UInt8] = []
            do {
                if all {
                    try builders[j].append(batch, column: j, missing: missing, scratch: &scratch)
                } else {
                    builders[j].fill(batch, column: j, missing: missing, scratch: &scratch)
                }
            } catch {
                failures.record(error, column: j)
            }
        }
        if options.parallel && work.count > 1 && batch.count * work.count >= 4096 {
            DispatchQueue.concurrentPerform(iterations: work.count, execute: run)
        } else {
            for k in work.indices { run(k) }
        }
        if let error = failures.first { throw error }
    }

    /// Fills `batch` with the next records (at least one, unless the file is done); false at the end.
    private func nextBatch(_ batch: RecordBatch) throws -> Bool {
        if let error = pendingError {
            pendingError = nil
            throw error
        }
        batch.count = 0
        while batch.count < batch.capacity {
            let slots = batch.slots(row: batch.count)
            let outcome = scanner.scan(buffer, from: position, end: end, atEOF: atEOF, into: slots)
            switch outcome {
            case .record(let fields, let next, let breaks):
                let recordLine = line
                position = next
                line += breaks
                if slots.isBlank(fields: fields) { blankLines += 1; continue }
                guard fields == names.count else {
                    let error = DataError.raggedRow(line: recordLine, fields: fields, expected: names.count)
                    if batch.count > 0 { pendingError = error; return finishBatch(batch) }
                    throw error
                }
                batch.lines[batch.count] = recordLine
                batch.count += 1
            case .end:
                return finishBatch(batch)
            case .needMore(let insideQuotes):
                if batch.count > 0 { return finishBatch(batch) }  // parse what we have before the buffer moves
                try refill(insideQuotes: insideQuotes)
            case .unterminatedQuote, .textAfterQuote:
                let error = scanError(outcome)
                if batch.count > 0 { pendingError = error; return finishBatch(batch) }
                throw error
            }
        }
        return finishBatch(batch)
    }

    /// An error met after some good rows of a batch: thrown once those rows are parsed, so an earlier
    /// bad value is reported first.
    private var pendingError: DataError?
    private var rowsBefore = 0

    private func finishBatch(_ batch: RecordBatch) -> Bool {
        batch.base = UnsafePointer(buffer)
        batch.firstRow = rowsBefore
        rowsBefore += batch.count
        return batch.count > 0
    }

    /// Second pass for columns that turned categorical after some rows: read those rows' text again.
    private func rescan(_ builders: [ColumnBuilder], _ batch: RecordBatch) throws {
        guard let limit = builders.map(\.rescanRows).max(), limit > 0 else { return }
        try source.rewind()
        position = 0; end = 0; consumed = 0; atEOF = false; rowsBefore = 0
        try fill()
        position = dataStart
        line = dataStartLine
        while rowsBefore < limit, try nextBatch(batch) {
            try parseColumns(of: batch, into: builders, all: false)
        }
    }

    // MARK: Start: encoding checks, delimiter, header

    private func start() throws {
        try fill()
        if end >= 2, (buffer[0] == 0xFF && buffer[1] == 0xFE) || (buffer[0] == 0xFE && buffer[1] == 0xFF) {
            throw DataError.utf16Encoded
        }
        if end >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { position = 3 }
        if let nul = (position..<end).first(where: { buffer[$0] == 0 }) { throw DataError.binaryContent(offset: nul) }
        guard (position..<end).contains(where: { !Self.isSpace(buffer[$0]) }) else { throw DataError.emptyFile }

        let delimiter = options.delimiter ?? detectDelimiter()
        scanner = RecordScanner(delimiter: delimiter)
        let header = HeaderSlots(capacity: options.maxColumns + 1)
        var count: Int?
        var headerLine = line
        while let fields = try nextRecord(into: header.slots) {
            if header.slots.isBlank(fields: fields) { blankLines += 1; headerLine = line; continue }
            count = fields
            break
        }
        guard let count else { throw DataError.emptyFile }
        guard count <= options.maxColumns else { throw DataError.tooManyColumns(count: count, limit: options.maxColumns) }
        var seen: [String: Int] = [:]
        var scratch: [UInt8] = []
        for j in 0..<count {
            let s = Int(header.slots.starts[j]), e = Int(header.slots.ends[j])
            let raw: [UInt8]
            if header.slots.flags[j] == 2 {
                RecordScanner.unescape(buffer, s, e, into: &scratch)
                raw = scratch
            } else {
                raw = Array(UnsafeBufferPointer(start: buffer + s, count: e - s))
            }
            guard let text = String(validating: raw, as: UTF8.self) else { throw DataError.invalidUTF8(line: headerLine) }
            let name = text.trimmingSpaces()
            guard !name.isEmpty else { throw DataError.emptyColumnName(index: j + 1) }
            if let first = seen[name] { throw DataError.duplicateColumnName(name: name, first: first + 1, second: j + 1) }
            seen[name] = j
            names.append(name)
        }
        dataStart = consumed + position
        dataStartLine = line
    }

    /// The candidate (comma, semicolon, tab) that splits the first lines into the most fields, consistently.
    private func detectDelimiter() -> UInt8 {
        var best: (delimiter: UInt8, score: (Int, Int, Int)) = (0x2C, (0, 0, 0))
        for candidate: UInt8 in [0x2C, 0x3B, 0x09] {
            let s = RecordScanner(delimiter: candidate)
            let sample = HeaderSlots(capacity: 1)
            var counts: [Int] = []
            var at = position
            sample: while counts.count < 30 {
                switch s.scan(buffer, from: at, end: end, atEOF: atEOF, into: sample.slots) {
                case .record(let fields, let next, _):
                    if !sample.slots.isBlank(fields: fields) { counts.append(fields) }
                    at = next
                default:
                    break sample
                }
            }
            guard let header = counts.first else { continue }
            let consistent = counts.allSatisfy { $0 == header } ? 1 : 0
            let score = (header > 1 ? 1 : 0, consistent, header)
            if score > best.score { best = (candidate, score) }
        }
        return best.delimiter
    }

    // MARK: Single records (header)

    /// Scans the next record into `slots` (refilling the buffer as needed); its field count, or nil at the end.
    private func nextRecord(into slots: FieldSlots) throws -> Int? {
        while true {
            let outcome = scanner.scan(buffer, from: position, end: end, atEOF: atEOF, into: slots)
            switch outcome {
            case .record(let fields, let next, let breaks):
                position = next
                line += breaks
                return fields
            case .end:
                return nil
            case .needMore(let insideQuotes):
                try refill(insideQuotes: insideQuotes)
            case .unterminatedQuote, .textAfterQuote:
                throw scanError(outcome)
            }
        }
    }

    /// The error for a scan that failed, naming the line.
    private func scanError(_ outcome: RecordScanner.Outcome) -> DataError {
        if case .textAfterQuote(let breaks) = outcome { return .textAfterClosingQuote(line: line + breaks) }
        return .unterminatedQuote(line: line)
    }

    /// Makes room for a record cut by the end of the buffer: grows the buffer when the record fills it
    /// (up to the record limit), then reads more.
    private func refill(insideQuotes: Bool) throws {
        if position == 0 && end == capacity {
            guard capacity < options.maxRecordBytes else {
                throw DataError.recordTooLong(line: line, limitBytes: options.maxRecordBytes, insideQuotes: insideQuotes)
            }
            grow()
        }
        try fill()
    }

    // MARK: Buffer

    /// Moves the unread bytes to the front and reads until the buffer is full or the source ends.
    private func fill() throws {
        if position > 0 {
            let keep = end - position
            if keep > 0 { buffer.update(from: buffer + position, count: keep) }
            consumed += position
            end = keep
            position = 0
        }
        while end < capacity, !atEOF {
            let n = try source.read(into: buffer + end, count: capacity - end)
            if n == 0 { atEOF = true } else { end += n }
        }
    }

    private func grow() {
        let newCapacity = min(capacity * 2, options.maxRecordBytes)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: buffer, count: end)
        buffer.deallocate()
        buffer = grown
        capacity = newCapacity
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
}

/// Field slots for one record of up to `capacity` fields (the header, or a sample line).
final class HeaderSlots {
    let slots: FieldSlots

    init(capacity: Int) {
        slots = FieldSlots(
            starts: .allocate(capacity: capacity), ends: .allocate(capacity: capacity),
            flags: .allocate(capacity: capacity), capacity: capacity)
    }

    deinit {
        slots.starts.deallocate()
        slots.ends.deallocate()
        slots.flags.deallocate()
    }
}

/// Collects errors from parallel column workers; `first` is the one on the earliest line.
final class FailureLog: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [(error: Error, line: Int, column: Int)] = []

    func record(_ error: Error, column: Int) {
        let line: Int
        switch error as? DataError {
        case .invalidNumber(_, let l, _)?, .invalidBoolean(_, let l, _)?, .invalidUTF8(let l)?: line = l
        default: line = Int.max
        }
        lock.lock()
        errors.append((error, line, column))
        lock.unlock()
    }

    var first: Error? {
        lock.lock()
        defer { lock.unlock() }
        return errors.min { ($0.line, $0.column) < ($1.line, $1.column) }?.error
    }
}

/// Recognises missing-value tokens: case-insensitive, ignoring surrounding spaces.
struct MissingMatcher {
    private let tokens: [[UInt8]]
    private let longest: Int
    private let emptyIsMissing: Bool

    init(tokens: [String]) {
        let cleaned = tokens.map { Array($0.trimmingSpaces().lowercased().utf8) }
        self.emptyIsMissing = cleaned.contains { $0.isEmpty }
        self.tokens = cleaned.filter { !$0.isEmpty }
        self.longest = self.tokens.map(\.count).max() ?? 0
    }

    @inline(__always)
    func matches(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var s = start
        var e = end
        if e - s > longest + 8 { return false }
        while s < e, p[s] == 0x20 || p[s] == 0x09 { s += 1 }
        while e > s, p[e - 1] == 0x20 || p[e - 1] == 0x09 { e -= 1 }
        let n = e - s
        if n == 0 { return emptyIsMissing }
        if n > longest { return false }
        outer: for t in tokens where t.count == n {
            for k in 0..<n {
                var c = p[s + k]
                if c >= 0x41 && c <= 0x5A { c |= 0x20 }
                if c != t[k] { continue outer }
            }
            return true
        }
        return false
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
