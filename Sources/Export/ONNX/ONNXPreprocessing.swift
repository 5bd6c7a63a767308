import MLData

/// The graph's inputs, one per column, shaped [N, 1]: text columns (categorical) as strings, numeric and
/// true/false columns as floats (NaN for a missing value; 1 and 0 for true and false). Each is read once:
/// a string's missing test and a number's Double value are shared by every preprocessing that uses it.
struct ONNXInputs {
    /// A regular expression matching the texts MLForge reads as missing (trimmed of spaces and tabs,
    /// regardless of case): empty, NA, N/A, NaN, null, None, ?.
    static let missingPattern = #"[ \t]*(?i:na|n/a|nan|null|none|\?)?[ \t]*"#

    let strings: Set<String>
    private var missing: [String: String] = [:]
    private var numbers: [String: String] = [:]

    init(strings: Set<String>) { self.strings = strings }

    /// A text column's missing values, bool [N, 1].
    mutating func missing(_ column: String, _ g: inout ONNXGraphBuilder) -> String {
        if let m = missing[column] { return m }
        let m = g.add("RegexFullMatch", [column], [ONNXAttribute.string("pattern", Self.missingPattern)])
        missing[column] = m
        return m
    }

    /// A numeric column as Double [N, 1] (NaN when missing).
    mutating func number(_ column: String, _ g: inout ONNXGraphBuilder) -> String {
        if let v = numbers[column] { return v }
        let v = g.cast(column, to: .double)
        numbers[column] = v
        return v
    }
}

/// A fitted preprocessing as ONNX nodes: each column step as `FittedPreprocessor.transform` computes it
/// (imputation and indicator, one-hot with the rare pool, ordinal ranks, category codes, target means),
/// concatenated, then standardised — the features as Double [N, F].
struct ONNXPreprocessing {
    let preprocessor: FittedPreprocessor

    func features(_ g: inout ONNXGraphBuilder, _ inputs: inout ONNXInputs) -> String {
        var pieces: [String] = []
        for step in preprocessor.steps {
            let column = step.name
            switch step.encoding {
            case .dropped:
                continue
            case .numeric(let imputer):
                let v = inputs.number(column, &g)
                let isNaN = g.add("IsNaN", [v])
                pieces.append(g.add("Where", [isNaN, g.doubles([imputer.fill], shape: []), v]))
                if imputer.addIndicator { pieces.append(indicator(isNaN, &g)) }
            case .oneHot(let enc):
                let missing = inputs.missing(column, &g)
                let kept = enc.levels.count
                let other = enc.hasOther ? kept : -1
                let fill = enc.levels.firstIndex(of: enc.mostFrequent) ?? other
                let code = lookup(column, enc.levels + enc.rareLevels, value: { $0 < kept ? $0 : other }, unseen: other, &g)
                let hot = g.add("Where", [missing, g.int64s([fill], shape: []), code])
                let width = kept + (enc.hasOther ? 1 : 0)
                if width > 0 {
                    let range = g.int64s(Array(0..<width), shape: [1, width])
                    pieces.append(g.cast(g.add("Equal", [hot, range]), to: .double))
                }
                if enc.addIndicator { pieces.append(indicator(missing, &g)) }
            case .ordinal(let enc):
                let missing = inputs.missing(column, &g)
                let count = enc.levels.count
                let rank = lookup(column, enc.levels, value: { $0 }, unseen: count, &g)
                let filled = g.add("Where", [missing, g.int64s([0], shape: []), rank])
                pieces.append(g.cast(filled, to: .double))
                if enc.addIndicator { pieces.append(indicator(missing, &g)) }
            case .categoryCode(let enc):
                let missing = inputs.missing(column, &g)
                let kept = enc.levels.count
                let other = enc.hasOther ? kept : -1
                let code = lookup(column, enc.levels + enc.rareLevels, value: { $0 < kept ? $0 : other }, unseen: other, &g)
                // A missing value, or an unseen level with no pool, is NaN (the trees' default branch).
                let none = g.add("Or", [missing, g.add("Less", [code, g.int64s([0], shape: [])])])
                pieces.append(g.add("Where", [none, g.doubles([.nan], shape: []), g.cast(code, to: .double)]))
            case .target(let enc):
                let missing = inputs.missing(column, &g)
                let count = enc.levels.count
                // Rows of the table: each level's encoding, then the prior (unseen), then the fill (missing).
                let table = g.doubles(enc.encodings.flatMap { $0 } + enc.prior + enc.fill, shape: [count + 2, enc.width])
                let index = lookup(column, enc.levels, value: { $0 }, unseen: count, &g)
                let row = g.add("Where", [missing, g.int64s([count + 1], shape: []), index])
                let flat = g.add("Reshape", [row, g.int64s([-1])])
                pieces.append(g.add("Gather", [table, flat], [ONNXAttribute.int("axis", 0)]))
                if enc.addIndicator { pieces.append(indicator(missing, &g)) }
            }
        }
        var x = pieces.count == 1 ? pieces[0] : g.add("Concat", pieces, [ONNXAttribute.int("axis", 1)])
        if let scaler = preprocessor.scaler, scaler.skip.contains(false) {
            // Skipped features subtract 0 and divide by 1: unchanged, exactly.
            let means = scaler.skip.indices.map { scaler.skip[$0] ? 0 : scaler.means[$0] }
            let scales = scaler.skip.indices.map { scaler.skip[$0] ? 1 : scaler.scales[$0] }
            x = g.add("Sub", [x, g.doubles(means, shape: [1, means.count])])
            x = g.add("Div", [x, g.doubles(scales, shape: [1, scales.count])])
        }
        return x
    }

    private func indicator(_ flag: String, _ g: inout ONNXGraphBuilder) -> String {
        g.cast(flag, to: .double)
    }

    /// Each row's text looked up in `levels` (a level's first position, mapped by `value`), `unseen` for a
    /// text not among them — int64 [N, 1], or a scalar when there are no levels.
    private func lookup(_ column: String, _ levels: [String], value: (Int) -> Int, unseen: Int,
                        _ g: inout ONNXGraphBuilder) -> String {
        var keys: [String] = [], values: [Int] = [], seen: Set<String> = []
        for (i, level) in levels.enumerated() where seen.insert(level).inserted {
            keys.append(level)
            values.append(value(i))
        }
        // No level to find: every row is unseen — a constant, which the `Where` on the column's missing
        // values that follows every lookup broadcasts to [N, 1] (ONNX's LabelEncoder needs a key).
        guard !keys.isEmpty else { return g.int64s([unseen], shape: []) }
        return g.add("LabelEncoder", [column], domain: "ai.onnx.ml", [
            ONNXAttribute.strings("keys_strings", keys),
            ONNXAttribute.ints("values_int64s", values),
            ONNXAttribute.int("default_int64", unseen),
        ])
    }
}
