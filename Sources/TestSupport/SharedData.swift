import Foundation
import Learners
import MLData

/// The facts of a shared dataset that the tests and benchmarks use (from its meta.json).
public struct DatasetMeta: Codable, Sendable {
    public var name: String
    public var task: String
    public var target: String
    public var metric: String
}

/// A shared dataset prepared for one learner family: preprocessing fitted on train.csv, applied to test.csv.
public struct PreparedDataset: Sendable {
    public var meta: DatasetMeta
    public var train: LabeledData
    public var test: LabeledData
    public var classes: [String]

    /// The dataset's own metric on the test rows (ROC AUC on class 1, accuracy, or R²).
    public func score(_ p: Predictions) throws -> Double {
        switch (meta.metric, p) {
        case ("roc_auc", .probabilities(let q, let k)):
            return k == 2 ? try Metrics.rocAUC(test.labels, scores: stride(from: 1, to: q.count, by: 2).map { q[$0] })
                : try Metrics.rocAUCOneVsRest(test.labels, probabilities: q, classes: k)
        case ("accuracy", .probabilities(let q, let k)):
            return Metrics.accuracy(test.labels, Metrics.argmax(probabilities: q, classes: k))
        case ("r2", .values(let v)):
            return Metrics.r2(test.values, v)
        default:
            throw LearnerError.invalidData("\(meta.name): metric \(meta.metric) does not fit these predictions")
        }
    }
}

public enum SharedData {
    /// The folder holding dataset `name`: the repository's examples/ first, then ../shared/datasets.
    public static func folder(_ name: String) -> URL? {
        let bundled = Fixtures.repositoryRoot.appendingPathComponent("examples/\(name)")
        if FileManager.default.fileExists(atPath: bundled.appendingPathComponent("meta.json").path) { return bundled }
        guard let shared = Fixtures.sharedDatasets?.appendingPathComponent(name),
              FileManager.default.fileExists(atPath: shared.appendingPathComponent("meta.json").path) else { return nil }
        return shared
    }

    public static func meta(_ name: String) throws -> DatasetMeta? {
        guard let root = folder(name) else { return nil }
        return try meta(folder: root)
    }

    /// The meta.json of the dataset in `root`.
    public static func meta(folder root: URL) throws -> DatasetMeta {
        try JSONDecoder().decode(DatasetMeta.self, from: Data(contentsOf: root.appendingPathComponent("meta.json")))
    }

    /// Loads dataset `name` (bundled in examples/, or from ../shared/datasets) and prepares it the way
    /// `family` wants its features; nil when it is not found. Rows whose target is missing are dropped.
    public static func prepare(_ name: String, for family: LearnerFamily, seed: UInt64 = 0) throws -> PreparedDataset? {
        guard let root = folder(name) else { return nil }
        return try prepare(folder: root, for: family, seed: seed)
    }

    /// Loads the dataset in `root` (train.csv, test.csv, meta.json: the layout of ../shared/datasets and
    /// ../shared/corpus) and prepares it the way `family` wants its features.
    public static func prepare(folder root: URL, for family: LearnerFamily, seed: UInt64 = 0) throws -> PreparedDataset {
        let meta = try meta(folder: root)
        let trainFrame = try CSVReader.read(path: root.appendingPathComponent("train.csv").path)
        let testFrame = try CSVReader.read(path: root.appendingPathComponent("test.csv").path)
        return try prepare(meta: meta, train: trainFrame, test: testFrame, family: family, seed: seed)
    }

    /// Prepares two frames (fit on `train`) for `family`.
    public static func prepare(
        meta: DatasetMeta, train: DataFrame, test: DataFrame, family: LearnerFamily, seed: UInt64 = 0
    ) throws -> PreparedDataset {
        let targetColumn = try train.column(named: meta.target)
        let classification = meta.task != "regression"
        let encoder = classification ? LabelEncoder.fit(targetColumn) : nil
        func target(_ frame: DataFrame) throws -> (TargetValues, [Int]) {
            let column = try frame.column(named: meta.target)
            if let encoder {
                let labels = encoder.encode(column).labels
                let keep = labels.indices.filter { labels[$0] >= 0 }
                return (.classes(keep.map { labels[$0] }, classCount: encoder.classes.count), keep)
            }
            let v = column.numericView().values
            let keep = v.indices.filter { v[$0].isFinite }
            return (.values(keep.map { v[$0] }), keep)
        }
        let (trainTarget, trainRows) = try target(train)
        let (testTarget, testRows) = try target(test)
        let trainPart = train.selecting(rows: trainRows)
        let testPart = test.selecting(rows: testRows)
        var rng = SeededGenerator(seed: seed)
        let (fitted, xTrain) = try Preprocessor(options: family.preprocessing)
            .fitTransform(trainPart, target: trainTarget, excluding: [meta.target], using: &rng)
        let xTest = try fitted.transform(testPart).features
        let task: PredictionTask = classification ? .classification(classes: encoder?.classes.count ?? 2) : .regression
        return PreparedDataset(
            meta: meta, train: try LabeledData(features: xTrain, target: trainTarget, task: task),
            test: try LabeledData(features: xTest, target: testTarget, task: task), classes: encoder?.classes ?? [])
    }
}
