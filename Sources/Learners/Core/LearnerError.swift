/// Errors of the learners: bad data or configurations, unreadable saved models, library failures.
public enum LearnerError: Error, Equatable, CustomStringConvertible {
    case invalidData(String)
    case invalidConfiguration(String)
    /// A saved model could not be read (format, version or content).
    case unreadableModel(String)
    /// A library call failed (XGBoost's own message).
    case library(String)

    public var description: String {
        switch self {
        case .invalidData(let m): return "invalid training data: \(m)"
        case .invalidConfiguration(let m): return "invalid learner configuration: \(m)"
        case .unreadableModel(let m): return "cannot read the saved model: \(m)"
        case .library(let m): return "XGBoost failed: \(m)"
        }
    }
}
