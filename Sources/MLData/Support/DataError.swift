/// A problem with the user's data or request, with a message that says what is wrong and how to fix it.
///
/// Every case renders as one line (see `description`); the CLI prints it and exits non-zero.
public enum DataError: Error, Equatable, Sendable, CustomStringConvertible {
    case fileNotFound(path: String)
    case unreadable(path: String, reason: String)
    case isDirectory(path: String)
    case emptyFile
    case headerOnly(columns: Int)
    case binaryContent(offset: Int)
    case utf16Encoded
    case invalidUTF8(line: Int)
    case raggedRow(line: Int, fields: Int, expected: Int)
    case unterminatedQuote(line: Int)
    case textAfterClosingQuote(line: Int)
    case recordTooLong(line: Int, limitBytes: Int, insideQuotes: Bool)
    case tooManyColumns(count: Int, limit: Int)
    case emptyColumnName(index: Int)
    case duplicateColumnName(name: String, first: Int, second: Int)
    case unknownColumn(name: String, available: [String])
    case invalidNumber(column: String, line: Int, value: String)
    case invalidBoolean(column: String, line: Int, value: String)
    case targetAllMissing(column: String)
    case targetSingleClass(column: String, level: String)
    case targetNotNumeric(column: String)
    case taskNeedsChoice(column: String, distinct: Int)
    case invalidArgument(String)
    case metricUndefined(String)
    case schemaMismatch(String)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "file '\(path)' does not exist; check the path (relative paths start from the current directory)"
        case .unreadable(let path, let reason):
            return "cannot read '\(path)': \(reason); check its permissions"
        case .isDirectory(let path):
            return "'\(path)' is a directory; pass the path of a CSV file inside it"
        case .emptyFile:
            return "the file is empty; a CSV needs a header row naming the columns and at least one data row"
        case .headerOnly(let columns):
            return "the file has a header (\(columns) column\(columns == 1 ? "" : "s")) but no data rows; add at least one row of values"
        case .binaryContent(let offset):
            return "the file looks binary, not text (a NUL byte at byte \(offset)); pass a UTF-8 CSV file"
        case .utf16Encoded:
            return "the file is UTF-16 encoded; re-save it as UTF-8 (for example: iconv -f UTF-16 -t UTF-8 in.csv > out.csv)"
        case .invalidUTF8(let line):
            return "line \(line) is not valid UTF-8 text; re-save the file as UTF-8 (for example: iconv -f LATIN1 -t UTF-8 in.csv > out.csv)"
        case .raggedRow(let line, let fields, let expected):
            return "line \(line) has \(fields) field\(fields == 1 ? "" : "s") but the header has \(expected); quote values that contain the delimiter, or add the missing fields"
        case .unterminatedQuote(let line):
            return "the quoted field opened on line \(line) is never closed; add the closing quote (write a literal quote inside a quoted field as \"\")"
        case .textAfterClosingQuote(let line):
            return "line \(line) has text right after a closing quote; a quoted field must end at a delimiter or line end (write a literal quote inside it as \"\")"
        case .recordTooLong(let line, let limit, let insideQuotes):
            let mib = limit / (1 << 20)
            if insideQuotes {
                return "the quoted field opened on line \(line) runs on for more than \(mib) MiB; a closing quote is probably missing"
            }
            return "line \(line) is longer than \(mib) MiB; this does not look like a table with one row per line (check the line endings), or raise the record limit"
        case .tooManyColumns(let count, let limit):
            return "the header has \(count) columns, more than the limit of \(limit); check the delimiter, or raise the column limit"
        case .emptyColumnName(let index):
            return "column \(index) has an empty name in the header; give every column a name (a leading unnamed column is often a saved row index: drop it)"
        case .duplicateColumnName(let name, let first, let second):
            return "columns \(first) and \(second) are both named '\(name)'; give every column a unique name"
        case .unknownColumn(let name, let available):
            return "there is no column named '\(name)'; the columns are: \(Self.list(available))"
        case .invalidNumber(let column, let line, let value):
            return "column '\(column)' is declared numeric but line \(line) holds '\(Self.clip(value))'; fix the value or declare the column categorical"
        case .invalidBoolean(let column, let line, let value):
            return "column '\(column)' is declared boolean but line \(line) holds '\(Self.clip(value))'; use true/false, or declare the column categorical"
        case .targetAllMissing(let column):
            return "the target column '\(column)' has no values (every row is missing); choose a column that holds the values to predict"
        case .targetSingleClass(let column, let level):
            return "the target column '\(column)' holds a single class ('\(Self.clip(level))'); a classifier needs at least two classes"
        case .targetNotNumeric(let column):
            return "the target column '\(column)' is not numeric, so it cannot be a regression target; use a classification task"
        case .taskNeedsChoice(let column, let distinct):
            return "the target column '\(column)' holds \(distinct) distinct whole numbers: pass --task multiclass if they are classes, or --task regression if they are amounts"
        case .invalidArgument(let message):
            return message
        case .metricUndefined(let message):
            return message
        case .schemaMismatch(let message):
            return message
        }
    }

    static func clip(_ s: String, limit: Int = 60) -> String {
        s.count <= limit ? s : String(s.prefix(limit)) + "…"
    }

    public static func list(_ names: [String], limit: Int = 30) -> String {
        let shown = names.prefix(limit).map { "'\(clip($0, limit: 40))'" }.joined(separator: ", ")
        return names.count > limit ? shown + ", … (\(names.count) in all)" : shown
    }
}
