import ArgumentParser
import Foundation
import AutoML
import MLData

struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Summarise a CSV file: column types, missing values, duplicates, and the task its target defines."
    )

    @Argument(help: "The CSV file to profile.")
    var data: String

    @Option(help: "The column to predict; the profile then says which task it defines.")
    var target: String?

    @Option(help: "The task, when the target alone cannot decide it: binary, multiclass or regression.")
    var task: TaskKind?

    @Option(help: "Field delimiter: ',', ';', 'tab' (default: detected).")
    var delimiter: String?

    @Option(name: .customLong("column-type"), help: ArgumentHelp(
        "Override a column's inferred type: NAME=numeric|categorical|boolean (repeatable).", valueName: "NAME=TYPE"))
    var columnTypes: [String] = []

    @Flag(help: "Print the profile as JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            var options = CSVOptions()
            options.delimiter = try delimiter.map(DelimiterArgument.parse)
            options.columnTypes = try ColumnTypeArgument.parse(columnTypes)
            let (frame, report) = try CSVReader.readWithReport(path: data, options: options)
            let profile = try DatasetProfile(frame: frame, target: target, task: task)
            if json {
                Terminal.write(String(decoding: try ArtifactJSON.encoder().encode(profile), as: UTF8.self) + "\n")
            } else {
                Terminal.write(ProfileReport.render(profile, path: data, delimiter: report.delimiter))
            }
        }
    }
}

extension TaskKind: ExpressibleByArgument {}

enum DelimiterArgument {
    static func parse(_ text: String) throws -> UInt8 {
        switch text {
        case "tab", "\\t", "\t": return 0x09
        case ",", "comma": return 0x2C
        case ";", "semicolon": return 0x3B
        case "|", "pipe": return 0x7C
        default:
            throw DataError.invalidArgument("unsupported delimiter '\(text)'; use ',', ';', 'tab' or '|'")
        }
    }
}

enum ColumnTypeArgument {
    static func parse(_ items: [String]) throws -> [String: ColumnType] {
        var types: [String: ColumnType] = [:]
        for item in items {
            guard let eq = item.lastIndex(of: "="),
                  let type = ColumnType(rawValue: String(item[item.index(after: eq)...]).lowercased()),
                  type != .missing, eq != item.startIndex
            else {
                throw DataError.invalidArgument("--column-type takes NAME=TYPE with TYPE numeric, categorical or boolean; got '\(item)'")
            }
            types[String(item[..<eq])] = type
        }
        return types
    }
}
