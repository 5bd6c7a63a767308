import Foundation
import Learners
import MLData
import TestSupport

/// XGBoost, linear and k-NN learners with their default configurations on shared datasets, timed in
/// this process; the exact features, our test predictions and the XGBoost model are written to `out`
/// so Benchmarks/scripts/learners_vs_python.py can fit the Python counterparts on identical inputs (the
/// JSON line names the features that hold category codes, which XGBoost splits on natively).
enum LearnerBenchmark {
    static func run(datasets: [String], families: [LearnerFamily], out: URL, repeats: Int) throws {
        for name in datasets {
            for family in families {
                guard let data = try SharedData.prepare(name, for: family) else {
                    throw LearnerError.invalidData("dataset \(name) not found")
                }
                let dir = out.appendingPathComponent("\(name)/\(family.rawValue)")
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                try writeCSV(data.train, to: dir.appendingPathComponent("train.csv"))
                try writeCSV(data.test, to: dir.appendingPathComponent("test.csv"))
                let learner = family.defaults(for: data.train.shape)
                var fitTimes: [Double] = [], predictTimes: [Double] = []
                var model: (any FittedModel)?
                var predictions: Predictions?
                for _ in 0..<repeats {
                    let t0 = ContinuousClock.now
                    let m = try learner.fitModel(data.train, validation: nil, context: FitContext(seed: 0, threads: 2))
                    let t1 = ContinuousClock.now
                    let p = try m.predict(data.test.features)
                    let t2 = ContinuousClock.now
                    fitTimes.append(seconds(t1 - t0))
                    predictTimes.append(seconds(t2 - t1))
                    model = m
                    predictions = p
                }
                guard let model, let predictions else { continue }
                try writePredictions(predictions, to: dir.appendingPathComponent("ours.csv"))
                try model.bundle().write(to: dir.appendingPathComponent("model"))
                let score = try data.score(predictions)
                let (batch, single) = try latency(model, data.test.features)
                print(#"{"dataset": "\#(name)", "family": "\#(family.rawValue)", "metric": "\#(data.meta.metric)", "score": \#(score), "fit_s": \#(fitTimes.min() ?? 0), "estimate_s": \#(learner.estimatedCost(for: data.train.shape)), "predict_s": \#(predictTimes.min() ?? 0), "train_rows": \#(data.train.rows), "features": \#(data.train.features.columns), "category_features": \#(data.train.features.categoryCodeFeatures), "batch_rows": \#(batchRows), "batch_s": \#(batch), "single_row_us": \#(single * 1e6)}"#)
            }
        }
    }

    static let batchRows = 10_000

    /// The model's prediction of `batchRows` rows (the test rows repeated; best of 3) and of one row
    /// (median over 200 rows), in seconds: the fitted model alone, on its own features.
    static func latency(_ model: any FittedModel, _ x: FeatureMatrix) throws -> (batch: Double, single: Double) {
        let rows = (0..<batchRows).map { $0 % max(1, x.rows) }
        let batch = x.selecting(rows: rows)
        var best = Double.infinity
        for _ in 0..<3 {
            let t0 = ContinuousClock.now
            _ = try model.predict(batch)
            best = min(best, seconds(ContinuousClock.now - t0))
        }
        let singles = (0..<200).map { x.selecting(rows: [$0 % max(1, x.rows)]) }
        var times: [Double] = []
        for one in singles {
            let t0 = ContinuousClock.now
            _ = try model.predict(one)
            times.append(seconds(ContinuousClock.now - t0))
        }
        return (best, times.sorted()[times.count / 2])
    }

    static func seconds(_ d: Duration) -> Double {
        d.inSeconds
    }

    /// Features (full precision) and the target as the last column `__target`.
    static func writeCSV(_ d: LabeledData, to url: URL) throws {
        var text = (d.features.names.indices.map { "f\($0)" } + ["__target"]).joined(separator: ",") + "\n"
        let y: [String] = d.task == .regression ? d.values.map { "\($0)" } : d.labels.map { "\($0)" }
        for r in 0..<d.rows {
            let row = (0..<d.features.columns).map { c -> String in
                let v = d.features[r, c]
                return v.isNaN ? "" : "\(v)"
            }
            text += (row + [y[r]]).joined(separator: ",") + "\n"
        }
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    static func writePredictions(_ p: Predictions, to url: URL) throws {
        var text = ""
        switch p {
        case .values(let v): text = "prediction\n" + v.map { "\($0)" }.joined(separator: "\n")
        case .probabilities(let q, let k):
            text = (0..<k).map { "p\($0)" }.joined(separator: ",") + "\n"
            for r in 0..<(q.count / k) { text += (0..<k).map { "\(q[r * k + $0])" }.joined(separator: ",") + "\n" }
        }
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
}
