import Learners

/// Why a model cannot be exported, with what to do instead.
public enum ExportError: Error, Equatable, CustomStringConvertible {
    /// Ensemble members whose models cannot be written as plain data (k-NN keeps its training rows; a
    /// network with convolutions is not written), with the families a new fit could use instead.
    case unsupportedMembers(refused: [String], families: [LearnerFamily], alternatives: [LearnerFamily])
    /// The name asked for the exported type is not a Swift type name.
    case invalidTypeName(String)
    /// The model folder holds no ensemble member.
    case noMembers
    /// A column read as numbers by one preprocessing and as text by another: an ONNX input has one type.
    case mixedColumn(String)

    public var description: String {
        switch self {
        case .unsupportedMembers(let refused, _, let alternatives):
            let what = refused.count == 1 ? "a member that cannot" : "\(refused.count) members that cannot"
            return "the model cannot be exported: its ensemble holds \(what) be written without MLForge (\(refused.joined(separator: "; "))); fit again leaving \(refused.count == 1 ? "it" : "them") out, e.g. with --families \(alternatives.map(\.rawValue).joined(separator: ","))"
        case .invalidTypeName(let name):
            return "'\(name)' is not a Swift type name; give --type-name a name of letters, digits and underscores that starts with a letter (e.g. Model)"
        case .noMembers:
            return "the model has no ensemble members to export"
        case .mixedColumn(let name):
            return "the column '\(name)' is read as numbers by one member's preprocessing and as text by another's, and an ONNX input has one type; export with --format swift, or fit again with --families limited to one kind of member"
        }
    }
}
