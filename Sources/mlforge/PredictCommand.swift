import ArgumentParser
import AutoML
import Transparency
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
                let labels = try m.decisions(p, frame: frame) ?? []
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

    @Option(help: "A column whose groups are compared: per-group metrics, selection rate, true- and false-positive rates, and the demographic-parity and equalized-odds differences.")
    var sensitive: String?

    func run() throws {
        try reportingErrors {
            let m = try AutoMLModel.load(from: URL(fileURLWithPath: model))
            let frame = try m.readTable(path: data)
            let scores = try m.evaluate(frame)
            let groups = try sensitive.flatMap { try OutcomeFigures.measure(m, on: frame, sensitive: $0).figures.groups }
            if json {
                var object: [String: Any] = scores
                if let groups { object["groups"] = try JSONSerialization.jsonObject(with: ArtifactJSON.encoder().encode(groups)) }
                let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
                Terminal.write(String(decoding: data, as: UTF8.self) + "\n")
            } else {
                for key in scores.keys.sorted() where key != "rows" {
                    Terminal.write(key.padding(toLength: 9, withPad: " ", startingAt: 0) + String(format: " %.4f\n", scores[key] ?? .nan))
                }
                Terminal.write("rows      \(Int(scores["rows"] ?? 0))\n")
                if let groups { Terminal.write(Self.table(groups)) }
            }
        }
    }

    /// The groups as a plain-text table, then the two differences.
    static func table(_ g: GroupFigures) -> String {
        let keys = Array(Set(g.groups.flatMap { $0.metrics.keys })).sorted()
        let header = ["\(g.column)", "rows"] + keys
        let rows = g.groups.map { group in [group.group, "\(group.count)"] + keys.map { k in group.metrics[k].map { String(format: "%.4f", $0) } ?? "-" } }
        let widths = header.indices.map { i in ([header[i]] + rows.map { $0[i] }).map(\.count).max() ?? 0 }
        let line = { (cells: [String]) in zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ") + "\n" }
        var text = "\n" + line(header) + rows.map(line).joined()
        if let dp = g.demographicParityDifference { text += String(format: "demographic parity difference %.4f\n", dp) }
        if let eo = g.equalizedOddsDifference { text += String(format: "equalized odds difference     %.4f\n", eo) }
        return text
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
