import AutoML
import Foundation
import Learners
import MLData
import Search
import Testing
import TestSupport

/// A family the runner has never heard of: predicts the training mean (or class shares), shrunk toward
/// zero (or uniform) by its one parameter. Registering it is all it takes for `fit` to search it.
struct ShrunkMeanLearner: Learner {
    static let family = LearnerFamily(named: "shrunk_mean")
    static let capabilities = LearnerCapabilities(
        stopsAtDeadline: true, prunable: false, firstRung: 1, refitsOnAllRows: true,
        preprocessing: PreprocessingRecipe(name: "shrunk-mean", options: { var o = PreprocessingOptions(); o.standardize = false; return o }()))

    var shrink = 0.0
    var description: String { String(format: "shrunk mean: %.2f", shrink) }

    static func searchSpace(for shape: DataShape) -> SearchSpace {
        do { return try SearchSpace([.init("shrink", .float(0, 1), lowCost: .double(0))]) } catch {
            preconditionFailure("a space of one float parameter is valid: \(error)")
        }
    }
    init() {}
    init(configuration: Configuration, shape: DataShape) throws { shrink = configuration["shrink"]?.doubleValue ?? 0 }
    static func defaults(for shape: DataShape) -> ShrunkMeanLearner { ShrunkMeanLearner() }
    var configuration: Configuration { ["shrink": .double(shrink)] }
    func estimatedCost(for shape: DataShape) -> Double { 1e-4 }
    func estimatedMemory(for shape: DataShape) -> Int { 1024 }

    func fit(_ data: LabeledData, validation: LabeledData?, context: FitContext) throws -> FittedShrunkMean {
        let k = data.task.classCount
        var mean: [Double]
        if data.task.isClassification {
            mean = [Double](repeating: 0, count: k)
            for label in data.labels { mean[label] += 1 / Double(data.labels.count) }
            mean = mean.map { (1 - shrink) * $0 + shrink / Double(k) }
        } else {
            mean = [(1 - shrink) * data.values.reduce(0, +) / Double(max(1, data.values.count))]
        }
        return FittedShrunkMean(task: data.task, featureCount: data.features.columns, mean: mean)
    }
}

struct FittedShrunkMean: FittedModel {
    static let family = ShrunkMeanLearner.family
    var task: PredictionTask
    var featureCount: Int
    var mean: [Double]

    func predict(_ x: FeatureMatrix) throws -> Predictions {
        let rows = (0..<x.rows).flatMap { _ in mean }
        return task.isClassification ? .probabilities(rows, classes: mean.count) : .values(rows)
    }

    struct Saved: Codable { var task: PredictionTask; var featureCount: Int; var mean: [Double] }
    func bundle() throws -> ModelBundle {
        var b = ModelBundle(family: Self.family, parts: [:])
        try b.setJSON(Saved(task: task, featureCount: featureCount, mean: mean), as: "mean.json")
        return b
    }
    init(task: PredictionTask, featureCount: Int, mean: [Double]) {
        self.task = task
        self.featureCount = featureCount
        self.mean = mean
    }
    init(bundle: ModelBundle) throws {
        let s = try bundle.json(Saved.self, "mean.json")
        self.init(task: s.task, featureCount: s.featureCount, mean: s.mean)
    }
}

@Suite("A registered family") struct RegisteredFamilyTests {
    @Test("is searched, ensembled, saved and loaded by the runner, which knows it only by its capabilities")
    func fitsEndToEnd() throws {
        LearnerRegistry.register(ShrunkMeanLearner.self)
        #expect(LearnerFamily(rawValue: "shrunk_mean") == ShrunkMeanLearner.family)
        let frame = try CSVReader.read(path: Fixtures.repositoryRoot.appendingPathComponent("examples/iris/train.csv").path)
        var options = AutoMLOptions()
        options.families = [ShrunkMeanLearner.family]
        options.maxTrials = 6
        options.budget = .seconds(60)
        let model = try AutoML.fitSynchronously(frame, target: "species", options: options)
        #expect(model.leaderboard.entries.count == 6)
        #expect(model.leaderboard.entries.allSatisfy { $0.family == ShrunkMeanLearner.family && $0.state == .complete })
        #expect(model.members.allSatisfy { $0.family == ShrunkMeanLearner.family })
        // Its own recipe keys its features in the model folder.
        #expect(model.preprocessors.keys.allSatisfy { $0.hasPrefix("shrunk-mean-") })
        let folder = Fixtures.scratch.appendingPathComponent("registered-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try model.save(to: folder)
        let loaded = try AutoMLModel.load(from: folder)
        #expect(try loaded.predict(frame) == model.predict(frame))
        #expect(loaded.policy == SearchPolicy.standard, "the manifest records the policy")
    }
}
