import ArgumentParser
import AutoML
import Foundation
import MLData
import Transparency

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a model on a CSV file: permutation importances (when it has the target), Shapley values of the ensemble for its first rows, and TreeSHAP for its tree members."
    )

    @Argument(help: "The model folder.")
    var model: String

    @Argument(help: "A CSV file with the training columns (and the target, for importances).")
    var data: String

    @Option(help: "Explain this many of the file's first rows one by one.")
    var rows: Int = 5

    @Option(help: "Permutation samples per explained row (the Shapley values' error shrinks as 1/√samples).")
    var samples: Int = 200

    @Option(help: "Permutation-importance repeats.")
    var repeats: Int = 5

    @Option(help: "Random seed of the samples.")
    var seed: UInt64 = 0

    @Flag(help: "Print the explanation as JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            for (name, value, least) in [("--rows", rows, 0), ("--samples", samples, 1), ("--repeats", repeats, 1)] where value < least {
                throw DataError.invalidArgument("\(name) must be at least \(least); got \(value)")
            }
            let fitted = try AutoMLModel.load(from: URL(fileURLWithPath: model))
            let frame = try fitted.readTable(path: data)
            var explainer = Explainer()
            explainer.rows = rows
            explainer.samples = samples
            explainer.repeats = repeats
            explainer.seed = seed
            let explanation = try explainer.explain(fitted, data: frame, file: URL(fileURLWithPath: data).lastPathComponent)
            if json {
                Terminal.write(String(decoding: try ArtifactJSON.encoder().encode(explanation), as: UTF8.self) + "\n")
            } else {
                Terminal.write(explanation.text)
            }
        }
    }
}
