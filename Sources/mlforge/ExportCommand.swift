import ArgumentParser
import Export
import Foundation
import MLData

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a model folder for another runtime: one ONNX model (--format onnx) or one dependency-free Swift file (--format swift).",
        discussion: "The whole model is written — preprocessing, every ensemble member, the ensemble's weights and decision rule — and predicts what `mlforge predict` does. Tree, linear and MLP members export; a k-NN member or a convolutional network is refused with the families to fit instead.")

    @Argument(help: "The model folder written by `mlforge fit` or `mlforge nas`.")
    var model: String

    @Option(help: "The format: \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: String

    @Option(help: "The file to write (replaced whole).")
    var out: String

    @Option(help: "The name of the Swift type (--format swift).")
    var typeName = "Model"

    func run() throws {
        try reportingErrors {
            guard let f = ExportFormat(rawValue: format) else {
                throw DataError.invalidArgument("--format must be one of \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", ")); got '\(format)'")
            }
            let summary = try ModelExport.write(folder: URL(fileURLWithPath: model), format: f, to: URL(fileURLWithPath: out), typeName: typeName)
            Terminal.write("wrote \(summary.path) (\(summary.format.rawValue), \(summary.bytes) bytes): \(summary.members) ensemble member\(summary.members == 1 ? "" : "s"), reading \(summary.columns.count) column\(summary.columns.count == 1 ? "" : "s")\n")
        }
    }
}
