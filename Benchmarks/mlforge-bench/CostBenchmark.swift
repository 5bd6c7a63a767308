import Foundation
import Learners
import MLData

/// Fit and predict times of a learner on random data over a grid of sizes, against its own estimate (of the fit plus the prediction of a quarter as many rows):
/// the measurements the cost model's constants come from (BENCHMARKS.md, "cost model").
enum CostBenchmark {
    /// `lowCost`: the family's low-cost point (the search's first trial) instead of its defaults, fitted
    /// with validation rows (a quarter as many as the training rows, as a search's hold-out has).
    static func run(family: LearnerFamily, grid: [(train: Int, query: Int, features: Int)], lowCost: Bool = false) throws {
        var rng = SeededGenerator(seed: 7)
        for (n, m, f) in grid {
            func matrix(_ rows: Int) -> FeatureMatrix {
                FeatureMatrix(rows: rows, columns: f, values: (0..<(rows * f)).map { _ in Double.random(in: -1...1, using: &rng) },
                              names: (0..<f).map { "x\($0)" })
            }
            let labels = (0..<n).map { $0 % 2 }
            let train = try LabeledData(features: matrix(n), target: .classes(labels, classCount: 2), task: .binary)
            let query = matrix(m)
            let shape = DataShape(rows: n, features: f, task: .binary)
            let learner = lowCost ? try family.learner(family.searchSpace(for: shape).lowCostPoint, shape: shape) : family.defaults(for: shape)
            let validation = lowCost
                ? try LabeledData(features: matrix(n / 4), target: .classes((0..<(n / 4)).map { $0 % 2 }, classCount: 2), task: .binary) : nil
            // With --low-cost the fit runs twice on one FitCache, as a search's trials on one fold do: the
            // second fit's time is without what the cache keeps (XGBoost's DMatrix and histogram index).
            var context = FitContext(seed: 0, threads: 2)
            if lowCost { context.cache = FitCache(capacityBytes: 1 << 34) }
            let t0 = ContinuousClock.now
            let model = try learner.fitModel(train, validation: validation, context: context)
            let t1 = ContinuousClock.now
            _ = try model.predict(query)
            let t2 = ContinuousClock.now
            let fit = (t1 - t0).inSeconds, predict = (t2 - t1).inSeconds
            let again = lowCost ? try { let t = ContinuousClock.now; _ = try learner.fitModel(train, validation: validation, context: context)
                                        return (ContinuousClock.now - t).inSeconds }() : nil
            let refit = again.map { ", \"fit_again_s\": \($0)" } ?? ""
            print("{\"family\": \"\(family.rawValue)\", \"train\": \(n), \"query\": \(m), \"features\": \(f), \"fit_s\": \(fit), \"predict_s\": \(predict), "
                  + "\"estimate_s\": \(learner.estimatedCost(for: shape)), \"predict_estimate_s\": \(model.estimatedPredictSeconds(rows: m))\(refit)}")
        }
    }
}
