import AutoML
import Foundation

/// The formats `mlforge export` writes.
public enum ExportFormat: String, CaseIterable, Sendable {
    /// One dependency-free Swift file (`SwiftSourceWriter`).
    case swift
    /// One ONNX model (`ONNXModelWriter`): inputs per column, outputs `label` and `probabilities`, or `prediction`.
    case onnx
}

/// What an export wrote.
public struct ExportSummary: Sendable, Equatable {
    public var format: ExportFormat
    public var path: String
    public var bytes: Int
    /// The ensemble members written.
    public var members: Int
    /// The columns the exported model reads.
    public var columns: [String]
}

/// Exports a fitted model into a file another program runs without MLForge.
public enum ModelExport {
    /// Writes `model` as `format` to `url` (replaced whole, never half-written). `typeName` names the
    /// Swift type (unused by ONNX). Throws `ExportError` when a member cannot be exported or the name is not a type name.
    public static func write(_ model: AutoMLModel, format: ExportFormat, to url: URL, typeName: String = "Model") throws -> ExportSummary {
        let plan = try ExportPlan(model)
        switch format {
        case .swift:
            guard isTypeName(typeName) else { throw ExportError.invalidTypeName(typeName) }
            let writer = SwiftSourceWriter(plan: plan, typeName: typeName)
            let data = Data(writer.source().utf8)
            try data.write(to: url, options: .atomic)
            return ExportSummary(format: format, path: url.path, bytes: data.count, members: plan.members.count, columns: writer.columns)
        case .onnx:
            let writer = try ONNXModelWriter(plan: plan)
            let data = try writer.data()
            try data.write(to: url, options: .atomic)
            return ExportSummary(format: format, path: url.path, bytes: data.count, members: plan.members.count, columns: writer.columns.map(\.name))
        }
    }

    /// Loads the model folder at `folder` and writes it as `write(_:format:to:typeName:)` does.
    public static func write(folder: URL, format: ExportFormat, to url: URL, typeName: String = "Model") throws -> ExportSummary {
        try write(AutoMLModel.load(from: folder), format: format, to: url, typeName: typeName)
    }

    /// Words Swift reserves, which a type cannot be named without backticks.
    static let reservedWords: Set<String> = [
        "Any", "Self", "Type", "Protocol", "as", "associatedtype", "break", "case", "catch", "class", "continue",
        "default", "defer", "deinit", "do", "else", "enum", "extension", "fallthrough", "false", "fileprivate", "for",
        "func", "guard", "if", "import", "in", "init", "inout", "internal", "is", "let", "nil", "open", "operator",
        "private", "protocol", "public", "repeat", "rethrows", "return", "self", "static", "struct", "subscript",
        "super", "switch", "throw", "throws", "true", "try", "typealias", "var", "where", "while",
    ]

    /// Letters, digits and underscores, starting with a letter; not a reserved word.
    static func isTypeName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII else { return false }
        return s.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
            && !reservedWords.contains(s)
    }
}
