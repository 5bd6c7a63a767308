import MLData

/// A fitted preprocessing as a Swift function `featuresN(row) -> [Double]`: each column step in order
/// (imputation and indicator, one-hot, ordinal, category codes, target means), then standardisation —
/// the features `FittedPreprocessor.transform` makes from the same row. Tables (levels, encodings,
/// means) become static blobs beside the function.
struct SwiftPreprocessingSource {
    let preprocessor: FittedPreprocessor
    /// The function's and its tables' suffix.
    let index: Int

    var functionName: String { "features\(index)" }

    /// The tables, then the function.
    func text() -> String {
        var tables: [String] = []
        var body: [String] = []
        let featureCount = preprocessor.featureNames.count
        body.append("var x: [Double] = []")
        body.append("x.reserveCapacity(\(featureCount))")
        for (s, step) in preprocessor.steps.enumerated() {
            let name = SwiftLiteral.string(step.name)
            let table = "levels\(index)_\(s)"
            switch step.encoding {
            case .dropped(let reason):
                body.append("// '\(Self.comment(step.name))' is not used: \(Self.comment(reason))")
            case .numeric(let imputer):
                let reader = step.type == .boolean ? "boolean" : "number"
                var line = "do { let v = try Self.\(reader)(row, \(name)); x.append(v.isNaN ? \(SwiftLiteral.double(imputer.fill)) : v)"
                if imputer.addIndicator { line += "; x.append(v.isNaN ? 1 : 0)" }
                body.append(line + " }")
            case .oneHot(let enc):
                tables.append("private static let \(table) = Self.index(\(SwiftLiteral.stringBlob(enc.levels + enc.rareLevels)))")
                let other = enc.hasOther ? enc.levels.count : -1
                let fill = enc.levels.firstIndex(of: enc.mostFrequent) ?? other
                body.append("Self.oneHot(try Self.text(row, \(name)), Self.\(table), kept: \(enc.levels.count), hasOther: \(enc.hasOther), fill: \(fill), indicator: \(enc.addIndicator), into: &x)")
            case .ordinal(let enc):
                tables.append("private static let \(table) = Self.index(\(SwiftLiteral.stringBlob(enc.levels)))")
                body.append("Self.ordinal(try Self.text(row, \(name)), Self.\(table), count: \(enc.levels.count), indicator: \(enc.addIndicator), into: &x)")
            case .categoryCode(let enc):
                tables.append("private static let \(table) = Self.index(\(SwiftLiteral.stringBlob(enc.levels + enc.rareLevels)))")
                body.append("Self.categoryCode(try Self.text(row, \(name)), Self.\(table), kept: \(enc.levels.count), hasOther: \(enc.hasOther), into: &x)")
            case .target(let enc):
                let encodings = "encodings\(index)_\(s)"
                tables.append("private static let \(table) = Self.index(\(SwiftLiteral.stringBlob(enc.levels)))")
                tables.append("private static let \(encodings) = \(SwiftLiteral.doubleBlob(enc.encodings.flatMap { $0 }))")
                body.append("Self.targetMeans(try Self.text(row, \(name)), Self.\(table), encodings: Self.\(encodings), width: \(enc.width), fill: \(SwiftLiteral.doubles(enc.fill)), prior: \(SwiftLiteral.doubles(enc.prior)), indicator: \(enc.addIndicator), into: &x)")
            }
        }
        if let scaler = preprocessor.scaler {
            let columns = scaler.skip.indices.filter { !scaler.skip[$0] }
            if !columns.isEmpty {
                tables.append("private static let scaled\(index) = \(SwiftLiteral.int32Blob(columns.map { Int32($0) }))")
                tables.append("private static let means\(index) = \(SwiftLiteral.doubleBlob(columns.map { scaler.means[$0] }))")
                tables.append("private static let scales\(index) = \(SwiftLiteral.doubleBlob(columns.map { scaler.scales[$0] }))")
                body.append("Self.scale(&x, columns: Self.scaled\(index), means: Self.means\(index), scales: Self.scales\(index))")
            }
        }
        body.append("return x")
        return tables.map { "    " + $0 }.joined(separator: "\n") + (tables.isEmpty ? "" : "\n\n")
            + "    /// The \(featureCount) features of one row, as MLForge's fitted preprocessing makes them.\n"
            + "    private static func \(functionName)(_ row: [String: String]) throws -> [Double] {\n"
            + body.map { "        " + $0 }.joined(separator: "\n") + "\n    }\n"
    }

    /// Text safe inside a line comment.
    static func comment(_ s: String) -> String {
        String(s.unicodeScalars.map { $0.value < 0x20 || $0 == "\u{2028}" || $0 == "\u{2029}" ? " " : Character($0) })
    }
}
