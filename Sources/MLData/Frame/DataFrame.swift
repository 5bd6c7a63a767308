/// A table of typed columns of equal length, in the order of the source file.
public struct DataFrame: Sendable, Equatable {
    public private(set) var columns: [Column]
    public let rowCount: Int

    /// Builds a frame; every column must have `rowCount` rows and names must be unique.
    public init(columns: [Column]) throws {
        let n = columns.first?.count ?? 0
        var seen: [String: Int] = [:]
        for (i, c) in columns.enumerated() {
            guard c.count == n else {
                throw DataError.schemaMismatch("column '\(c.name)' has \(c.count) rows but column '\(columns[0].name)' has \(n); every column needs the same number of rows")
            }
            guard !c.name.isEmpty else { throw DataError.emptyColumnName(index: i + 1) }
            if let first = seen[c.name] { throw DataError.duplicateColumnName(name: c.name, first: first + 1, second: i + 1) }
            seen[c.name] = i
        }
        self.columns = columns
        self.rowCount = n
    }

    public var columnCount: Int { columns.count }
    public var columnNames: [String] { columns.map(\.name) }

    /// The index of the column named `name`, or nil.
    public func index(of name: String) -> Int? { columns.firstIndex { $0.name == name } }

    /// The column named `name`; throws a message that lists the columns when there is none.
    public func column(named name: String) throws -> Column {
        guard let i = index(of: name) else { throw DataError.unknownColumn(name: name, available: columnNames) }
        return columns[i]
    }

    public subscript(name: String) -> Column? { index(of: name).map { columns[$0] } }

    /// The frame restricted to `rows`, in that order.
    public func selecting(rows: [Int]) -> DataFrame {
        DataFrame(unchecked: columns.map { $0.selecting(rows: rows) }, rowCount: rows.count)
    }

    /// The frame without the named columns (names that are absent are ignored).
    public func dropping(_ names: Set<String>) -> DataFrame {
        DataFrame(unchecked: columns.filter { !names.contains($0.name) }, rowCount: rowCount)
    }

    /// Replaces (or appends) a column of the same length.
    public mutating func setColumn(_ column: Column) throws {
        guard column.count == rowCount else {
            throw DataError.schemaMismatch("column '\(column.name)' has \(column.count) rows but the frame has \(rowCount)")
        }
        if let i = index(of: column.name) { columns[i] = column } else { columns.append(column) }
    }

    init(unchecked columns: [Column], rowCount: Int) {
        self.columns = columns
        self.rowCount = rowCount
    }
}
