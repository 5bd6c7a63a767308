#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses decimal numbers straight from bytes, correctly rounded.
///
/// Clinger's fast path handles the common case (at most 19 significant digits, mantissa below 2^53 and a
/// power of ten within ±22, where one IEEE multiply or divide is exact); everything else goes to `strtod`.
/// Accepts surrounding spaces, a sign, digits with an optional point, an exponent, and inf / infinity.
enum NumberParser {
    private static let powersOfTen: [Double] = (0...22).map { p in
        var x = 1.0
        for _ in 0..<p { x *= 10 }
        return x
    }

    /// The number in `p[start..<end]`, or nil when the text is not a number.
    @inline(__always)
    static func parse(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var i = start
        var e = end
        while i < e, p[i] == 0x20 || p[i] == 0x09 { i += 1 }
        while e > i, p[e - 1] == 0x20 || p[e - 1] == 0x09 { e -= 1 }
        guard i < e else { return nil }
        var negative = false
        if p[i] == 0x2D { negative = true; i += 1 } else if p[i] == 0x2B { i += 1 }
        guard i < e else { return nil }
        let afterSign = i

        var mantissa: UInt64 = 0
        var digits = 0          // significant digits accumulated into `mantissa`
        var dropped = 0         // significant digits that did not fit: the fast path is not exact, strtod decides
        var exponent = 0
        var sawDigit = false
        // Integer part.
        while i < e {
            let d = p[i] &- 0x30
            guard d < 10 else { break }
            sawDigit = true
            if digits < 19 {
                mantissa = mantissa &* 10 &+ UInt64(d)
                if mantissa != 0 { digits += 1 }
            } else {
                dropped += 1  // fast path no longer exact: strtod decides
            }
            i += 1
        }
        // Fraction.
        if i < e, p[i] == 0x2E {
            i += 1
            while i < e {
                let d = p[i] &- 0x30
                guard d < 10 else { break }
                sawDigit = true
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    if mantissa != 0 { digits += 1 }
                    exponent -= 1
                } else if d != 0 {
                    dropped += 1  // a nonzero digit we could not keep: not exact
                }
                i += 1
            }
        }
        guard sawDigit else { return parseInfinity(p, afterSign, e, negative: negative) }
        // Exponent.
        if i < e, p[i] | 0x20 == 0x65 {  // e or E
            i += 1
            var expNegative = false
            if i < e, p[i] == 0x2D { expNegative = true; i += 1 } else if i < e, p[i] == 0x2B { i += 1 }
            guard i < e else { return nil }
            var x = 0
            var sawExpDigit = false
            while i < e {
                let d = p[i] &- 0x30
                guard d < 10 else { break }
                sawExpDigit = true
                if x < 100_000 { x = x * 10 + Int(d) }
                i += 1
            }
            guard sawExpDigit else { return nil }
            exponent += expNegative ? -x : x
        }
        guard i == e else { return nil }

        if dropped == 0, mantissa <= (1 << 53), exponent >= -22, exponent <= 22 {
            var value = Double(mantissa)
            if exponent < 0 { value /= powersOfTen[-exponent] } else { value *= powersOfTen[exponent] }
            return negative ? -value : value
        }
        if mantissa == 0 && dropped == 0 { return negative ? -0.0 : 0.0 }
        return slowParse(p, start, end)
    }

    /// `strtod` on a NUL-terminated copy (the text is already known to be well-formed).
    private static func slowParse(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        let n = end - start
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { buf in
            for k in 0..<n { buf[k] = CChar(bitPattern: p[start + k]) }
            buf[n] = 0
            var endPtr: UnsafeMutablePointer<CChar>?
            let v = strtod(buf.baseAddress!, &endPtr)
            return v
        }
    }

    /// inf or infinity (any case) in `p[i..<e]`, after the sign.
    private static func parseInfinity(_ p: UnsafePointer<UInt8>, _ i: Int, _ e: Int, negative: Bool) -> Double? {
        let n = e - i
        guard n == 3 || n == 8 else { return nil }
        var k = 0
        for c in "infinity".utf8.prefix(n) {
            guard p[i + k] | 0x20 == c else { return nil }
            k += 1
        }
        return negative ? -.infinity : .infinity
    }
}
