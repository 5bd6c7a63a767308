import Learners
import MLData

/// What the final ensemble predicted for the rows it was validated on, kept in memory after a fit so
/// that its documents (the model card) can show calibration, confusion and residuals without fitting
/// again. It is not saved with the model.
public struct ValidationRecord: Sendable {
    /// The ensemble's predictions: out of fold under cross-validation, on the hold-out rows otherwise.
    public var predictions: Predictions
    /// The targets of those rows (class indices into the model's classes, or values).
    public var target: TargetValues
    /// Each predicted row's index in the training table as it was read (rows without a target dropped).
    public var rows: [Int]
    /// The validation scheme in words ("5-fold cross-validation", "a 20% hold-out (2000 rows)").
    public var scheme: String

    public init(predictions: Predictions, target: TargetValues, rows: [Int], scheme: String) {
        self.predictions = predictions
        self.target = target
        self.rows = rows
        self.scheme = scheme
    }
}
