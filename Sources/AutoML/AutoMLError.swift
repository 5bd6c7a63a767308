import MLData

/// Errors of an AutoML run or artifact; each message says what is wrong and how to fix it. The cases a
/// caller may want to act on carry their facts (a missing target's name and the columns there are; the
/// distinct values of a target that could be classes or amounts); the rest carry their message.
public enum AutoMLError: Error, Equatable, CustomStringConvertible {
    /// The target column is not in the data.
    case missingTarget(String, columns: [String])
    /// The target holds a few distinct whole numbers over too few rows to tell classes from amounts: the
    /// caller must give the task.
    case ambiguousTask(target: String, distinctValues: Int)
    /// An option, a policy or the data is unusable as given.
    case invalidInput(String)
    case noModel(String)
    case unreadableArtifact(String)

    public var description: String {
        switch self {
        case .missingTarget(let target, let columns):
            return "the target column '\(target)' is not in the data; its columns are: \(DataError.list(columns))"
        case .ambiguousTask(let target, let distinct):
            return "the target '\(target)' holds \(distinct) distinct whole numbers over too few rows (fewer than \(TaskInference.minRowsPerWholeNumberClass) a value) to tell classes from amounts; say which with --task multiclass or --task regression"
        case .invalidInput(let m): return m
        case .noModel(let m): return "no model could be trained: \(m)"
        case .unreadableArtifact(let m): return "cannot load the model: \(m)"
        }
    }
}
