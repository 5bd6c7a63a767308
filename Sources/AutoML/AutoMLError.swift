/// Errors of an AutoML run or artifact; each message says what is wrong and how to fix it.
public enum AutoMLError: Error, Equatable, CustomStringConvertible {
    case invalidInput(String)
    case noModel(String)
    case unreadableArtifact(String)

    public var description: String {
        switch self {
        case .invalidInput(let m): return m
        case .noModel(let m): return "no model could be trained: \(m)"
        case .unreadableArtifact(let m): return "cannot load the model: \(m)"
        }
    }
}
