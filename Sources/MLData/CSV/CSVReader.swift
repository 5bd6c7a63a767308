/// Reads CSV files into a typed `DataFrame`.
///
/// RFC 4180 quoting (delimiters, quotes and line breaks inside quoted fields), LF / CRLF / CR line ends,
/// a UTF-8 byte-order mark, a required header row, delimiter detection (comma, semicolon, tab) and
/// missing-value tokens. The file is read in chunks in one pass, so memory holds the columns and one
/// chunk, not the whole file; see `ColumnBuilder` for how each column's type is inferred.
public enum CSVReader {
    /// Reads the CSV file at `path`.
    public static func read(path: String, options: CSVOptions = CSVOptions()) throws -> DataFrame {
        try readWithReport(path: path, options: options).frame
    }

    /// Reads the CSV file at `path`, with what the reader noticed on the way.
    public static func readWithReport(path: String, options: CSVOptions = CSVOptions()) throws -> (frame: DataFrame, report: CSVReadReport) {
        let source = try FileByteSource(path: path)
        let parser = CSVParser(source: source, options: options)
        return try parser.run()
    }

    /// Reads the CSV file at `path` and computes the CRC-32 of its bytes on the way (one read of the file).
    public static func readWithChecksum(path: String, options: CSVOptions = CSVOptions()) throws -> (frame: DataFrame, crc32: UInt32) {
        let source = ChecksummingByteSource(try FileByteSource(path: path))
        let frame = try CSVParser(source: source, options: options).run().frame
        return (frame, try source.checksum())
    }

    /// Reads CSV text held in memory.
    public static func read(text: String, options: CSVOptions = CSVOptions()) throws -> DataFrame {
        try read(bytes: Array(text.utf8), options: options)
    }

    /// Reads CSV bytes held in memory.
    public static func read(bytes: [UInt8], options: CSVOptions = CSVOptions()) throws -> DataFrame {
        let parser = CSVParser(source: MemoryByteSource(bytes), options: options)
        return try parser.run().frame
    }

    /// Reads only the header row of the file at `path` and returns the column names.
    public static func columnNames(path: String, options: CSVOptions = CSVOptions()) throws -> [String] {
        let parser = CSVParser(source: try FileByteSource(path: path), options: options)
        return try parser.headerOnly()
    }
}
