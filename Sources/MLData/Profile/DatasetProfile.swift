/// A summary of a table: its size, each column's type and quality, duplicate rows, and the task its target defines.
public struct DatasetProfile: Codable, Sendable, Equatable {
    public var rows: Int
    public var columnCount: Int
    public var duplicateRows: Int
    public var columns: [ColumnProfile]
    public var target: TargetProfile?

    /// Profiles `frame`; with a `target`, also decides the task (see `TaskInference`).
    /// Throws when the target is absent, entirely missing, or holds a single class.
    public init(frame: DataFrame, target: String? = nil, task: TaskKind? = nil) throws {
        rows = frame.rowCount
        columnCount = frame.columnCount
        duplicateRows = DuplicateRows.count(in: frame)
        columns = frame.columns.map { ColumnProfile(column: $0) }
        if let target {
            let column = try frame.column(named: target)
            let decision = try TaskInference.decide(target: column, override: task)
            self.target = TargetProfile(column: column, decision: decision)
        }
    }
}

/// One column's profile.
public struct ColumnProfile: Codable, Sendable, Equatable {
    public var name: String
    public var type: ColumnType
    public var missing: Int
    public var missingShare: Double
    /// Distinct non-missing values.
    public var distinct: Int
    /// At most one distinct value (the column carries no information).
    public var isConstant: Bool
    /// Every non-missing value is different and the column is text: probably an identifier.
    public var looksLikeIdentifier: Bool
    public var numeric: NumericSummary?
    /// The most frequent levels of a categorical or boolean column, most frequent first (at most 5).
    public var topLevels: [LevelCount]?

    public struct NumericSummary: Codable, Sendable, Equatable {
        public var min: Double
        public var max: Double
        public var mean: Double
        public var std: Double
        public var wholeNumbers: Bool
    }

    public struct LevelCount: Codable, Sendable, Equatable {
        public var level: String
        public var count: Int
    }

    public init(column: Column) {
        name = column.name
        type = column.type
        let n = column.count
        missing = column.missingCount
        missingShare = n == 0 ? 0 : Double(missing) / Double(n)
        distinct = TaskInference.distinctCount(of: column).count
        isConstant = distinct <= 1
        looksLikeIdentifier = column.type == .categorical && distinct == n - missing && distinct > 20
        switch column.storage {
        case .double, .float:
            let values = (column.doubles ?? []).filter { !$0.isNaN }
            if !values.isEmpty {
                let mean = values.reduce(0, +) / Double(values.count)
                let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, values.count - 1))
                numeric = NumericSummary(
                    min: values.min()!, max: values.max()!, mean: mean, std: variance.squareRoot(),
                    wholeNumbers: values.allSatisfy { $0.isFinite && $0 == $0.rounded() })
            }
        case .categorical(let codes, let levels):
            var counts = [Int](repeating: 0, count: levels.count)
            for c in codes where c >= 0 { counts[Int(c)] += 1 }
            topLevels = Self.top(counts.enumerated().map { (levels[$0.offset], $0.element) })
        case .boolean(let v):
            topLevels = Self.top([("true", v.filter { $0 == 1 }.count), ("false", v.filter { $0 == 0 }.count)])
        case .missing:
            break
        }
    }

    private static func top(_ counts: [(String, Int)]) -> [LevelCount] {
        counts.filter { $0.1 > 0 }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            .prefix(5)
            .map { LevelCount(level: $0.0, count: $0.1) }
    }
}

/// The target column's profile: the task decision and, for classification, the class counts.
public struct TargetProfile: Codable, Sendable, Equatable {
    public var name: String
    public var decision: TaskDecision
    /// Rows whose target is missing (they cannot be used for training).
    public var missingRows: Int
    /// Class label and row count, sorted by label, for classification targets (and ambiguous ones).
    public var classes: [ColumnProfile.LevelCount]?

    init(column: Column, decision: TaskDecision) {
        name = column.name
        self.decision = decision
        missingRows = column.missingCount
        if decision.task != .regression {
            var counts: [String: Int] = [:]
            for i in 0..<column.count { if let t = column.text(i) { counts[t, default: 0] += 1 } }
            let numericOrder = column.type == .numeric
            classes = counts.sorted { a, b in
                numericOrder ? (Double(a.key) ?? 0) < (Double(b.key) ?? 0) : a.key < b.key
            }.map { ColumnProfile.LevelCount(level: $0.key, count: $0.value) }
        }
    }
}
