/// Columns no model can learn from, found before any encoder is fitted: entirely missing, constant,
/// identifier-like text (nearly every value different: names, ticket numbers, free text), and copies of
/// an earlier column. `Preprocessor` leaves them out, and `Preprocessor.leftOut` says which and why.
public enum ColumnScreen {
    /// A text column whose present values are at least this share distinct is taken for an identifier:
    /// each value is seen about once, so nothing learnt from it carries to new rows. Hand-set (a column of
    /// names or ids is 100% distinct; the shared datasets' text features are at most 71%, titanic's ticket).
    public static let identifierShare = 0.95
    /// ... when it has more than this many present values (a short table's levels may all differ by chance).
    public static let identifierMinimumValues = 20

    /// Why `column` is left out, or nil to encode it. `keepConstant` keeps constant numbers (a signal's
    /// or an image's layout).
    static func reason(for column: Column, keepConstant: Bool) -> String? {
        let distinct = presentValues(column)
        if distinct == 0 { return "every value is missing" }
        let keep = keepConstant && (column.type == .numeric || column.type == .boolean)
        if distinct == 1 && column.missingCount == 0 && !keep { return "constant" }
        let present = column.count - column.missingCount
        if column.type == .categorical, present > identifierMinimumValues, Double(distinct) >= identifierShare * Double(present) {
            return distinct == present ? "every value is different (an identifier?)"
                                       : "almost every value is different: \(distinct) of \(present), an identifier?"
        }
        return nil
    }

    /// Distinct present values as far as `reason` needs them: for numbers, booleans and missing columns 0,
    /// 1 or 2 (two or more), in one pass without a sort; for text the count of levels used (from the codes).
    static func presentValues(_ column: Column) -> Int {
        func count<T: FloatingPoint>(_ v: [T]) -> Int {
            guard let first = v.firstIndex(where: { !$0.isNaN }) else { return 0 }
            let x = v[first]
            return v[first...].contains { !$0.isNaN && $0 != x } ? 2 : 1
        }
        switch column.storage {
        case .double(let v): return count(v)
        case .float(let v): return count(v)
        case .boolean(let v):
            guard let first = v.firstIndex(where: { $0 >= 0 }) else { return 0 }
            return v[first...].contains { $0 >= 0 && $0 != v[first] } ? 2 : 1
        case .missing: return 0
        case .categorical: return TaskInference.distinctCount(of: column).count
        }
    }

    /// For each column whose value in every row is the same as an earlier column's (same type; missing
    /// equals missing), the name of the first such column.
    public static func duplicates(in columns: [Column]) -> [String: String] {
        var seen: [Int: [Int]] = [:]  // fingerprint → indices of the first columns with it
        var out: [String: String] = [:]
        for (i, column) in columns.enumerated() {
            let key = fingerprint(column)
            if let original = seen[key, default: []].first(where: { columns[$0].storage == column.storage }) {
                out[column.name] = columns[original].name
            } else {
                seen[key, default: []].append(i)
            }
        }
        return out
    }

    /// Rows a fingerprint looks at: enough to tell apart nearly all columns that differ, few enough that
    /// screening 500 columns of 100,000 rows costs milliseconds (hashing every value took 1.2 s there);
    /// columns whose fingerprints agree are then compared value by value.
    static let fingerprintRows = 256

    /// A hash of the column's type, length and values at `fingerprintRows` evenly spaced rows (NaN hashed
    /// as one value, -0 as 0), equal for columns `==` calls equal.
    package static func fingerprint(_ column: Column) -> Int {
        var h = Hasher()
        let n = column.count
        h.combine(n)
        let step = max(1, n / fingerprintRows)
        let rows = stride(from: 0, to: n, by: step)
        switch column.storage {
        case .double(let v):
            h.combine(0)
            for r in rows { let x = v[r]; h.combine(x.isNaN ? Double.nan.bitPattern : x == 0 ? 0 : x.bitPattern) }
        case .float(let v):
            h.combine(1)
            for r in rows { let x = v[r]; h.combine(x.isNaN ? Float.nan.bitPattern : x == 0 ? 0 : x.bitPattern) }
        case .categorical(let codes, let levels):
            h.combine(2)
            h.combine(levels.count)
            for r in rows { h.combine(codes[r]) }
        case .boolean(let v):
            h.combine(3)
            for r in rows { h.combine(v[r]) }
        case .missing:
            h.combine(4)
        }
        return h.finalize()
    }
}
