import Foundation
import MLData

/// The shape of rows that are a signal or an image: parsed from `--shape`, or detected from the column
/// names (`t_0 … t_39` is a signal of 40 samples, `pixel_0_0 … pixel_7_7` an 8×8 image).
public enum InputLayout {
    /// "40" → [40], "8x8" → [8, 8].
    public static func parse(_ text: String) throws -> [Int] {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard (1...2).contains(parts.count), parts.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw AutoMLError.invalidInput("--shape takes a signal length such as 40 or an image size such as 8x8; got '\(text)'")
        }
        return parts.map { $0! }
    }

    public static func describe(_ shape: [Int]) -> String { shape.map(String.init).joined(separator: "x") }

    /// The shape the input columns (all but `target`) form, with the reason, or nil for an ordinary table.
    /// Every input column must be numeric, there must be at least 16, and their names must be one stem
    /// followed by one index (a signal, in increasing order) or two (an image, row by row, a full grid).
    public static func detect(_ frame: DataFrame, target: String) -> (shape: [Int], reason: String)? {
        let inputs = frame.columns.filter { $0.name != target }
        guard inputs.count >= 16, inputs.allSatisfy({ $0.type == .numeric }) else { return nil }
        var stem: String?
        var indices: [[Int]] = []
        for c in inputs {
            guard let (s, idx) = split(c.name), !idx.isEmpty, idx.count <= 2 else { return nil }
            if stem == nil { stem = s } else if stem != s { return nil }
            if let first = indices.first, first.count != idx.count { return nil }
            indices.append(idx)
        }
        let first = inputs[0].name, last = inputs[inputs.count - 1].name
        if indices[0].count == 1 {
            let v = indices.map { $0[0] }
            guard zip(v, v.dropFirst()).allSatisfy({ $0 < $1 }) else { return nil }
            return ([v.count], "the \(v.count) numeric input columns \(first) … \(last) are one signal in order")
        }
        let rows = Array(Set(indices.map { $0[0] })).sorted(), cols = Array(Set(indices.map { $0[1] })).sorted()
        guard rows.count * cols.count == indices.count, rows.count >= 2, cols.count >= 2 else { return nil }
        for (k, idx) in indices.enumerated() where idx != [rows[k / cols.count], cols[k % cols.count]] { return nil }
        return ([rows.count, cols.count], "the \(indices.count) numeric input columns \(first) … \(last) form an image of \(rows.count)×\(cols.count) pixels, row by row")
    }

    /// "pixel_3_4" → ("pixel", [3, 4]); "t17" → ("t", [17]).
    static func split(_ name: String) -> (String, [Int])? {
        var rest = Substring(name)
        var idx: [Int] = []
        while let lastDigit = rest.last, lastDigit.isASCII, lastDigit.isNumber {
            let digits = rest.reversed().prefix { $0.isASCII && $0.isNumber }
            guard let n = Int(String(digits.reversed())) else { return nil }
            idx.insert(n, at: 0)
            rest = rest.dropLast(digits.count)
            if let sep = rest.last, "_-.".contains(sep), rest.dropLast().last?.isNumber == true { rest = rest.dropLast() } else { break }
        }
        while let sep = rest.last, "_-.".contains(sep) { rest = rest.dropLast() }
        return idx.isEmpty ? nil : (String(rest), idx)
    }
}
