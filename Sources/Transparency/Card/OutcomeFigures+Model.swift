import AutoML
import MLData

extension OutcomeFigures {
    /// A saved model's figures on the rows of a labelled table whose target it knows, per group of
    /// `sensitive` too, deciding as the model decides (`AutoMLModel.decisions`); with those rows.
    /// The card's test figures and `mlforge evaluate --sensitive` read it.
    public static func measure(_ model: AutoMLModel, on frame: DataFrame, sensitive: String?,
                               policy: CardPolicy = .standard) throws -> (figures: OutcomeFigures, rows: DataFrame) {
        guard frame[model.targetName] != nil else {
            throw AutoMLError.invalidInput("the data has no target column '\(model.targetName)'; these figures need the true values")
        }
        if let sensitive, frame[sensitive] == nil {
            throw AutoMLError.invalidInput("the sensitive column '\(sensitive)' is not in the data; its columns are: \(DataError.list(frame.columnNames))")
        }
        guard let (rows, all) = EvidenceBuilder.labelled(model, frame), !rows.isEmpty else {
            throw AutoMLError.invalidInput("no row of the data has a target value the model knows")
        }
        let labelled = frame.selecting(rows: rows)
        let predictions = try model.predict(labelled)
        let groups = sensitive.flatMap { name in labelled[name].map { (name, GroupThresholds.labels($0, rows: Array(0..<labelled.rowCount))) } }
        let figures = measure(predictions, all.selecting(rows: rows), policy: policy, groups: groups,
                              decisions: try model.decisions(predictions, frame: labelled))
        return (figures, labelled)
    }
}
