/// Preprocessing fitted on training rows: a `Codable` value that turns any table with the same columns
/// into features, the same way every time. Levels unseen in training and values of the wrong type are
/// handled (and counted in the `TransformReport`), never a crash and never a silent shift of codes.
public struct FittedPreprocessor: Codable, Sendable, Equatable {
    public var steps: [ColumnStep]
    public var scaler: StandardScaler?

    /// The names of the output features, in order.
    public var featureNames: [String] { steps.flatMap(names(of:)) }

    /// The input columns the features are made from (dropped columns excluded).
    public var usedColumns: [String] {
        steps.filter { if case .dropped = $0.encoding { return false } else { return true } }.map(\.name)
    }

    /// Transforms `frame`; extra columns are ignored, a missing used column is an error.
    public func transform(_ frame: DataFrame) throws -> (features: FeatureMatrix, report: TransformReport) {
        var (m, report) = try unscaled(frame)
        scaler?.apply(to: &m)
        return (m, report)
    }

    /// Features before standardisation.
    func unscaled(_ frame: DataFrame) throws -> (FeatureMatrix, TransformReport) {
        let names = featureNames
        let n = frame.rowCount
        var m = FeatureMatrix(rows: n, columns: names.count, values: [Double](repeating: 0, count: n * names.count), names: names)
        var report = TransformReport()
        m.categoricalGroups = categoricalGroups
        m.categoryCodeFeatures = categoryCodeFeatures
        var offset = 0
        for step in steps {
            if case .dropped = step.encoding { continue }
            guard let column = frame[step.name] else {
                throw DataError.schemaMismatch("the column '\(step.name)' that the model uses is not in the data; the data's columns are: \(DataError.list(frame.columnNames))")
            }
            var missing: Int { column.missingCount }
            switch step.encoding {
            case .numeric(let imputer):
                let (values, invalid) = column.numericView()
                if invalid > 0 { report.invalidValues[step.name] = invalid }
                var gaps = 0
                let width = m.columns
                m.values.withUnsafeMutableBufferPointer { out in
                    for r in 0..<n {
                        let x = values.isEmpty ? Double.nan : values[r]
                        if x.isNaN { gaps += 1 }
                        out[r * width + offset] = imputer.apply(x)
                        if imputer.addIndicator { out[r * width + offset + 1] = x.isNaN ? 1 : 0 }
                    }
                }
                if gaps > 0 { report.imputed[step.name] = gaps }
                offset += 1 + (imputer.addIndicator ? 1 : 0)
            case .oneHot(let enc):
                let view = column.categoricalView()
                let (hot, unknown) = enc.hotIndices(codes: view.codes, levels: view.levels)
                for r in 0..<n {
                    if hot[r] >= 0 { m[r, offset + hot[r]] = 1 }
                    if enc.addIndicator { m[r, offset + enc.width] = view.codes[r] < 0 ? 1 : 0 }
                }
                note(&report, step.name, unknown: unknown, imputed: missing)
                offset += enc.width + (enc.addIndicator ? 1 : 0)
            case .ordinal(let enc):
                let view = column.categoricalView()
                let (values, unknown) = enc.encode(codes: view.codes, levels: view.levels)
                for r in 0..<n {
                    m[r, offset] = values[r]
                    if enc.addIndicator { m[r, offset + 1] = view.codes[r] < 0 ? 1 : 0 }
                }
                note(&report, step.name, unknown: unknown, imputed: missing)
                offset += 1 + (enc.addIndicator ? 1 : 0)
            case .categoryCode(let enc):
                let view = column.categoricalView()
                let (values, unknown) = enc.encode(codes: view.codes, levels: view.levels)
                for r in 0..<n { m[r, offset] = values[r] }
                note(&report, step.name, unknown: unknown, imputed: 0)
                offset += 1
            case .target(let enc):
                let view = column.categoricalView()
                let (values, unknown) = enc.encode(codes: view.codes, levels: view.levels)
                for r in 0..<n {
                    for w in 0..<enc.width { m[r, offset + w] = values[r * enc.width + w] }
                    if enc.addIndicator { m[r, offset + enc.width] = view.codes[r] < 0 ? 1 : 0 }
                }
                note(&report, step.name, unknown: unknown, imputed: missing)
                offset += enc.width + (enc.addIndicator ? 1 : 0)
            case .dropped:
                break
            }
        }
        return (m, report)
    }

    private func note(_ report: inout TransformReport, _ name: String, unknown: Int, imputed: Int) {
        if unknown > 0 { report.unknownLevels[name] = unknown }
        if imputed > 0 { report.imputed[name] = imputed }
    }

    /// Output features of one step.
    func names(of step: ColumnStep) -> [String] {
        switch step.encoding {
        case .numeric(let imp):
            return [step.name] + (imp.addIndicator ? ["\(step.name)(missing)"] : [])
        case .oneHot(let enc):
            return enc.featureNames(column: step.name) + (enc.addIndicator ? ["\(step.name)(missing)"] : [])
        case .ordinal(let enc):
            return [step.name] + (enc.addIndicator ? ["\(step.name)(missing)"] : [])
        case .categoryCode:
            return [step.name]
        case .target(let enc):
            let base = enc.width == 1 ? [step.name] : (0..<enc.width).map { "\(step.name)(class \($0))" }
            return base + (enc.addIndicator ? ["\(step.name)(missing)"] : [])
        case .dropped:
            return []
        }
    }

    func width(of step: ColumnStep) -> Int { names(of: step).count }

    /// The feature ranges of the one-hot encoded columns (levels only).
    public var categoricalGroups: [Range<Int>] {
        var groups: [Range<Int>] = []
        var offset = 0
        for step in steps {
            if case .oneHot(let enc) = step.encoding, enc.width > 0 { groups.append(offset..<(offset + enc.width)) }
            offset += width(of: step)
        }
        return groups
    }

    /// The features holding category codes (`CategoryCodeEncoder`).
    public var categoryCodeFeatures: [Int] {
        var features: [Int] = []
        var offset = 0
        for step in steps {
            if case .categoryCode = step.encoding { features.append(offset) }
            offset += width(of: step)
        }
        return features
    }

    /// Per feature: true for 0/1 features (one-hot levels and missing indicators), which are not scaled.
    var binaryFeatures: [Bool] {
        steps.flatMap { step -> [Bool] in
            switch step.encoding {
            case .numeric(let imp): return [false] + (imp.addIndicator ? [true] : [])
            case .oneHot(let enc): return [Bool](repeating: true, count: enc.width + (enc.addIndicator ? 1 : 0))
            case .ordinal(let enc): return [false] + (enc.addIndicator ? [true] : [])
            case .categoryCode: return [true]  // codes, never scaled
            case .target(let enc): return [Bool](repeating: false, count: enc.width) + (enc.addIndicator ? [true] : [])
            case .dropped: return []
            }
        }
    }
}
