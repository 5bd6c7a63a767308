import Foundation
import Learners
import TestSupport

/// Linear fits on real tables (a dataset folder each: train.csv, test.csv, meta.json), prepared as the
/// linear family's preprocessing does: the fit's seconds beside `estimatedCost`, the solver's last
/// reported step (L-BFGS iterations; elastic net 25 per Newton step) and the test log loss — the
/// measurements behind the multiclass elastic net's step factor (BENCHMARKS.md, "Multiclass elastic net").
enum LinearFitBenchmark {
    static func run(folders: [String], c: Double, l1Ratio: Double) throws {
        final class LastStep: @unchecked Sendable { var step = 0 }
        for folder in folders {
            let data = try SharedData.prepare(folder: URL(fileURLWithPath: folder), for: .linear)
            var learner = LinearLearner()
            learner.c = c
            learner.l1Ratio = l1Ratio
            let last = LastStep()
            var context = FitContext(seed: 0, threads: 2)
            context.report = { @Sendable progress in last.step = progress.step; return .proceed }
            let start = ContinuousClock.now
            let model = try learner.fit(data.train, validation: data.test, context: context)
            let seconds = (ContinuousClock.now - start).inSeconds
            let shape = DataShape(rows: data.train.rows, features: data.train.features.columns, task: data.train.task)
            let metric: ValidationMetric = data.train.task.isClassification ? .logLoss : .r2
            let score = metric.score(try model.predict(data.test.features), data.test.target)
            print("{\"dataset\": \"\(data.meta.name)\", \"rows\": \(shape.rows), \"features\": \(shape.features), \"classes\": \(shape.task.classCount), "
                  + "\"C\": \(c), \"l1_ratio\": \(l1Ratio), \"fit_s\": \(seconds), \"estimate_s\": \(learner.estimatedCost(for: shape)), "
                  + "\"last_step\": \(last.step), \"test_\(metric.rawValue)\": \(abs(score))}")
        }
    }
}
