import Foundation
import MLData

/// The human-readable profile: a header, a table of columns, and the target's task.
enum ProfileReport {
    static func render(_ p: DatasetProfile, path: String, delimiter: UInt8) -> String {
        var out = "\(path): \(p.rows) rows × \(p.columnCount) columns, \(delimiterName(delimiter))-delimited\n"
        out += "duplicate rows: \(p.duplicateRows)\n\n"
        var rows: [[String]] = []
        for c in p.columns {
            rows.append([c.name, c.type.rawValue, percent(c.missingShare), String(c.distinct), summary(c)])
        }
        out += TextTable.render(header: ["column", "type", "missing", "distinct", "summary"], rows: rows)
        if let t = p.target {
            out += "\ntarget: \(t.name)\n"
            if let task = t.decision.task {
                out += "task: \(task.rawValue) (\(t.decision.reason))\n"
            } else {
                out += "task: not decided — \(t.decision.reason)\n"
            }
            if t.missingRows > 0 { out += "rows with no target value: \(t.missingRows) (not usable for training)\n" }
            if let classes = t.classes {
                let total = Double(classes.reduce(0) { $0 + $1.count })
                let shown = classes.prefix(20).map { "\($0.level) \($0.count) (\(percent(Double($0.count) / total)))" }
                out += "classes: " + shown.joined(separator: ", ") + (classes.count > 20 ? ", …" : "") + "\n"
            }
        }
        return out
    }

    static func summary(_ c: ColumnProfile) -> String {
        var notes: [String] = []
        if c.type == .missing { notes.append("every value is missing") }
        if c.isConstant && c.type != .missing { notes.append("constant") }
        if c.looksLikeIdentifier { notes.append("unique per row (an identifier?)") }
        if let n = c.numeric {
            notes.append("min \(short(n.min))  max \(short(n.max))  mean \(short(n.mean))  sd \(short(n.std))" + (n.wholeNumbers ? "  whole numbers" : ""))
        }
        if let top = c.topLevels, !top.isEmpty {
            notes.append("top: " + top.prefix(3).map { "\($0.level) (\($0.count))" }.joined(separator: ", "))
        }
        return notes.joined(separator: "; ")
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }

    static func short(_ x: Double) -> String {
        if x.isFinite && x == x.rounded() && abs(x) < 1e12 { return String(Int64(x)) }
        return String(format: "%.4g", x)
    }

    static func delimiterName(_ d: UInt8) -> String {
        switch d {
        case 0x2C: return "comma"
        case 0x3B: return "semicolon"
        case 0x09: return "tab"
        default: return "'\(Character(Unicode.Scalar(d)))'"
        }
    }
}

/// Plain aligned text tables.
enum TextTable {
    static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                i == cells.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        var out = line(header) + "\n"
        out += line(widths.map { String(repeating: "-", count: $0) }) + "\n"
        for r in rows { out += line(r) + "\n" }
        return out
    }
}
