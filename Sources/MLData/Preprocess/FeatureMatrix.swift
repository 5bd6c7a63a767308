/// A dense, row-major matrix of model inputs, with a name per feature.
public struct FeatureMatrix: Sendable, Equatable {
    public var rows: Int
    public var columns: Int
    /// `values[r * columns + c]`.
    public var values: [Double]
    public var names: [String]
    /// Ranges of features that one-hot encode one categorical column (its levels, not its missing
    /// indicator); a model may treat each as one categorical input (an embedding, say).
    public var categoricalGroups: [Range<Int>] = []
    /// Features holding a categorical column's level codes (0, 1, 2, …; NaN when missing), for models
    /// that split on categories natively.
    public var categoryCodeFeatures: [Int] = []

    public init(rows: Int, columns: Int, values: [Double], names: [String]) {
        precondition(values.count == rows * columns, "FeatureMatrix needs rows × columns values")
        precondition(names.count == columns, "FeatureMatrix needs one name per column")
        self.rows = rows
        self.columns = columns
        self.values = values
        self.names = names
    }

    public subscript(row: Int, column: Int) -> Double {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    /// Feature `c` of every row.
    public func column(_ c: Int) -> [Double] { (0..<rows).map { values[$0 * columns + c] } }

    /// The given rows, in the given order (feature names and groups kept).
    public func selecting(rows picked: [Int]) -> FeatureMatrix {
        var out = [Double]()
        out.reserveCapacity(picked.count * columns)
        for r in picked {
            precondition(r >= 0 && r < rows, "FeatureMatrix.selecting: row \(r) is out of range 0..<\(rows)")
            out.append(contentsOf: values[(r * columns)..<((r + 1) * columns)])
        }
        var m = FeatureMatrix(rows: picked.count, columns: columns, values: out, names: names)
        m.categoricalGroups = categoricalGroups
        m.categoryCodeFeatures = categoryCodeFeatures
        return m
    }
}

/// The values a model learns to predict, for the steps that use them (target encoding, stratified splits).
public enum TargetValues: Sendable, Equatable {
    /// Class index per row in `0..<classCount` (-1 when missing).
    case classes([Int], classCount: Int)
    /// A number per row (NaN when missing).
    case values([Double])

    public var count: Int {
        switch self {
        case .classes(let c, _): return c.count
        case .values(let v): return v.count
        }
    }

    public func selecting(rows: [Int]) -> TargetValues {
        switch self {
        case .classes(let c, let k): return .classes(rows.map { c[$0] }, classCount: k)
        case .values(let v): return .values(rows.map { v[$0] })
        }
    }
}

/// What a transform had to handle besides plain values.
public struct TransformReport: Sendable, Equatable, Codable {
    /// Per column: values of categories not seen when fitting (mapped to the "unknown" level).
    public var unknownLevels: [String: Int] = [:]
    /// Per column: missing values filled by imputation.
    public var imputed: [String: Int] = [:]
    /// Per column: values that did not fit the column's fitted type (read as missing).
    public var invalidValues: [String: Int] = [:]

    public init() {}

    public var totalUnknown: Int { unknownLevels.values.reduce(0, +) }
}

extension Column {
    /// The column as codes into a list of text levels (numbers and booleans as their text), -1 for missing.
    public func categoricalView() -> (codes: [Int32], levels: [String]) {
        switch storage {
        case .categorical(let codes, let levels): return (codes, levels)
        case .boolean(let v): return (v.map { Int32($0) }, ["false", "true"])
        case .missing(let n): return ([Int32](repeating: -1, count: n), [])
        case .double, .float:
            var index: [Double: Int32] = [:]
            var levels: [String] = []
            let codes = (doubles ?? []).map { x -> Int32 in
                if x.isNaN { return -1 }
                if let c = index[x] { return c }
                let c = Int32(levels.count)
                index[x] = c
                levels.append(Column.format(x))
                return c
            }
            return (codes, levels)
        }
    }

    /// The column as numbers (booleans 0 / 1); a categorical column's levels are parsed as numbers, and
    /// the count of non-missing values that are not numbers is returned beside.
    public func numericView() -> (values: [Double], invalid: Int) {
        if let d = doubles { return (d, 0) }
        guard case .categorical(let codes, let levels) = storage else { return ([], 0) }
        let parsed = levels.map { Double($0.trimmingSpaces()) }
        var invalid = 0
        let values = codes.map { c -> Double in
            if c < 0 { return .nan }
            if let v = parsed[Int(c)] { return v }
            invalid += 1
            return .nan
        }
        return (values, invalid)
    }
}
