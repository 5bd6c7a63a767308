import AutoML
import Foundation
import MLData

/// A predict request's rows as a table typed like the model's training data: JSON records
/// (`{"rows": [{column: value, …}, …]}`) or a CSV body with a header. Every problem is a
/// `RequestProblem` that names the row and column.
enum PredictInput {
    /// The columns a request must give: those the model reads, and the sensitive column of a model
    /// fitted with `--fairness` (it decides by its groups).
    static func required(_ model: AutoMLModel) -> Set<String> {
        var out = Set(model.usedColumns)
        if let c = model.fairness?.constraint.column { out.insert(c) }
        return out
    }

    /// The rows of a JSON body.
    static func json(_ bytes: [UInt8], model: AutoMLModel) throws(RequestProblem) -> DataFrame {
        let body: JSONValue
        do { body = try JSONDecoder().decode(JSONValue.self, from: Data(bytes)) } catch {
            throw RequestProblem("the body is not valid JSON (\(Self.reason(error))); send {\"rows\": [{\"column\": value, …}]}")
        }
        guard case .object(let top) = body else { throw RequestProblem("the body must be a JSON object {\"rows\": [...]}; got \(body.described)") }
        if let extra = top.keys.sorted().first(where: { $0 != "rows" }) {
            throw RequestProblem("unknown field '\(extra)' at the top level; the body holds only \"rows\"")
        }
        guard let rowsValue = top["rows"] else { throw RequestProblem("the body has no \"rows\"; send {\"rows\": [{\"column\": value, …}]}") }
        guard case .array(let rows) = rowsValue else { throw RequestProblem("\"rows\" must be an array of objects; got \(rowsValue.described)") }
        guard !rows.isEmpty else { throw RequestProblem("\"rows\" is empty; send at least one row") }
        let known = Set(model.schema.map(\.name)).union([model.targetName])
        let required = required(model)
        var records: [[String: JSONValue]] = []
        records.reserveCapacity(rows.count)
        for (i, row) in rows.enumerated() {
            guard case .object(let fields) = row else { throw RequestProblem("row \(i) must be an object of column: value; got \(row.described)") }
            if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
                throw RequestProblem("row \(i): unknown field '\(unknown)'; the model's columns are \(DataError.list(model.schema.map(\.name)))")
            }
            if let missing = required.sorted().first(where: { fields[$0] == nil }) {
                throw RequestProblem("row \(i) lacks the column '\(missing)'; give null for a missing value")
            }
            records.append(fields)
        }
        var columns: [Column] = []
        for input in model.schema {
            let values = records.map { $0[input.name] ?? .null }
            columns.append(try column(input.name, type: input.type, values))
        }
        do { return try DataFrame(columns: columns) } catch {
            throw RequestProblem("the rows do not form a table: \(error)")
        }
    }

    /// One typed column from the rows' values.
    static func column(_ name: String, type: ColumnType, _ values: [JSONValue]) throws(RequestProblem) -> Column {
        func wrong(_ row: Int, _ v: JSONValue, _ expected: String) -> RequestProblem {
            RequestProblem("row \(row): '\(name)' must be \(expected) or null; got \(v.described)")
        }
        switch type {
        case .numeric:
            var out = [Double](repeating: .nan, count: values.count)
            for (i, v) in values.enumerated() {
                switch v {
                case .null: break
                case .number(let d): out[i] = d
                default: throw wrong(i, v, "a number")
                }
            }
            return Column(name: name, storage: .double(out))
        case .categorical:
            var text = [String?](repeating: nil, count: values.count)
            for (i, v) in values.enumerated() {
                switch v {
                case .null: break
                case .string(let s): text[i] = s
                case .number(let d): text[i] = Column.format(d)
                case .bool(let b): text[i] = b ? "true" : "false"
                default: throw wrong(i, v, "a string")
                }
            }
            let levels = Array(Set(text.compactMap { $0 })).sorted()
            let index = Dictionary(uniqueKeysWithValues: levels.enumerated().map { ($1, Int32($0)) })
            return Column(name: name, storage: .categorical(codes: text.map { $0.map { index[$0]! } ?? -1 }, levels: levels))
        case .boolean:
            var out = [Int8](repeating: -1, count: values.count)
            for (i, v) in values.enumerated() {
                switch v {
                case .null: break
                case .bool(let b): out[i] = b ? 1 : 0
                default: throw wrong(i, v, "true, false")
                }
            }
            return Column(name: name, storage: .boolean(out))
        case .missing:
            return Column(name: name, storage: .missing(count: values.count))
        }
    }

    /// The rows of a CSV body (a header, then one line per row), typed as at training time.
    static func csv(_ bytes: [UInt8], model: AutoMLModel) throws(RequestProblem) -> DataFrame {
        let header: DataFrame
        do { header = try CSVReader.read(bytes: bytes) } catch {
            throw RequestProblem("the CSV body cannot be read: \(Self.reason(error))")
        }
        guard header.rowCount > 0 else { throw RequestProblem("the CSV body has a header but no rows") }
        let known = Set(model.schema.map(\.name)).union([model.targetName])
        if let unknown = header.columnNames.first(where: { !known.contains($0) }) {
            throw RequestProblem("unknown column '\(unknown)' in the CSV header; the model's columns are \(DataError.list(model.schema.map(\.name)))")
        }
        if let missing = required(model).sorted().first(where: { header[$0] == nil }) {
            throw RequestProblem("the CSV body lacks the column '\(missing)'; leave its values empty for missing ones")
        }
        var options = CSVOptions()
        options.parallel = false
        for c in model.schema where c.type != .missing && header[c.name] != nil { options.columnTypes[c.name] = c.type }
        do { return try CSVReader.read(bytes: bytes, options: options) } catch {
            throw RequestProblem("the CSV body cannot be read with the model's column types: \(Self.reason(error))")
        }
    }

    /// An error's message without Foundation's wrapping.
    static func reason(_ error: any Error) -> String {
        if let e = error as? DecodingError {
            switch e {
            case .dataCorrupted(let c): return c.debugDescription
            default: return "\(e)"
            }
        }
        return "\(error)"
    }
}
