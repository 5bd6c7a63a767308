import Foundation
import Learners
import MLData
import Search
import Support

extension AutoML {
    /// Fits trial `entry` of `model`'s search again on the same folds of `frame` (the training table the
    /// model was fitted on) with the same seed, and returns each fold's validation score in the run's
    /// direction (higher is better). With `threads` 1 and a trial that was not cut at its deadline, the
    /// scores equal the ones recorded; a trial cut short by its deadline, or fitted on several threads,
    /// may differ.
    public static func replay(_ entry: LeaderboardEntry, of model: AutoMLModel, frame: DataFrame, threads: Int = 1) throws -> [Double] {
        let policy = model.policy ?? .standard
        let settings = model.constraints
        let plan = try TrainingPlan(frame: frame, target: model.targetName, task: settings?.task, seed: model.seed,
                                    holdout: settings?.holdoutFraction, policy: policy, memoryLimit: settings?.memoryBytes,
                                    repeats: settings?.validationRepeats ?? 1)
        plan.monotone = settings?.monotone ?? [:]
        if let shape = settings?.inputShape {
            plan.inputShape = shape
        } else if settings?.detectsInputLayout ?? true, let (shape, _) = InputLayout.detect(frame, target: model.targetName) {
            plan.inputShape = shape
        }
        let learner = try entry.family.learner(entry.configuration, shape: try plan.shape(for: entry.family))
        var scores: [Double] = []
        for (i, fold) in try plan.foldData(for: entry.family).enumerated() {
            var context = FitContext(seed: model.seed &+ UInt64(entry.trial), deadline: nil, threads: threads, metric: model.metric.roundMetric)
            if entry.trainingRows == nil { context.cache = fold.cache }
            context.monotone = try plan.monotoneFeatures(fold.train.features.names, family: entry.family)
            let train = entry.trainingRows.map {
                SearchRun.subsample(fold.train, rows: $0, seed: model.seed &+ UInt64(entry.trial) &+ UInt64(i))
            } ?? fold.train
            let fitted = try learner.fitModel(train, validation: fold.validation, context: context)
            scores.append(model.metric.score(try fitted.predict(fold.validation.features), fold.validation.target))
        }
        return scores
    }
}
