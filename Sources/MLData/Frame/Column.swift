/// The logical type of a column.
public enum ColumnType: String, Codable, Sendable, CaseIterable {
    /// Numbers, stored as `Double` (or `Float` when asked); missing values are NaN.
    case numeric
    /// Text values, dictionary-encoded: a code per row into a sorted list of levels; missing is code -1.
    case categorical
    /// true / false; missing is -1.
    case boolean
    /// A column in which every value is missing.
    case missing
}

/// One typed column of a `DataFrame`.
public struct Column: Sendable, Equatable {
    /// Equality treats missing values as equal to each other (NaN == NaN here).
    public enum Storage: Sendable, Equatable {
        case double([Double])
        case float([Float])
        /// Codes index `levels` (sorted, unique); -1 is missing.
        case categorical(codes: [Int32], levels: [String])
        /// 1 true, 0 false, -1 missing.
        case boolean([Int8])
        case missing(count: Int)

        public static func == (a: Storage, b: Storage) -> Bool {
            switch (a, b) {
            case (.double(let x), .double(let y)): return sameValues(x, y)
            case (.float(let x), .float(let y)): return sameValues(x, y)
            case (.categorical(let c1, let l1), .categorical(let c2, let l2)): return c1 == c2 && l1 == l2
            case (.boolean(let x), .boolean(let y)): return x == y
            case (.missing(let m), .missing(let n)): return m == n
            default: return false
            }
        }

        private static func sameValues<T: FloatingPoint>(_ x: [T], _ y: [T]) -> Bool {
            x.count == y.count && zip(x, y).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
        }
    }

    public var name: String
    public var storage: Storage

    public init(name: String, storage: Storage) {
        self.name = name
        self.storage = storage
    }

    public var type: ColumnType {
        switch storage {
        case .double, .float: return .numeric
        case .categorical: return .categorical
        case .boolean: return .boolean
        case .missing: return .missing
        }
    }

    public var count: Int {
        switch storage {
        case .double(let v): return v.count
        case .float(let v): return v.count
        case .categorical(let codes, _): return codes.count
        case .boolean(let v): return v.count
        case .missing(let n): return n
        }
    }

    /// Whether row `i` holds no value.
    public func isMissing(_ i: Int) -> Bool {
        switch storage {
        case .double(let v): return v[i].isNaN
        case .float(let v): return v[i].isNaN
        case .categorical(let codes, _): return codes[i] < 0
        case .boolean(let v): return v[i] < 0
        case .missing: return true
        }
    }

    public var missingCount: Int {
        switch storage {
        case .double(let v): return v.reduce(0) { $0 + ($1.isNaN ? 1 : 0) }
        case .float(let v): return v.reduce(0) { $0 + ($1.isNaN ? 1 : 0) }
        case .categorical(let codes, _): return codes.reduce(0) { $0 + ($1 < 0 ? 1 : 0) }
        case .boolean(let v): return v.reduce(0) { $0 + ($1 < 0 ? 1 : 0) }
        case .missing(let n): return n
        }
    }

    /// The value of row `i` as a `Double` (NaN when missing or categorical); booleans read as 0 / 1.
    public func numericValue(_ i: Int) -> Double {
        switch storage {
        case .double(let v): return v[i]
        case .float(let v): return Double(v[i])
        case .boolean(let v): return v[i] < 0 ? .nan : Double(v[i])
        case .categorical, .missing: return .nan
        }
    }

    /// The numeric values as `Double`s (booleans as 0 / 1, missing as NaN); nil for categorical columns.
    public var doubles: [Double]? {
        switch storage {
        case .double(let v): return v
        case .float(let v): return v.map(Double.init)
        case .boolean(let v): return v.map { $0 < 0 ? .nan : Double($0) }
        case .missing(let n): return Array(repeating: .nan, count: n)
        case .categorical: return nil
        }
    }

    /// Row `i` as text, as it would be written back to a CSV (missing is nil).
    public func text(_ i: Int) -> String? {
        switch storage {
        case .double(let v): return v[i].isNaN ? nil : Self.format(v[i])
        case .float(let v): return v[i].isNaN ? nil : Self.format(Double(v[i]))
        case .categorical(let codes, let levels): return codes[i] < 0 ? nil : levels[Int(codes[i])]
        case .boolean(let v): return v[i] < 0 ? nil : (v[i] == 1 ? "true" : "false")
        case .missing: return nil
        }
    }

    /// Shortest text for a number: whole numbers print without a trailing ".0".
    public static func format(_ x: Double) -> String {
        if x.isFinite, x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return String(x)
    }

    /// The column restricted to `rows`, in that order (rows may repeat).
    public func selecting(rows: [Int]) -> Column {
        switch storage {
        case .double(let v): return Column(name: name, storage: .double(rows.map { v[$0] }))
        case .float(let v): return Column(name: name, storage: .float(rows.map { v[$0] }))
        case .categorical(let codes, let levels):
            return Column(name: name, storage: .categorical(codes: rows.map { codes[$0] }, levels: levels))
        case .boolean(let v): return Column(name: name, storage: .boolean(rows.map { v[$0] }))
        case .missing: return Column(name: name, storage: .missing(count: rows.count))
        }
    }
}
