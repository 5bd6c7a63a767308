import Learners
import MLData

extension AutoML {
    /// `--fairness` needs a binary target and a sensitive column that is an input the model keeps.
    static func checkFairness(_ fairness: FairnessConstraint, frame: DataFrame, target: String, task: PredictionTask,
                              options: AutoMLOptions) throws {
        guard task == .binary else {
            throw AutoMLError.invalidInput("--fairness needs a binary classification target; '\(target)' is \(task) (compare groups with --sensitive alone)")
        }
        let name = fairness.column
        guard name != target else { throw AutoMLError.invalidInput("--sensitive names the target '\(target)'; name the column whose groups are compared") }
        guard !options.excludedColumns.contains(name) else {
            throw AutoMLError.invalidInput("--fairness decides by the groups of '\(name)', so predicting needs it: do not --exclude it")
        }
        guard frame[name] != nil else {
            throw AutoMLError.invalidInput("the sensitive column '\(name)' is not in the data; its columns are: \(DataError.list(frame.columnNames))")
        }
    }

    /// Chooses the per-group thresholds that meet `fairness` on the ensemble's validation predictions,
    /// records each trial's difference in the leaderboard, and logs what the thresholds changed.
    static func meet(_ fairness: FairnessConstraint, model: inout AutoMLModel, frame: DataFrame, run: SearchRun,
                     options: AutoMLOptions) throws {
        guard let v = model.validation, let scores = v.predictions.positiveScores, case .classes(let y, _) = v.target,
              let column = frame[fairness.column] else {
            throw AutoMLError.noModel("--fairness needs the ensemble's validation predictions, and the run has none")
        }
        let groups = GroupThresholds.labels(column, rows: v.rows)
        let truth = y.map { $0 == 1 }
        let rule = GroupThresholds.fit(scores, truth: truth, groups: groups, constraint: fairness, policy: options.policy.fairness)
        model.fairness = rule
        // Each trial's own difference, deciding by the more probable class (what the search found).
        let byTrial = Dictionary(run.outcomes.compactMap { o in o.validation.map { (o.entry.trial, $0) } }, uniquingKeysWith: { a, _ in a })
        for i in model.leaderboard.entries.indices {
            guard let p = byTrial[model.leaderboard.entries[i].trial]?.positiveScores else { continue }
            model.leaderboard.entries[i].disparity = GroupRates(decided: p.map { $0 > 0.5 }, truth: truth, groups: groups)
                .difference(fairness.measure)
        }
        let measure = fairness.measure.rawValue
        let shown = { (d: Double?) in d.map { String(format: "%.3f", $0) } ?? "undefined" }
        if rule.thresholds.isEmpty {
            options.log?(.phase("\(measure) \(shown(rule.before.difference)) on the validation rows is within \(fairness.bound): the more probable class decides"))
        } else {
            let accuracy = String(format: "%.4f → %.4f", rule.before.accuracy, rule.after.accuracy)
            options.log?(.phase("\(measure) \(shown(rule.before.difference)) → \(shown(rule.after.difference)) (bound \(fairness.bound)) with a threshold per group of \(fairness.column); validation accuracy \(accuracy)"))
        }
    }
}
