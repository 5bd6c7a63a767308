import Foundation
import MLData

/// The shape of rows that are a signal or an image: parsed from `--shape`, or detected from the columns
/// (`t_0 … t_39` or `x00 … x39` on similar scales is a signal of 40 samples, `pixel_0_0 … pixel_7_7` an
/// 8×8 image, `pixel0 … pixel63` too: one index over a square count with a pixel-like stem).
public enum InputLayout {
    /// The rule's constants, named with their reasons.
    public enum Rule {
        /// The fewest input columns read as a signal or image: below it a network has little to convolve,
        /// and short numbered runs (`q1 … q9`) are more often survey items than samples.
        public static let minimumColumns = 16
        /// The largest column spread (standard deviation) may be at most this many times the median spread
        /// of the columns that vary: samples of one signal share a scale, numbered features in different
        /// units (`f1` a share, `f2` an amount) do not. Columns that never vary (an image's empty corner)
        /// are left out of the median.
        public static let maximumSpreadRatio = 20.0
        /// The mean absolute correlation of neighbouring columns (lag 1, on up to `correlationRows` rows)
        /// must pass this by more than what independent columns show by chance (about √(2 / (π n)) on n
        /// rows): neighbouring samples of a signal or pixels of an image move together, numbered
        /// independent features (`f0 … f499`) do not. Measured on the shared data and the corpus: digits
        /// 0.31, texture 0.82, meat_fat 1.00, ionosphere 0.12, twonorm 0.18 (its classes shift every
        /// column alike); ringnorm 0.03 (independent Gaussians) and a table of independent columns 0.02.
        public static let minimumNeighbourCorrelation = 0.1
        /// Rows (evenly spaced) the neighbour correlation is measured on.
        public static let correlationRows = 2_000
        /// Stems that name pixels, for a single index over a square count to be read as an image.
        public static let pixelStems = ["pixel", "pix", "px", "image", "img"]
    }

    /// Reads `--shape`: "none" turns detection off (the rows are an ordinary table); a size sets the shape.
    public static func apply(_ text: String?, to options: inout AutoMLOptions) throws {
        guard let text else { return }
        if text.lowercased() == "none" {
            options.detectsInputLayout = false
        } else {
            options.inputShape = try parse(text)
        }
    }

    /// "40" → [40], "8x8" → [8, 8].
    public static func parse(_ text: String) throws -> [Int] {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard (1...2).contains(parts.count), parts.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw AutoMLError.invalidInput("--shape takes a signal length such as 40, an image size such as 8x8, or none; got '\(text)'")
        }
        return parts.map { $0! }
    }

    public static func describe(_ shape: [Int]) -> String { shape.map(String.init).joined(separator: "x") }

    /// The shape the input columns (all but `target`) form, with the reason, or nil for an ordinary table.
    /// Every input column must be numeric, there must be at least `Rule.minimumColumns`, their names must
    /// be one stem followed by one index (consecutive: a signal, or a square image under a pixel stem) or
    /// two (an image, row by row, a full grid), their spreads must be alike (`Rule.maximumSpreadRatio`),
    /// and neighbouring columns must move together (`Rule.minimumNeighbourCorrelation`).
    public static func detect(_ frame: DataFrame, target: String) -> (shape: [Int], reason: String)? {
        let inputs = frame.columns.filter { $0.name != target }
        guard inputs.count >= Rule.minimumColumns, inputs.allSatisfy({ $0.type == .numeric }) else { return nil }
        var stem: String?
        var indices: [[Int]] = []
        for c in inputs {
            guard let (s, idx) = split(c.name), !idx.isEmpty, idx.count <= 2 else { return nil }
            if stem == nil { stem = s } else if stem != s { return nil }
            if let first = indices.first, first.count != idx.count { return nil }
            indices.append(idx)
        }
        guard let spread = spreadRatio(inputs), spread <= Rule.maximumSpreadRatio else { return nil }
        guard neighboursMoveTogether(inputs) else { return nil }
        let first = inputs[0].name, last = inputs[inputs.count - 1].name
        if indices[0].count == 1 {
            let v = indices.map { $0[0] }
            guard zip(v, v.dropFirst()).allSatisfy({ $1 == $0 + 1 }) else { return nil }
            let side = Int(Double(v.count).squareRoot().rounded())
            if side * side == v.count, let stem, Rule.pixelStems.contains(where: { stem.lowercased().hasSuffix($0) }) {
                return ([side, side], "the \(v.count) numeric input columns \(first) … \(last) are pixels of a square image of \(side)×\(side), row by row")
            }
            return ([v.count], "the \(v.count) numeric input columns \(first) … \(last) are one signal in order, on one scale")
        }
        let rows = Array(Set(indices.map { $0[0] })).sorted(), cols = Array(Set(indices.map { $0[1] })).sorted()
        guard rows.count * cols.count == indices.count, rows.count >= 2, cols.count >= 2 else { return nil }
        for (k, idx) in indices.enumerated() where idx != [rows[k / cols.count], cols[k % cols.count]] { return nil }
        return ([rows.count, cols.count], "the \(indices.count) numeric input columns \(first) … \(last) form an image of \(rows.count)×\(cols.count) pixels, row by row")
    }

    /// The largest column standard deviation over the median of those above zero; nil when no column varies.
    static func spreadRatio(_ columns: [Column]) -> Double? {
        var spreads: [Double] = []
        for c in columns {
            var n = 0.0, mean = 0.0, m2 = 0.0
            for x in c.numericView().values where !x.isNaN {
                n += 1
                let d = x - mean
                mean += d / n
                m2 += d * (x - mean)
            }
            if n > 1, m2 > 0 { spreads.append((m2 / (n - 1)).squareRoot()) }
        }
        guard !spreads.isEmpty else { return nil }
        spreads.sort()
        return spreads[spreads.count - 1] / spreads[spreads.count / 2]
    }

    /// Whether the mean absolute correlation of columns i and i + 1 (pairs where both vary, on an evenly
    /// spaced sample of rows; missing values skipped pairwise) passes `Rule.minimumNeighbourCorrelation`
    /// beyond what independent columns reach by chance.
    static func neighboursMoveTogether(_ columns: [Column]) -> Bool {
        guard let rowCount = columns.first?.count, rowCount >= 3 else { return false }
        let n = min(rowCount, Rule.correlationRows)
        let rows = (0..<n).map { $0 * rowCount / n }
        var previous: [Double]?
        var sum = 0.0, pairs = 0
        for c in columns {
            let all = c.numericView().values
            let sample = rows.map { all[$0] }
            if let a = previous, let r = correlation(a, sample) {
                sum += abs(r)
                pairs += 1
            }
            previous = sample
        }
        guard pairs > 0 else { return false }
        return sum / Double(pairs) >= Rule.minimumNeighbourCorrelation + (2 / (Double.pi * Double(n))).squareRoot()
    }

    /// Pearson's correlation over the positions where both are present; nil when either does not vary.
    static func correlation(_ a: [Double], _ b: [Double]) -> Double? {
        var n = 0.0, sa = 0.0, sb = 0.0
        for (x, y) in zip(a, b) where !x.isNaN && !y.isNaN { n += 1; sa += x; sb += y }
        guard n > 2 else { return nil }
        let ma = sa / n, mb = sb / n
        var saa = 0.0, sbb = 0.0, sab = 0.0
        for (x, y) in zip(a, b) where !x.isNaN && !y.isNaN {
            saa += (x - ma) * (x - ma)
            sbb += (y - mb) * (y - mb)
            sab += (x - ma) * (y - mb)
        }
        guard saa > 0, sbb > 0 else { return nil }
        return sab / (saa * sbb).squareRoot()
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
