extension DataFrame {
    /// This frame's rows followed by `other`'s: the same column names in the same order, each column of
    /// the same type in both (a column missing throughout takes the other's type; numbers stored as
    /// `Float` in one and `Double` in the other become `Double`; categories keep their text, their
    /// levels merged and sorted).
    public func appending(_ other: DataFrame) throws -> DataFrame {
        guard columnNames == other.columnNames else {
            throw DataError.schemaMismatch("the frames to join have different columns (\(DataError.list(columnNames)) against \(DataError.list(other.columnNames)))")
        }
        let joined = try zip(columns, other.columns).map { try Column.appending($0, $1) }
        return DataFrame(unchecked: joined, rowCount: rowCount + other.rowCount)
    }
}

extension Column {
    /// `a`'s values followed by `b`'s (see `DataFrame.appending`).
    static func appending(_ a: Column, _ b: Column) throws -> Column {
        func column(_ storage: Storage) -> Column { Column(name: a.name, storage: storage) }
        switch (a.storage, b.storage) {
        case (.missing(let m), .missing(let n)): return column(.missing(count: m + n))
        case (.missing(let m), _): return try appending(column(b.storage.missingLike(count: m)), b)
        case (_, .missing(let n)): return try appending(a, column(a.storage.missingLike(count: n)))
        case (.double(let x), .double(let y)): return column(.double(x + y))
        case (.float(let x), .float(let y)): return column(.float(x + y))
        case (.double, .float), (.float, .double): return column(.double((a.doubles ?? []) + (b.doubles ?? [])))
        case (.boolean(let x), .boolean(let y)): return column(.boolean(x + y))
        case (.categorical(let c1, let l1), .categorical(let c2, let l2)):
            if l1 == l2 { return column(.categorical(codes: c1 + c2, levels: l1)) }
            let levels = Array(Set(l1).union(l2)).sorted()
            let index = Dictionary(uniqueKeysWithValues: levels.enumerated().map { ($1, Int32($0)) })
            let map1 = l1.map { index[$0]! }, map2 = l2.map { index[$0]! }
            return column(.categorical(codes: c1.map { $0 < 0 ? -1 : map1[Int($0)] } + c2.map { $0 < 0 ? -1 : map2[Int($0)] },
                                       levels: levels))
        default:
            throw DataError.schemaMismatch("column '\(a.name)' is \(a.type) in one frame and \(b.type) in the other; give it the same type in both files")
        }
    }
}

extension Column.Storage {
    /// `count` missing values stored the way this storage stores values (levels kept).
    public func missingLike(count: Int) -> Column.Storage {
        switch self {
        case .double: return .double(Array(repeating: .nan, count: count))
        case .float: return .float(Array(repeating: .nan, count: count))
        case .categorical(_, let levels): return .categorical(codes: Array(repeating: -1, count: count), levels: levels)
        case .boolean: return .boolean(Array(repeating: -1, count: count))
        case .missing: return .missing(count: count)
        }
    }
}
