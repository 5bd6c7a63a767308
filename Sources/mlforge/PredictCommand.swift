import ArgumentParser
import AutoML
import Foundation
import MLData

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict every row of a CSV file with a saved model; write a CSV with one prediction per row."
    )

    @Argument(help: "The model folder written by `mlforge fit`.")
    var model: String

    @Argument(help: "The CSV file to predict (the target column, if present, is ignored).")
    var data: String

    @Option(help: "Where to write the predictions (default: standard output).")
    var out: String?

    @Flag(help: "Also write one probability column per class, named p_<label>.")
    var proba = false

    func run() throws {
        try reportingErrors {
            let m = try AutoMLModel.load(from: URL(fileURLWithPath: model))
            let frame = try m.readTable(path: data)
            let p = try m.predict(frame)
            var header = [m.targetName]
            if proba { header += m.classes.map { "p_\($0)" } }
            var text = header.map(CSVText.field).joined(separator: ",") + "\n"
            switch p {
            case .values(let v):
                for x in v { text += CSVText.field(Column.format(x)) + "\n" }
            case .probabilities(let q, let k):
                let labels = p.classes ?? []
                for r in 0..<labels.count {
                    var row = [CSVText.field(m.classes[labels[r]])]
                    if proba { row += (0..<k).map { String(q[r * k + $0]) } }
                    text += row.joined(separator: ",") + "\n"
                }
            }
            if let out {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            } else {
                Terminal.write(text)
            }
        }
    }
}

enum CSVText {
    /// A CSV field, quoted when it holds a delimiter, a quote or a line break.
    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || s.hasPrefix(" ") || s.hasSuffix(" ") else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate", abstract: "Score a saved model on a labelled CSV file.")

    @Argument(help: "The model folder written by `mlforge fit`.")
    var model: String

    @Argument(help: "A CSV file with the target column.")
    var data: String

    @Flag(help: "Print the scores as JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            let m = try AutoMLModel.load(from: URL(fileURLWithPath: model))
            let frame = try m.readTable(path: data)
            let scores = try m.evaluate(frame)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                Terminal.write(String(decoding: try encoder.encode(scores), as: UTF8.self) + "\n")
            } else {
                for key in scores.keys.sorted() where key != "rows" {
                    Terminal.write(key.padding(toLength: 9, withPad: " ", startingAt: 0) + String(format: " %.4f\n", scores[key] ?? .nan))
                }
                Terminal.write("rows      \(Int(scores["rows"] ?? 0))\n")
            }
        }
    }
}

struct LeaderboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leaderboard", abstract: "Show the trials of a saved model's search, best first.")

    @Argument(help: "The model folder written by `mlforge fit`.")
    var model: String

    @Option(help: "How many trials to show.")
    var limit: Int = 20

    func run() throws {
        try reportingErrors {
            let m = try AutoMLModel.load(from: URL(fileURLWithPath: model))
            Terminal.write(m.leaderboard.table(limit: limit))
        }
    }
}
