import AutoML
import Foundation
import Learners
import MLData

/// `mlforge-bench prepare FILE --target COL`: each preprocessing recipe's fit-and-transform on the whole
/// table (what a fold or a refit pays before any learner runs), the CSV read before it and the
/// input-layout detection, as JSON lines.
enum PrepareBenchmark {
    static func run(path: String, target: String) throws {
        let readStart = ContinuousClock.now
        let frame = try CSVReader.read(path: path)
        print("{\"step\": \"read\", \"seconds\": \((ContinuousClock.now - readStart).inSeconds), \"rows\": \(frame.rowCount), \"columns\": \(frame.columnCount)}")
        let layoutStart = ContinuousClock.now
        let layout = InputLayout.detect(frame, target: target)
        print("{\"step\": \"layout\", \"seconds\": \((ContinuousClock.now - layoutStart).inSeconds), \"shape\": \"\(layout.map { InputLayout.describe($0.shape) } ?? "table")\"}")
        guard let column = frame[target] else { throw DataError.schemaMismatch("no column '\(target)'") }
        let task = try TaskInference.decide(target: column, override: nil).task ?? .regression
        let values: TargetValues
        if task.isClassification {
            let encoder = LabelEncoder.fit(column)
            let labels = encoder.encode(column).labels.map { max(0, $0) }
            values = .classes(labels, classCount: encoder.classes.count)
        } else {
            values = .values(column.numericView().values.map { $0.isFinite ? $0 : 0 })
        }
        for recipe in [PreprocessingRecipe.trees, .dense, .raw] {
            var rng = SeededGenerator(seed: 0)
            let start = ContinuousClock.now
            let (_, x) = try Preprocessor(options: recipe.options).fitTransform(frame, target: values, excluding: [target], using: &rng)
            let seconds = (ContinuousClock.now - start).inSeconds
            print("{\"step\": \"\(recipe.name)\", \"seconds\": \(seconds), \"rows\": \(x.rows), \"features\": \(x.columns)}")
        }
    }
}
