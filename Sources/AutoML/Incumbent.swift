import Learners
import MLData

/// A new best trial of a run.
public struct Incumbent: Sendable {
    public var trial: Int
    public var family: LearnerFamily
    public var summary: String
    public var score: Double
    /// Seconds since the run started.
    public var elapsed: Double
    /// Predictions for a table with the run's input columns, by this trial's models (fold models averaged).
    public var predict: @Sendable (DataFrame) throws -> Predictions
}
