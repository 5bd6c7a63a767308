import AutoML
import Foundation
import Learners
import MLData
import Testing
import TestSupport

/// The Swift API the CLI calls: fit, predict, evaluate, save and load.
@Suite struct AutoMLAPITests {
    @Test func fitPredictSaveLoad() async throws {
        let examples = Fixtures.repositoryRoot.appendingPathComponent("examples")
        let train = try CSVReader.read(path: examples.appendingPathComponent("iris/train.csv").path)
        let test = try CSVReader.read(path: examples.appendingPathComponent("iris/test.csv").path)
        let model = try await AutoML.fit(train, target: "species", budget: .seconds(2))
        #expect(model.task == .multiclass(classes: 3))
        #expect(model.classes == ["setosa", "versicolor", "virginica"])
        #expect(!model.members.isEmpty && abs(model.members.map(\.weight).reduce(0, +) - 1) < 1e-9)
        #expect(model.leaderboard.entries.count >= 5)
        let labels = try model.predictLabels(test)
        #expect(labels.count == test.rowCount)
        let scores = try model.evaluate(test)
        #expect((scores["accuracy"] ?? 0) > 0.85, "\(scores)")

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mlforge-api-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try model.save(to: dir)
        let loaded = try AutoMLModel.load(from: dir)
        #expect(try loaded.predict(test) == model.predict(test))
        #expect(loaded.leaderboard == model.leaderboard)
    }

    @Test func ambiguousTargetsAskForTheTask() throws {
        var text = "x,grade\n"
        for i in 0..<18 { text += "\(i),\(i % 4 + 1)\n" }
        let frame = try CSVReader.read(text: text)
        var options = AutoMLOptions()
        options.budget = .seconds(1)
        #expect { try AutoML.fitSynchronously(frame, target: "grade", options: options) } throws: { "\($0)".contains("--task") }
        // A caller can match the case, and its facts, instead of reading the message.
        #expect(throws: AutoMLError.ambiguousTask(target: "grade", distinctValues: 4)) {
            try AutoML.fitSynchronously(frame, target: "grade", options: options)
        }
        #expect(throws: AutoMLError.missingTarget("grades", columns: ["x", "grade"])) {
            try AutoML.fitSynchronously(frame, target: "grades", options: options)
        }
        options.task = .regression
        let model = try AutoML.fitSynchronously(frame, target: "grade", options: options)
        #expect(model.task == .regression)
    }

    @Test("Whole-number classes are taken as classes, and the log says so with the override")
    func wholeNumberClasses() throws {
        var text = "a,b,digit\n"
        for i in 0..<120 { text += "\(i % 7),\(Double(i % 5) * 0.5),\(i % 6 + 1)\n" }
        let frame = try CSVReader.read(text: text)
        var options = AutoMLOptions()
        options.budget = .seconds(1)
        options.maxTrials = 2
        let lines = LockedBox<[String]>([])
        options.log = { event in if case .plan(let line) = event { lines.withLock { $0.append(line) } } }
        let model = try AutoML.fitSynchronously(frame, target: "digit", options: options)
        #expect(model.task == .multiclass(classes: 6))
        #expect(model.classes == ["1", "2", "3", "4", "5", "6"])
        #expect(lines.withLock { $0 }.contains { $0.contains("taken as 6 classes") && $0.contains("--task regression") })
    }

    @Test("--max-latency-ms and --max-model-mb bound the final model; limits nothing meets are an error")
    func modelLimits() throws {
        let frame = try CSVReader.read(path: Fixtures.repositoryRoot.appendingPathComponent("examples/iris/train.csv").path)
        var options = AutoMLOptions()
        options.budget = .seconds(20)
        options.maxTrials = 8
        let free = try AutoML.fitSynchronously(frame, target: "species", options: options)
        let measured = free.leaderboard.entries.compactMap(\.predictMsPer1000)
        #expect(measured.count == free.leaderboard.entries.filter { $0.state == .complete }.count && measured.allSatisfy { $0 > 0 })
        #expect(free.leaderboard.table().contains("predict ms/1k rows"))
        // A limit between the fastest and the slowest trial: the members together keep within it.
        let limit = (measured.min()! + measured.max()!) / 2 / 1000
        options.maxLatencyMs = limit
        let bounded = try AutoML.fitSynchronously(frame, target: "species", options: options)
        let members = bounded.leaderboard.entries.filter { $0.weight > 0 }
        #expect(!members.isEmpty)
        #expect(members.reduce(0) { $0 + ($1.predictMsPer1000 ?? .infinity) / 1000 } <= limit, "\(members.map(\.predictMsPer1000))")
        options.maxLatencyMs = 1e-9
        #expect { try AutoML.fitSynchronously(frame, target: "species", options: options) } throws: { "\($0)".contains("--max-latency-ms") }
        options.maxLatencyMs = nil
        options.maxModelBytes = 1
        #expect { try AutoML.fitSynchronously(frame, target: "species", options: options) } throws: { "\($0)".contains("--max-model-mb") }
    }
}
