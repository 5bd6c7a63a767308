import Foundation

/// A forward-only reader of JSON as XGBoost writes its models: standard JSON plus the bare tokens
/// `NaN`, `Infinity` and `-Infinity` (a categorical split's threshold is NaN), and numbers written as
/// strings (its model parameters). The caller walks the document it expects and skips the rest, so a
/// model loads without building a tree of values: the arrays a prediction does not need (gains, hessians,
/// parents) are scanned past, whole numbers are read by hand, and only thresholds go through `strtof`
/// (rounded once from the text: a threshold is XGBoost's own Float).
package struct XGBoostJSON {
    package struct SyntaxError: Error, CustomStringConvertible {
        var offset: Int
        var expected: String
        package var description: String { "malformed JSON at byte \(offset) (expected \(expected))" }
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private(set) var at = 0
    private var depth = 0

    /// Reads `data` with `body`, which must consume exactly one value; only white space may follow it.
    package static func read<T>(_ data: [UInt8], _ body: (inout XGBoostJSON) throws -> T) throws -> T {
        try data.withUnsafeBufferPointer { buffer in
            var reader = XGBoostJSON(bytes: buffer)
            let out = try body(&reader)
            reader.skipSpace()
            guard reader.at == buffer.count else { throw reader.fail("the end of the document") }
            return out
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private func fail(_ expected: String) -> SyntaxError { SyntaxError(offset: at, expected: expected) }

    private mutating func skipSpace() {
        while at < bytes.count {
            let c = bytes[at]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            at += 1
        }
    }

    /// The next byte after white space (0 at the end).
    private mutating func peek() -> UInt8 {
        skipSpace()
        return at < bytes.count ? bytes[at] : 0
    }

    private mutating func expect(_ c: UInt8, _ what: String) throws {
        guard peek() == c else { throw fail(what) }
        at += 1
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard at + n <= bytes.count else { return false }
        for i in 0..<n where bytes[at + i] != word.utf8Start[i] { return false }
        at += n
        return true
    }

    private mutating func nested<T>(_ body: (inout XGBoostJSON) throws -> T) throws -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth < 256 else { throw fail("less nesting") }
        return try body(&self)
    }

    /// An object: `body` is called with each key and must consume its value.
    package mutating func object(_ body: (inout XGBoostJSON, String) throws -> Void) throws {
        try expect(UInt8(ascii: "{"), "an object")
        try nested { r in
            if r.peek() == UInt8(ascii: "}") { r.at += 1; return }
            while true {
                guard r.peek() == UInt8(ascii: "\"") else { throw r.fail("a key") }
                let key = try r.string()
                try r.expect(UInt8(ascii: ":"), "a colon")
                try body(&r, key)
                switch r.peek() {
                case UInt8(ascii: ","): r.at += 1
                case UInt8(ascii: "}"): r.at += 1; return
                default: throw r.fail("a comma or the end of the object")
                }
            }
        }
    }

    /// An array: `body` is called once per element and must consume it.
    package mutating func array(_ body: (inout XGBoostJSON) throws -> Void) throws {
        try expect(UInt8(ascii: "["), "an array")
        try nested { r in
            if r.peek() == UInt8(ascii: "]") { r.at += 1; return }
            while true {
                try body(&r)
                switch r.peek() {
                case UInt8(ascii: ","): r.at += 1
                case UInt8(ascii: "]"): r.at += 1; return
                default: throw r.fail("a comma or the end of the array")
                }
            }
        }
    }

    package mutating func string() throws -> String {
        try expect(UInt8(ascii: "\""), "a string")
        var out: [UInt8] = []
        while at < bytes.count {
            let c = bytes[at]
            at += 1
            if c == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            guard c == UInt8(ascii: "\\") else { out.append(c); continue }
            guard at < bytes.count else { break }
            let e = bytes[at]
            at += 1
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                guard at + 4 <= bytes.count,
                      let code = UInt32(String(decoding: UnsafeBufferPointer(rebasing: bytes[at..<(at + 4)]), as: UTF8.self), radix: 16) else {
                    throw fail("four hex digits")
                }
                at += 4
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(code) ?? "\u{FFFD}")).utf8))
            default: out.append(e)
            }
        }
        throw fail("the end of the string")
    }

    /// The bytes of a number token (digits, sign, point, exponent).
    private mutating func numberToken() throws -> Range<Int> {
        skipSpace()
        let start = at
        while at < bytes.count {
            let c = bytes[at]
            guard (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".")
                    || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") else { break }
            at += 1
        }
        guard at > start, at - start < 64 else { throw SyntaxError(offset: start, expected: "a number") }
        return start..<at
    }

    /// A whole number, written as a number or as a string ("19"), or true / false as 1 / 0.
    package mutating func int() throws -> Int {
        switch peek() {
        case UInt8(ascii: "\""):
            let s = try string()
            guard let v = Int(s) else { throw fail("a whole number in the string \"\(s)\"") }
            return v
        case UInt8(ascii: "t"):
            guard literal("true") else { throw fail("true") }
            return 1
        case UInt8(ascii: "f"):
            guard literal("false") else { throw fail("false") }
            return 0
        default:
            let token = try numberToken()
            var i = token.lowerBound
            let negative = bytes[i] == UInt8(ascii: "-")
            if negative { i += 1 }
            guard i < token.upperBound else { throw SyntaxError(offset: token.lowerBound, expected: "a whole number") }
            var v = 0
            while i < token.upperBound {
                let d = Int(bytes[i]) - 0x30
                guard d >= 0, d <= 9, v < Int.max / 10 - 10 else { throw SyntaxError(offset: token.lowerBound, expected: "a whole number") }
                v = v * 10 + d
                i += 1
            }
            return negative ? -v : v
        }
    }

    /// One or more numbers: a number, or a string holding one ("0.5") or a bracketed list ("[6E-1]",
    /// "[-1.6E-1,2.7E-1]", as XGBoost 3 writes a base score per output).
    package mutating func floatList() throws -> [Float] {
        guard peek() == UInt8(ascii: "\""), let next = bytes.dropFirst(at + 1).first(where: { $0 != 0x20 }), next == UInt8(ascii: "[") else {
            return [try float()]
        }
        let s = try string()
        let inner = s.trimmingCharacters(in: .whitespaces).dropFirst().dropLast()
        let values = inner.split(separator: ",").map { Float($0.trimmingCharacters(in: .whitespaces)) }
        guard s.hasSuffix("]"), !values.isEmpty, values.allSatisfy({ $0 != nil }) else { throw fail("numbers in the string \"\(s)\"") }
        return values.map { $0! }
    }

    /// A number as the nearest Float to its text, written as a number, NaN / ±Infinity, or a string.
    package mutating func float() throws -> Float {
        switch peek() {
        case UInt8(ascii: "N"):
            guard literal("NaN") else { throw fail("NaN") }
            return .nan
        case UInt8(ascii: "I"):
            guard literal("Infinity") else { throw fail("Infinity") }
            return .infinity
        case UInt8(ascii: "\""):
            let s = try string()
            var end: UnsafeMutablePointer<CChar>?
            let v = s.withCString { p -> Float? in
                let v = strtof(p, &end)
                return end.map { $0 != p && $0.pointee == 0 } == true ? v : nil
            }
            guard let v else { throw fail("a number in the string \"\(s)\"") }
            return v
        default:
            if bytes[at] == UInt8(ascii: "-"), at + 1 < bytes.count, bytes[at + 1] == UInt8(ascii: "I") {
                at += 1
                guard literal("Infinity") else { throw fail("-Infinity") }
                return -.infinity
            }
            let token = try numberToken()
            let source = bytes
            return try withUnsafeTemporaryAllocation(of: CChar.self, capacity: token.count + 1) { text -> Float in
                for (i, j) in token.enumerated() { text[i] = CChar(bitPattern: source[j]) }
                text[token.count] = 0
                let p = text.baseAddress!
                var end: UnsafeMutablePointer<CChar>?
                let v = strtof(p, &end)
                guard end == p + token.count else { throw SyntaxError(offset: token.lowerBound, expected: "a number") }
                return v
            }
        }
    }

    package mutating func ints() throws -> [Int] {
        var out: [Int] = []
        try array { out.append(try $0.int()) }
        return out
    }

    package mutating func floats() throws -> [Float] {
        var out: [Float] = []
        try array { out.append(try $0.float()) }
        return out
    }

    /// Skips one value of any kind (checking its syntax).
    package mutating func skip() throws {
        switch peek() {
        case UInt8(ascii: "{"): try object { r, _ in try r.skip() }
        case UInt8(ascii: "["): try array { try $0.skip() }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"): guard literal("true") else { throw fail("true") }
        case UInt8(ascii: "f"): guard literal("false") else { throw fail("false") }
        case UInt8(ascii: "n"): guard literal("null") else { throw fail("null") }
        case UInt8(ascii: "N"): guard literal("NaN") else { throw fail("NaN") }
        case UInt8(ascii: "I"): guard literal("Infinity") else { throw fail("Infinity") }
        default:
            if at < bytes.count, bytes[at] == UInt8(ascii: "-"), at + 1 < bytes.count, bytes[at + 1] == UInt8(ascii: "I") {
                at += 1
                guard literal("Infinity") else { throw fail("-Infinity") }
                return
            }
            _ = try numberToken()
        }
    }
}
