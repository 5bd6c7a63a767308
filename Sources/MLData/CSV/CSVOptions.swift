/// How to read a CSV file.
public struct CSVOptions: Sendable, Equatable {
    /// The field delimiter; nil detects it from the first lines (comma, semicolon or tab).
    public var delimiter: UInt8?
    /// Field texts that mean "no value", compared without regard to case after trimming spaces.
    public var missingTokens: [String]
    /// Per-column type overrides by column name; other columns are inferred.
    public var columnTypes: [String: ColumnType]
    /// Store numeric columns as `Float` instead of `Double`.
    public var numericPrecision: NumericPrecision
    /// What to do with a value that is not a number in a column declared numeric.
    public var invalidNumbers: InvalidValuePolicy
    /// The longest record allowed, in bytes (protects against files that are not line-oriented tables).
    public var maxRecordBytes: Int
    /// The most columns allowed.
    public var maxColumns: Int
    /// Size of the read buffer (records can be longer; it grows up to `maxRecordBytes`).
    public var chunkBytes: Int
    /// Parse columns on all cores (false: on the calling thread only, e.g. when other work holds the cores).
    public var parallel: Bool

    public enum NumericPrecision: String, Sendable, Codable { case double, float }
    public enum InvalidValuePolicy: String, Sendable, Codable {
        /// Throw an error naming the line.
        case fail
        /// Treat the value as missing and count it in `CSVReadReport.invalidValues`.
        case treatAsMissing
    }

    public static let defaultMissingTokens = ["", "NA", "N/A", "NaN", "null", "None", "?"]

    public init(
        delimiter: UInt8? = nil,
        missingTokens: [String] = CSVOptions.defaultMissingTokens,
        columnTypes: [String: ColumnType] = [:],
        numericPrecision: NumericPrecision = .double,
        invalidNumbers: InvalidValuePolicy = .fail,
        maxRecordBytes: Int = 64 << 20,
        maxColumns: Int = 100_000,
        chunkBytes: Int = 4 << 20,
        parallel: Bool = true
    ) {
        self.delimiter = delimiter
        self.missingTokens = missingTokens
        self.columnTypes = columnTypes
        self.numericPrecision = numericPrecision
        self.invalidNumbers = invalidNumbers
        self.maxRecordBytes = maxRecordBytes
        self.maxColumns = maxColumns
        self.chunkBytes = chunkBytes
        self.parallel = parallel
    }
}

/// What the reader noticed on the way, besides the frame itself.
public struct CSVReadReport: Sendable, Equatable {
    /// The delimiter used (detected or given).
    public var delimiter: UInt8
    /// Blank lines that were skipped.
    public var blankLines: Int
    /// Per column, values that did not fit the declared type and were read as missing
    /// (only with `InvalidValuePolicy.treatAsMissing`).
    public var invalidValues: [String: Int]
}
