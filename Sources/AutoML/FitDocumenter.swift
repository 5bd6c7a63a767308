import Foundation
import MLData

/// Makes the documents of a fitted model (the model card, say) for `FolderFit` to save in the model
/// folder. It runs inside the fit's budget and must return by `deadline`, doing less (on fewer rows, or
/// leaving a part out and saying so) when the time is short.
public protocol FitDocumenter: Sendable {
    /// Checks what the documenter needs of the training table (a named column, say) before the fit
    /// starts, so that a user's mistake stops the run instead of costing its card.
    func check(_ training: DataFrame) throws
    /// Whether the documents need time of their own (`BudgetPolicy.documents` is then kept from the run).
    var needsTime: Bool { get }
    /// The files to add to the folder (path inside it → bytes).
    func documents(for model: AutoMLModel, record: FitRecord, deadline: ContinuousClock.Instant) throws -> [String: Data]
}

/// What a documenter gets to know about a fit besides the model.
public struct FitRecord: Sendable {
    /// The training table as it was read.
    public var training: DataFrame
    /// The training file.
    public var dataPath: String
    /// The plan lines the run logged (task, validation, columns left out, layout).
    public var plan: [String]
    /// Configurations the run did not try, and why ("knn: …").
    public var skipped: [String]
    /// The phases after the search (ensemble, guard, refit) as logged.
    public var phases: [String]
    /// Seconds from the start of the fit to the moment the documenter was called.
    public var elapsedSeconds: Double

    public init(training: DataFrame, dataPath: String, plan: [String] = [], skipped: [String] = [], phases: [String] = [], elapsedSeconds: Double = 0) {
        self.training = training
        self.dataPath = dataPath
        self.plan = plan
        self.skipped = skipped
        self.phases = phases
        self.elapsedSeconds = elapsedSeconds
    }
}
