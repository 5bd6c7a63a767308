import Foundation

/// Swift source text for values: string and number literals, and numbers as base64 blobs (little-endian)
/// that the exported file's `Blob` decodes once — a table of 100,000 numbers as an array literal takes
/// swiftc 39 s to compile, as a blob 0.4 s (measured with swiftc -O, Swift 6.3.1, on this machine).
enum SwiftLiteral {
    /// A string literal: every character that could end or change it escaped.
    static func string(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value)
                    || (0x2028...0x2029).contains(scalar.value) {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func strings(_ values: [String]) -> String { "[" + values.map(string).joined(separator: ", ") + "]" }

    /// A Double literal that reads back as the same value (Swift prints the shortest such text).
    static func double(_ x: Double) -> String {
        if x.isNaN { return "Double.nan" }
        if x.isInfinite { return x > 0 ? "Double.infinity" : "-Double.infinity" }
        return "\(x)"
    }

    static func float(_ x: Float) -> String {
        if x.isNaN { return "Float.nan" }
        if x.isInfinite { return x > 0 ? "Float.infinity" : "-Float.infinity" }
        return "Float(\(x))"
    }

    static func doubles(_ values: [Double]) -> String { "[" + values.map(double).joined(separator: ", ") + "]" }

    // Blobs: the expression that decodes them in the exported file.

    static func floatBlob(_ values: [Float]) -> String { "Blob.floats(\"\(base64(words: values.map(\.bitPattern)))\")" }
    static func int32Blob(_ values: [Int32]) -> String { "Blob.int32s(\"\(base64(words: values.map { UInt32(bitPattern: $0) }))\")" }
    static func wordBlob(_ values: [UInt32]) -> String { "Blob.words(\"\(base64(words: values))\")" }

    static func doubleBlob(_ values: [Double]) -> String {
        "Blob.doubles(\"\(base64(words: values.flatMap { [UInt32(truncatingIfNeeded: $0.bitPattern), UInt32(truncatingIfNeeded: $0.bitPattern >> 32)] }))\")"
    }

    /// A count, then each text's UTF-8 length and bytes.
    static func stringBlob(_ values: [String]) -> String {
        var bytes = littleEndian(UInt32(values.count))
        for v in values {
            let utf8 = Array(v.utf8)
            bytes += littleEndian(UInt32(utf8.count)) + utf8
        }
        return "Blob.strings(\"\(Data(bytes).base64EncodedString())\")"
    }

    private static func littleEndian(_ w: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: w >> (8 * $0)) } }

    private static func base64(words: [UInt32]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(words.count * 4)
        for w in words { bytes += littleEndian(w) }
        return Data(bytes).base64EncodedString()
    }
}
