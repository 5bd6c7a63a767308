/// Accumulates one column's values while reading, inferring its type as it goes.
///
/// A column starts undecided and takes the type of its first value: a number makes it numeric, true/false
/// boolean, anything else categorical. A numeric or boolean column that later meets text becomes
/// categorical; the rows read before that are filled in by a second pass over the file (`rescanRows`),
/// so category labels are always the file's own text, never a re-formatted number.
final class ColumnBuilder: @unchecked Sendable {  // one worker at a time touches a builder
    enum Mode { case undecided, numeric, boolean, text, ignored }

    let name: String
    let declared: ColumnType?
    let policy: CSVOptions.InvalidValuePolicy
    private(set) var mode: Mode
    private(set) var doubles: [Double] = []
    private(set) var bools: [Int8] = []
    private(set) var codes: [Int32] = []
    private(set) var levels = LevelTable()
    private var pendingMissing = 0
    /// Rows `0..<rescanRows` must be read again to fill their codes (the column turned categorical late).
    private(set) var rescanRows = 0
    private(set) var invalidCount = 0
    private var reserved = 0

    init(name: String, declared: ColumnType?, policy: CSVOptions.InvalidValuePolicy) {
        self.name = name
        self.declared = declared
        self.policy = policy
        switch declared {
        case .numeric?: mode = .numeric
        case .categorical?: mode = .text
        case .boolean?: mode = .boolean
        case .missing?: mode = .ignored
        case nil: mode = .undecided
        }
    }

    var rowCount: Int {
        switch mode {
        case .undecided, .ignored: return pendingMissing
        case .numeric: return doubles.count
        case .boolean: return bools.count
        case .text: return codes.count
        }
    }

    func reserve(_ n: Int) {
        reserved = n
        switch mode {
        case .numeric: doubles.reserveCapacity(n)
        case .boolean: bools.reserveCapacity(n)
        case .text: codes.reserveCapacity(n)
        case .undecided, .ignored: break
        }
    }

    /// Adds field `column` of every row of `batch`.
    func append(_ batch: RecordBatch, column j: Int, missing: MissingMatcher, scratch: inout [UInt8]) throws {
        let n = batch.count
        var r = 0
        while r < n {
            switch mode {
            case .numeric:
                r = try appendNumbers(batch, j, from: r, missing, &scratch)
            case .boolean:
                r = try appendBooleans(batch, j, from: r, missing, &scratch)
            case .text:
                appendTexts(batch, j, rows: r..<n, into: nil, missing, &scratch)
                r = n
            case .undecided:
                let isMissing = batch.withField(row: r, column: j, missing: missing, scratch: &scratch) { p, s, e, m in
                    if !m { decide(p, s, e) }
                    return m
                }
                if isMissing { pendingMissing += 1; r += 1 }
            case .ignored:
                pendingMissing += n - r
                r = n
            }
        }
    }

    /// Second pass: sets the codes of the batch's rows that were read before the column turned categorical.
    func fill(_ batch: RecordBatch, column j: Int, missing: MissingMatcher, scratch: inout [UInt8]) {
        let upTo = min(batch.count, rescanRows - batch.firstRow)
        guard upTo > 0 else { return }
        appendTexts(batch, j, rows: 0..<upTo, into: batch.firstRow, missing, &scratch)
    }

    private func appendNumbers(_ batch: RecordBatch, _ j: Int, from: Int, _ missing: MissingMatcher, _ scratch: inout [UInt8]) throws -> Int {
        let r = Self.appendParsed(into: &doubles, batch, j, from: from, missing, &scratch, missingValue: .nan) { p, s, e in
            NumberParser.parse(p, s, e)
        }
        guard r < batch.count else { return r }
        try batch.withField(row: r, column: j, missing: missing, scratch: &scratch) { p, s, e, _ in
            try notANumber(p, s, e, line: batch.lines[r])
        }
        return r + 1
    }

    private func appendBooleans(_ batch: RecordBatch, _ j: Int, from: Int, _ missing: MissingMatcher, _ scratch: inout [UInt8]) throws -> Int {
        let r = Self.appendParsed(into: &bools, batch, j, from: from, missing, &scratch, missingValue: -1) { p, s, e in
            Self.parseBool(p, s, e).map { $0 ? 1 : 0 }
        }
        guard r < batch.count else { return r }
        try batch.withField(row: r, column: j, missing: missing, scratch: &scratch) { p, s, e, _ in
            try notABoolean(p, s, e, line: batch.lines[r])
        }
        return r + 1
    }

    /// Appends the parsed values of rows `from...` to `out`, up to the first value that does not parse;
    /// returns that row (or `batch.count` when all parsed).
    @inline(__always)
    private static func appendParsed<T>(
        into out: inout [T], _ batch: RecordBatch, _ j: Int, from: Int, _ missing: MissingMatcher,
        _ scratch: inout [UInt8], missingValue: T, parse: (UnsafePointer<UInt8>, Int, Int) -> T?
    ) -> Int {
        var r = from
        while r < batch.count {
            let ok = batch.withField(row: r, column: j, missing: missing, scratch: &scratch) { p, s, e, m -> Bool in
                if m { out.append(missingValue); return true }
                guard let v = parse(p, s, e) else { return false }
                out.append(v)
                return true
            }
            if !ok { break }
            r += 1
        }
        return r
    }

    /// Interns the rows' texts; appends their codes, or writes them from `offset` on when given.
    private func appendTexts(_ batch: RecordBatch, _ j: Int, rows: Range<Int>, into offset: Int?, _ missing: MissingMatcher, _ scratch: inout [UInt8]) {
        var out = codes
        var table = levels
        codes = []
        levels = LevelTable()
        for r in rows {
            let line = batch.lines[r]
            let code = batch.withField(row: r, column: j, missing: missing, scratch: &scratch) { p, s, e, m -> Int32 in
                m ? -1 : table.intern(p, s, e, line: line)
            }
            if let offset { out[offset + r] = code } else { out.append(code) }
        }
        codes = out
        levels = table
    }

    /// The first value fixes the type; rows before it were all missing.
    private func decide(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) {
        let before = pendingMissing
        pendingMissing = 0
        if NumberParser.parse(p, start, end) != nil {
            mode = .numeric
            doubles.reserveCapacity(max(reserved, before + 1))
            doubles.append(contentsOf: repeatElement(.nan, count: before))
        } else if Self.parseBool(p, start, end) != nil {
            mode = .boolean
            bools.reserveCapacity(max(reserved, before + 1))
            bools.append(contentsOf: repeatElement(-1, count: before))
        } else {
            mode = .text
            codes.reserveCapacity(max(reserved, before + 1))
            codes.append(contentsOf: repeatElement(-1, count: before))
        }
    }

    private func notANumber(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, line: Int) throws {
        if declared == .numeric {
            guard policy == .treatAsMissing else {
                throw DataError.invalidNumber(column: name, line: line, value: Self.text(p, start, end))
            }
            invalidCount += 1
            doubles.append(.nan)
            return
        }
        becomeText(rows: doubles.count)
        doubles = []
        codes.append(levels.intern(p, start, end, line: line))
    }

    private func notABoolean(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, line: Int) throws {
        if declared == .boolean {
            guard policy == .treatAsMissing else {
                throw DataError.invalidBoolean(column: name, line: line, value: Self.text(p, start, end))
            }
            invalidCount += 1
            bools.append(-1)
            return
        }
        becomeText(rows: bools.count)
        bools = []
        codes.append(levels.intern(p, start, end, line: line))
    }

    private func becomeText(rows: Int) {
        mode = .text
        rescanRows = rows
        codes = []
        codes.reserveCapacity(max(reserved, rows + 1))
        codes.append(contentsOf: repeatElement(-1, count: rows))
    }

    /// The finished column. Levels are sorted, so the codes do not depend on row order.
    func finish(precision: CSVOptions.NumericPrecision) throws -> Column {
        switch mode {
        case .undecided, .ignored:
            return Column(name: name, storage: .missing(count: pendingMissing))
        case .numeric:
            if precision == .float { return Column(name: name, storage: .float(doubles.map { Float($0) })) }
            return Column(name: name, storage: .double(doubles))
        case .boolean:
            return Column(name: name, storage: .boolean(bools))
        case .text:
            var strings: [String] = []
            strings.reserveCapacity(levels.count)
            for k in 0..<levels.count {
                guard let s = String(validating: levels.bytes(k), as: UTF8.self) else {
                    throw DataError.invalidUTF8(line: levels.firstLines[k])
                }
                if s.utf8.contains(0) { throw DataError.binaryContent(offset: 0) }
                strings.append(s)
            }
            let order = strings.indices.sorted { strings[$0] < strings[$1] }
            var remap = [Int32](repeating: -1, count: strings.count)
            var sorted: [String] = []
            for k in order {
                // Canonically equal texts (e.g. composed and decomposed accents) become one level.
                if let last = sorted.last, last == strings[k] {
                    remap[k] = Int32(sorted.count - 1)
                } else {
                    sorted.append(strings[k])
                    remap[k] = Int32(sorted.count - 1)
                }
            }
            let recoded = codes.map { $0 < 0 ? $0 : remap[Int($0)] }
            return Column(name: name, storage: .categorical(codes: recoded, levels: sorted))
        }
    }

    static func parseBool(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool? {
        var i = start
        var e = end
        while i < e, p[i] == 0x20 { i += 1 }
        while e > i, p[e - 1] == 0x20 { e -= 1 }
        func matches(_ word: StaticString) -> Bool {
            guard e - i == word.utf8CodeUnitCount else { return false }
            let w = word.utf8Start
            for k in 0..<(e - i) where p[i + k] | 0x20 != w[k] { return false }
            return true
        }
        if matches("true") { return true }
        if matches("false") { return false }
        return nil
    }

    static func text(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: p + start, count: min(end - start, 200)), as: UTF8.self)
    }
}
