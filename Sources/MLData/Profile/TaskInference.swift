/// The kind of supervised task a target column defines.
public enum TaskKind: String, Codable, Sendable, CaseIterable {
    case binary, multiclass, regression

    public var isClassification: Bool { self != .regression }
}

/// What the target column says about the task, and why.
public struct TaskDecision: Codable, Sendable, Equatable {
    /// The task, or nil when the data cannot decide it and the user must choose (`needsChoice`).
    public var task: TaskKind?
    /// The rule that decided (or could not decide), in words.
    public var reason: String
    /// Distinct non-missing values of the target.
    public var distinctValues: Int
    /// True when the rule took a reading the data allows but does not prove (whole numbers taken as
    /// classes): the caller says so, with how to override it.
    public var isAssumption: Bool = false

    public init(task: TaskKind?, reason: String, distinctValues: Int, isAssumption: Bool = false) {
        self.task = task
        self.reason = reason
        self.distinctValues = distinctValues
        self.isAssumption = isAssumption
    }

    public var needsChoice: Bool { task == nil }
}

/// Infers the task from a target column with a stated rule, and checks an explicit choice against the data.
///
/// Rules, in order:
/// 1. A categorical or boolean target is classification: binary with two classes, multiclass with more.
/// 2. A numeric target with any fractional value is regression.
/// 3. A numeric target of whole numbers with two distinct values is binary.
/// 4. Whole numbers with 3 to `maxWholeNumberClasses` distinct values and at least `minRowsPerWholeNumberClass`
///    rows per value on average are taken as classes (multiclass), an assumption the caller reports with its
///    override (`--task regression`). Measured on ../shared/corpus: its 8 whole-number multiclass targets
///    have 3 to 15 values, its 16 whole-number regression targets 37 or more; AutoGluon and LightGBM also
///    read such targets as classes.
/// 5. With fewer rows per value the table cannot decide: the caller must choose (`--task multiclass` or
///    `--task regression`).
/// 6. Whole numbers with more distinct values are regression.
/// A target with no values, or a single distinct value, is an error.
public enum TaskInference {
    /// The most distinct whole numbers a target may hold and still be taken as classes.
    public static let maxWholeNumberClasses = 20
    /// The fewest rows per distinct value, on average, for whole numbers to be taken as classes.
    public static let minRowsPerWholeNumberClass = 5

    public static func decide(target: Column, override: TaskKind? = nil) throws -> TaskDecision {
        let (d, first) = distinctCount(of: target)
        guard let first else { throw DataError.targetAllMissing(column: target.name) }
        if d == 1 { throw DataError.targetSingleClass(column: target.name, level: first) }

        switch target.type {
        case .categorical, .boolean:
            if let override {
                switch override {
                case .regression: throw DataError.targetNotNumeric(column: target.name)
                case .binary where d > 2:
                    throw DataError.invalidArgument("the task is set to binary but the target column '\(target.name)' has \(d) classes; use --task multiclass")
                default: return TaskDecision(task: override, reason: "set by the caller", distinctValues: d)
                }
            }
            return TaskDecision(task: d == 2 ? .binary : .multiclass,
                                reason: "the target holds text with \(d) distinct values: classification", distinctValues: d)
        case .numeric:
            let values = target.doubles ?? []
            let whole = values.allSatisfy { $0.isNaN || ($0.isFinite && $0 == $0.rounded()) }
            if let override {
                if override == .binary && d > 2 {
                    throw DataError.invalidArgument("the task is set to binary but the target column '\(target.name)' has \(d) distinct values; use --task multiclass or --task regression")
                }
                return TaskDecision(task: override, reason: "set by the caller", distinctValues: d)
            }
            if !whole {
                return TaskDecision(task: .regression, reason: "the target holds fractional numbers: regression", distinctValues: d)
            }
            if d == 2 {
                return TaskDecision(task: .binary, reason: "the target holds two distinct whole numbers: binary classification", distinctValues: d)
            }
            if d <= maxWholeNumberClasses {
                let rows = values.lazy.filter { !$0.isNaN }.count
                if rows >= minRowsPerWholeNumberClass * d {
                    return TaskDecision(task: .multiclass,
                                        reason: "the target holds \(d) distinct whole numbers over \(rows) rows: taken as \(d) classes (multiclass); if they are amounts, say --task regression",
                                        distinctValues: d, isAssumption: true)
                }
                return TaskDecision(task: nil, reason: "the target holds \(d) distinct whole numbers over only \(rows) rows: classes or amounts? choose with --task multiclass or --task regression", distinctValues: d)
            }
            return TaskDecision(task: .regression, reason: "the target holds \(d) distinct whole numbers (more than \(maxWholeNumberClasses)): regression", distinctValues: d)
        case .missing:
            throw DataError.targetAllMissing(column: target.name)
        }
    }

    /// How many distinct non-missing values a column holds, and the first of them in sorted order as text.
    public static func distinctCount(of column: Column) -> (count: Int, first: String?) {
        switch column.storage {
        case .categorical(let codes, let levels):
            var used = [Bool](repeating: false, count: levels.count)
            for c in codes where c >= 0 { used[Int(c)] = true }
            let present = levels.indices.filter { used[$0] }
            return (present.count, present.first.map { levels[$0] })
        case .boolean(let v):
            let hasFalse = v.contains(0), hasTrue = v.contains(1)
            return ((hasFalse ? 1 : 0) + (hasTrue ? 1 : 0), hasFalse ? "false" : (hasTrue ? "true" : nil))
        case .double, .float:
            var values = (column.doubles ?? []).filter { !$0.isNaN }
            values.sort()
            var count = 0
            for i in values.indices where i == 0 || values[i] != values[i - 1] { count += 1 }
            return (count, values.first.map(Column.format))
        case .missing:
            return (0, nil)
        }
    }
}
