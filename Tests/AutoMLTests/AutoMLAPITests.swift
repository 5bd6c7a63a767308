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

        let dir = Fixtures.scratch.appendingPathComponent("mlforge-api-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try model.save(to: dir)
        let loaded = try AutoMLModel.load(from: dir)
        #expect(try loaded.predict(test) == model.predict(test))
        #expect(loaded.leaderboard == model.leaderboard)
        #expect(loaded.policy == model.policy)

        // A folder written before a policy value existed still loads (the value reads as the standard
        // one); one whose policy cannot be read at all loads without it. The manifest is not checksummed.
        let manifestURL = dir.appendingPathComponent("manifest.json")
        var manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as? [String: Any])
        var policy = try #require(manifest["policy"] as? [String: Any])
        var scheduler = try #require(policy["scheduler"] as? [String: Any])
        #expect(scheduler.removeValue(forKey: "uncuttableShareOfTimeLeft") != nil)
        policy["scheduler"] = scheduler
        manifest["policy"] = policy
        try JSONSerialization.data(withJSONObject: manifest).write(to: manifestURL)
        let older = try AutoMLModel.load(from: dir)
        #expect(older.policy == .standard)
        #expect(try older.predict(test) == model.predict(test))
        policy["futureValue"] = 1
        manifest["policy"] = policy
        try JSONSerialization.data(withJSONObject: manifest).write(to: manifestURL)
        let unreadablePolicy = try AutoMLModel.load(from: dir)
        #expect(unreadablePolicy.policy == nil)
        #expect(try unreadablePolicy.predict(test) == model.predict(test))
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

    @Test("The plan names the columns left out; a member far costlier than the rest must earn its place, the same way every run")
    func leftOutColumnsAndCostlyMembers() throws {
        let iris = try CSVReader.read(path: Fixtures.repositoryRoot.appendingPathComponent("examples/iris/train.csv").path)
        let ids = Column(name: "id", storage: .categorical(codes: (0..<Int32(iris.rowCount)).map { $0 },
                                                           levels: (0..<iris.rowCount).map { String(format: "r%04d", $0) }))
        let frame = try DataFrame(columns: [ids] + iris.columns + [Column(name: "copy", storage: iris.columns[0].storage)])
        var options = AutoMLOptions()
        options.budget = .seconds(60)
        options.maxTrials = 10
        options.threads = 1
        options.families = [.knn, .linear, .xgboost]
        // The hand-set portfolios' trials (this tests the cost rule, not the prior's choice of trials).
        options.prior = nil
        // Every member is "costly" against the rest: each must pass the held-out test to stay.
        options.policy.ensemble.costlyMemberMsPer1000 = 0
        options.policy.ensemble.costlyMemberFactor = 1
        func run() throws -> (AutoMLModel, [String]) {
            let lines = LockedBox<[String]>([])
            var o = options
            o.log = { event in
                switch event {
                case .plan(let line), .phase(let line): lines.withLock { $0.append(line) }
                default: break
                }
            }
            return (try AutoML.fitSynchronously(frame, target: "species", options: o), lines.withLock { $0 })
        }
        let (model, lines) = try run()
        let firstName = iris.columns[0].name
        #expect(lines.contains("left out 2 columns: 'id' (every value is different (an identifier?)), 'copy' (the same values as '\(firstName)')"),
                "\(lines)")
        let costly = lines.filter { $0.contains("an estimated") && ($0.contains("leaves the ensemble") || $0.contains("stays in the ensemble")) }
        #expect(!costly.isEmpty, "\(lines)")
        #expect(!model.members.isEmpty)
        // Estimated costs, not a clock: the same seed and trial cap give the same decisions and members.
        let (again, againLines) = try run()
        #expect(againLines.filter { $0.contains("an estimated") } == costly)
        #expect(again.members.map(\.trial) == model.members.map(\.trial))
        // With the standard thresholds nothing this cheap is questioned.
        options.policy = .standard
        let (_, standardLines) = try run()
        #expect(!standardLines.contains { $0.contains("an estimated") })
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
