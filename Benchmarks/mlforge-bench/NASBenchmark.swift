import AutoML
import Foundation
import Learners
import MLData

/// One architecture search as `mlforge nas` runs it, with the test accuracy of every incumbent (each new
/// best network, evaluated after the run so the search's time is its own):
///
///     mlforge-bench nas DIR --target COL --strategy S --seed N --time SECONDS [--task multiclass]
///
/// prints one JSON line per incumbent {elapsed, validation, test} and a last one with the final model's
/// test accuracy, the trial count and the wall time.
enum NASBenchmark {
    final class Box: @unchecked Sendable {
        var incumbents: [Incumbent] = []
        let lock = NSLock()
        func add(_ i: Incumbent) { lock.lock(); incumbents.append(i); lock.unlock() }
    }

    static func run(folder: URL, target: String, strategy: SearchStrategyKind, seed: UInt64, seconds: Double, task: TaskKind?) throws {
        let start = ContinuousClock.now
        var options = AutoMLOptions.architectureSearch(strategy: strategy, budget: .milliseconds(Int(seconds * 1000)), seed: seed)
        options.start = start
        options.task = task
        options.metric = .accuracy
        // The strategies alone: no portfolio network queued ahead of them (the low-cost start stays).
        options.portfolio = false
        let box = Box()
        options.onIncumbent = { box.add($0) }
        let train = try CSVReader.read(path: folder.appendingPathComponent("train.csv").path)
        let model = try AutoML.fitSynchronously(train, target: target, options: options)
        let elapsed = (ContinuousClock.now - start).inSeconds
        var typed = CSVOptions()
        for c in model.schema where c.type != .missing { typed.columnTypes[c.name] = c.type }
        typed.columnTypes[target] = train[target]?.type
        let test = try CSVReader.read(path: folder.appendingPathComponent("test.csv").path, options: typed)
        let truth = try model.evaluate(test)
        let name = folder.lastPathComponent
        // The incumbents' test accuracy: the same labels as the model's (its classes, in order).
        let labels = test[target]!.categoricalView()
        let classIndex = Dictionary(uniqueKeysWithValues: model.classes.enumerated().map { ($1, $0) })
        let y = labels.codes.map { $0 < 0 ? -1 : classIndex[labels.levels[Int($0)]] ?? -1 }
        for inc in box.incumbents {
            let p = try inc.predict(test)
            guard case .probabilities(let probs, let k) = p else { continue }
            var right = 0
            for i in 0..<y.count {
                let row = probs[(i * k)..<((i + 1) * k)]
                if let best = row.indices.max(by: { row[$0] < row[$1] }), best - i * k == y[i] { right += 1 }
            }
            print(String(format: #"{"dataset": "%@", "strategy": "%@", "seed": %llu, "elapsed": %.3f, "validation": %.6f, "test": %.6f, "trial": %d}"#,
                         name, strategy.rawValue, seed, inc.elapsed, inc.score, Double(right) / Double(max(1, y.count)), inc.trial))
        }
        let trials = model.leaderboard.entries.count
        print(String(format: #"{"dataset": "%@", "strategy": "%@", "seed": %llu, "final": true, "test": %.6f, "trials": %d, "seconds": %.3f, "architecture": "%@"}"#,
                     name, strategy.rawValue, seed, truth["accuracy"] ?? .nan, trials, elapsed,
                     model.members.first?.summary.replacingOccurrences(of: "\"", with: "'") ?? ""))
    }
}
