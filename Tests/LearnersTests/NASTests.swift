import AutoML
import Foundation
import Learners
import MLData
import NN
import Search
import Tensor
import Testing
import TestSupport

/// The architecture-search spaces, the NAS learner and its place in `fit`.
@Suite(.serialized) struct NASTests {
    static func shape(_ space: NetworkSpace, input: [Int] = [], rows: Int = 500, classes: Int = 3, categorical: Int = 0) -> DataShape {
        var s = DataShape(rows: rows, features: input.isEmpty ? 12 : input.reduce(1, *), task: .classification(classes: classes),
                          categoricalGroups: categorical)
        s.inputShape = input.isEmpty ? nil : input
        s.networkSpace = space
        return s
    }

    /// Multiply–adds are counted from the design alone; checked against hand counts (linear layers:
    /// inputs × outputs; convolutions: output positions × channels² × kernel size, the reduction at the
    /// halved resolution; a cell whose output nothing reaches counts nothing).
    @Test func multiplyAddsFromTheDesign() {
        let mlp = NASLearner(architecture: .mlp(.init(widths: [8, 4], activation: .relu, normalization: .none, dropout: 0,
                                                      residual: false, embeddingSize: nil)))
        let mlpTotal: Double = 10 * 8 + 8 * 4 + 4 * 3
        #expect(mlp.macs(features: 10, outputs: 3) == mlpTotal)
        let edges = [CellSpace.Edge(from: 0, to: 1, op: "conv3"), .init(from: 1, to: 3, op: "conv5"), .init(from: 0, to: 3, op: "skip")]
        let cells = NetworkArchitecture.CellDesign(inputShape: [16], channels: 8, stages: 2, cellsPerStage: 1, edges: edges, head: .pool)
        let stem: Double = 16 * 8 * 3
        let stage0: Double = 16 * 8 * 8 * 3 + 16 * 8 * 8 * 5
        let reduction: Double = 8 * 8 * 16 * 3
        let stage1: Double = 8 * 16 * 16 * 3 + 8 * 16 * 16 * 5
        let head: Double = 16 * 6
        let total: Double = stem + stage0 + reduction + stage1 + head
        #expect(NASLearner(architecture: .cells(cells)).macs(features: 16, outputs: 6) == total)
        var image = cells
        image.inputShape = [4, 4]
        image.stages = 1
        image.head = .flatten
        let imageTotal: Double = 16 * 8 * 9 + 16 * 8 * 8 * 9 + 16 * 8 * 8 * 25 + 8 * 16 * 2
        #expect(NASLearner(architecture: .cells(image)).macs(features: 16, outputs: 2) == imageTotal)
        var cut = cells
        cut.edges = [.init(from: 0, to: 1, op: "conv3")]  // node 3 unreachable: the cell outputs zeros
        let cutTotal: Double = stem + reduction + head
        #expect(NASLearner(architecture: .cells(cut)).macs(features: 16, outputs: 6) == cutTotal)
    }

    /// Every space: random points freeze into designs that build, run and flatten back to the same point.
    @Test(arguments: [
        (NetworkSpace.mlp, [Int](), 0), (.mlp, [], 2), (.conv1d, [40], 0), (.cell2d, [8, 8], 0), (.cell2d, [5, 7], 0),
    ])
    func spacesFreezeBuildAndFlattenBack(space: NetworkSpace, input: [Int], categorical: Int) throws {
        let shape = Self.shape(space, input: input, categorical: categorical)
        let flat = NASLearner.searchSpace(for: shape)
        var rng = SeededGenerator(seed: 11)
        var seenOps: Set<String> = []
        for _ in 0..<25 {
            let c = flat.sample(using: &rng)
            let learner = try NASLearner(configuration: c, shape: shape)
            #expect(learner.configuration == c, "flattening the frozen design gives another point: \(learner.configuration) vs \(c)")
            try flat.validate(learner.configuration)
            #expect(learner.architecture.space == space)
            if case .cells(let d) = learner.architecture { for e in d.edges { seenOps.insert(e.op) } }
            let groups = categorical > 0 ? [0..<3, 3..<5] : []
            let built = learner.architecture.makeNetwork(features: shape.features, groups: groups, outputs: 3)
            let out = Trainer.predict(built, Tensor(shape: [4, shape.features], scalars: (0..<(4 * shape.features)).map { Float($0 % 5) }))
            #expect(out.shape == [4, 3])
            #expect(out.scalars.allSatisfy { $0.isFinite })
        }
        if space != .mlp {
            // The cell edges take every operation of the space but the empty one somewhere in 25 samples.
            #expect(seenOps == Set(space.operations.dropFirst()), "\(seenOps)")
        }
        #expect(try NASLearner(configuration: flat.lowCostPoint, shape: shape).estimatedCost(for: shape) < 1)
    }

    @Test func stagesFollowTheInputSize() {
        #expect(NetworkSearchSpace(space: .cell2d, inputShape: [8, 8], rows: 10).maxStages == 3)
        #expect(NetworkSearchSpace(space: .cell2d, inputShape: [4, 6], rows: 10).maxStages == 2)
        #expect(NetworkSearchSpace(space: .conv1d, inputShape: [3], rows: 10).maxStages == 1)
        #expect(NetworkSearchSpace(space: .conv1d, inputShape: [256], rows: 10).maxStages == 3)
    }

    @Test func aCellWhoseOutputCannotBeReachedOutputsZeros() throws {
        let d = NetworkArchitecture.CellDesign(inputShape: [16], channels: 4, stages: 1, cellsPerStage: 1,
                                               edges: [.init(from: 0, to: 1, op: "conv3"), .init(from: 1, to: 2, op: "skip")], head: .pool)
        #expect(!d.isConnected)
        let connected = NetworkArchitecture.CellDesign(inputShape: [16], channels: 4, stages: 1, cellsPerStage: 1,
                                                       edges: [.init(from: 0, to: 2, op: "conv3"), .init(from: 2, to: 3, op: "skip")], head: .pool)
        #expect(connected.isConnected)
        // Without a path to its output, every row gets the same output (the head's bias).
        let net = NetworkArchitecture.cells(d).makeNetwork(features: 16, groups: [], outputs: 2)
        var rng = SeededGenerator(seed: 1)
        let x = Tensor(shape: [3, 16], scalars: (0..<48).map { _ in Float(Double(rng.next() >> 11) * 0x1.0p-53) })
        let out = Trainer.predict(net, x).scalars
        #expect(out[0] == out[2] && out[0] == out[4] && out[1] == out[3])
        let other = Trainer.predict(NetworkArchitecture.cells(connected).makeNetwork(features: 16, groups: [], outputs: 2), x).scalars
        #expect(other[0] != other[2])
    }

    @Test func theDescriptionReadsLikeACell() throws {
        let shape = Self.shape(.cell2d, input: [8, 8])
        let text = NASLearner.defaults(for: shape).architecture.description
        #expect(text.hasPrefix("cell: 0→1 conv3x3, 1→2 conv3x3, 0→3 skip, 2→3 skip; 2 stages × 1 cell, 32 channels"), "\(text)")
    }

    /// The profile (parameters, latency) depends on the design alone, and matches the trained network.
    @Test func profileMatchesTheTrainedNetwork() throws {
        let prepared = try #require(try SharedData.prepare("signal", for: .nas))
        var shape = prepared.train.shape
        shape.inputShape = [64]
        var learner = try NASLearner.lowCost(for: shape)
        learner.epochs = 2
        let model = try learner.fit(prepared.train, validation: nil, context: FitContext(seed: 1))
        let profile = learner.profile(features: 64, outputs: 6)
        #expect(profile.parameters == model.parameterCount)
        #expect(profile.latencyMs > 0 && profile.latencyMs < 1000)
    }

    /// The learner contract (round trip, determinism, deadline, stopping, validation) for the MLP macro
    /// space on titanic, iris and diabetes, and for a 1-D cell network on the signal example.
    @Test func conformance() throws {
        let mlp = NASLearner(architecture: .mlp(.init(widths: [32, 16], activation: .gelu, normalization: .layer, dropout: 0.1,
                                                      residual: false, embeddingSize: 4, searchesEncoding: true)))
        var tabular = mlp
        tabular.epochs = 15
        var slowTabular = mlp
        slowTabular.epochs = 1_000_000
        slowTabular.patience = 1_000_000
        slowTabular.batchSize = 8
        for name in ConformanceTests.datasets {
            let prepared = try #require(try SharedData.prepare(name, for: .nas))
            let problems = try LearnerConformance.check(tabular, slow: slowTabular, on: prepared.train)
            #expect(problems.isEmpty, "nas (mlp) on \(name): \(problems.joined(separator: "; "))")
        }
        let signal = try #require(try SharedData.prepare("signal", for: .nas))
        var cells = NASLearner(architecture: .cells(.init(
            inputShape: [64], channels: 6, stages: 2, cellsPerStage: 1,
            edges: [.init(from: 0, to: 1, op: "conv3"), .init(from: 1, to: 3, op: "dilconv3"), .init(from: 0, to: 3, op: "avgpool3")],
            head: .pool)))
        cells.epochs = 4
        var slowCells = cells
        slowCells.epochs = 1_000_000
        slowCells.patience = 1_000_000
        slowCells.batchSize = 4
        let problems = try LearnerConformance.check(cells, slow: slowCells, on: signal.train, fixedLayout: true)
        #expect(problems.isEmpty, "nas (conv1d) on the signal: \(problems.joined(separator: "; "))")
    }

    /// A small NAS-Bench-201 cell network learns digits (8×8 images) in a couple of seconds.
    @Test func aCellNetworkLearnsDigits() throws {
        let prepared = try #require(try SharedData.prepare("digits", for: .nas))
        var shape = prepared.train.shape
        shape.inputShape = [8, 8]
        #expect(prepared.train.features.columns == 64, "the NAS preprocessing keeps every pixel, constant ones too")
        let learner = try NASLearner.lowCost(for: shape)
        let model = try learner.fit(prepared.train, validation: nil, context: FitContext(seed: 2))
        let accuracy = try prepared.score(try model.predict(prepared.test.features))
        #expect(accuracy >= 0.93, "accuracy \(accuracy)")
    }

    @Test func aShapeThatDoesNotFitTheFeaturesIsAClearError() throws {
        let prepared = try #require(try SharedData.prepare("signal", for: .nas))
        var shape = prepared.train.shape
        shape.inputShape = [8, 9]
        let learner = try NASLearner.lowCost(for: shape)
        #expect {
            _ = try learner.fit(prepared.train, validation: nil, context: FitContext())
        } throws: { "\($0)".contains("needs 72 numeric features, but the data has 64") }
    }
}

/// Signals and images recognised from their column names; `--shape` parsed.
@Suite struct InputLayoutTests {
    func frame(_ names: [String], target: String = "y") -> DataFrame {
        var columns = names.map { Column(name: $0, storage: .double([1, 2, 3])) }
        columns.append(Column(name: target, storage: .categorical(codes: [0, 1, 0], levels: ["a", "b"])))
        return try! DataFrame(columns: columns)
    }

    @Test func detectsImagesAndSignals() {
        let pixels = (0..<8).flatMap { r in (0..<8).map { "pixel_\(r)_\($0)" } }
        #expect(InputLayout.detect(frame(pixels), target: "y")?.shape == [8, 8])
        #expect(InputLayout.detect(frame((0..<40).map { "t\($0)" }), target: "y")?.shape == [40])
        #expect(InputLayout.detect(frame((1...20).map { "sample-\($0)" }), target: "y")?.shape == [20])
        let grid = (0..<4).flatMap { r in (0..<5).map { "px\(r)x\($0)" } }
        #expect(InputLayout.detect(frame(grid), target: "y") == nil, "'x' is not an index separator")
        // Zero-padded indices, another separator, and a square count under a pixel stem.
        #expect(InputLayout.detect(frame((0..<40).map { String(format: "x%02d", $0) }), target: "y")?.shape == [40])
        #expect(InputLayout.detect(frame((1...32).map { "V\($0)" }), target: "y")?.shape == [32])
        #expect(InputLayout.detect(frame((0..<64).map { "pixel\($0)" }), target: "y")?.shape == [8, 8])
        #expect(InputLayout.detect(frame((0..<64).map { "t\($0)" }), target: "y")?.shape == [64], "a square count alone is a signal")
        // An image whose corner never varies is still an image.
        var columns = pixels.map { Column(name: $0, storage: .double([1, 2, 3])) }
        columns[0] = Column(name: pixels[0], storage: .double([0, 0, 0]))
        columns.append(Column(name: "y", storage: .categorical(codes: [0, 1, 0], levels: ["a", "b"])))
        #expect(InputLayout.detect(try! DataFrame(columns: columns), target: "y")?.shape == [8, 8])
    }

    @Test("Numbered columns on different scales, or with gaps, are an ordinary table")
    func scalesAndGaps() {
        var columns = (0..<20).map { Column(name: "f\($0)", storage: .double([1, 2, 3])) }
        columns[7] = Column(name: "f7", storage: .double([1000, 5000, 9000]))
        columns.append(Column(name: "y", storage: .categorical(codes: [0, 1, 0], levels: ["a", "b"])))
        #expect(InputLayout.detect(try! DataFrame(columns: columns), target: "y") == nil, "one column in other units")
        #expect(InputLayout.detect(frame((0..<20).map { "t\($0 * 2)" }), target: "y") == nil, "indices with gaps")
    }

    @Test("--shape none turns detection off; a size sets the shape")
    func shapeOption() throws {
        var options = AutoMLOptions()
        try InputLayout.apply("none", to: &options)
        #expect(!options.detectsInputLayout && options.inputShape == nil)
        var sized = AutoMLOptions()
        try InputLayout.apply("8x8", to: &sized)
        #expect(sized.detectsInputLayout && sized.inputShape == [8, 8])
        #expect { try InputLayout.apply("nothing", to: &sized) } throws: { "\($0)".contains("or none") }
    }

    @Test func ordinaryTablesAreNotSignals() {
        #expect(InputLayout.detect(frame((0..<10).map { "t\($0)" }), target: "y") == nil, "too few columns")
        #expect(InputLayout.detect(frame((0..<20).map { "t\($0)" }.reversed()), target: "y") == nil, "not in order")
        #expect(InputLayout.detect(frame((0..<19).map { "t\($0)" } + ["age"]), target: "y") == nil, "another stem")
        let missingPixel = (0..<4).flatMap { r in (0..<5).map { "p_\(r)_\($0)" } }.filter { $0 != "p_2_2" }
        #expect(InputLayout.detect(frame(missingPixel), target: "y") == nil, "not a full grid")
    }

    @Test("Independent numbered columns are not a signal; samples that move together are")
    func neighbourCorrelation() {
        var rng = SeededGenerator(seed: 12)
        func gaussian() -> Double {
            (-2 * Foundation.log(Double.random(in: Double.ulpOfOne..<1, using: &rng))).squareRoot() * Foundation.cos(2 * .pi * Double.random(in: 0..<1, using: &rng))
        }
        let rows = 600
        let labels = (0..<rows).map { Int32($0 % 2) }
        var independent = (0..<40).map { c in Column(name: "f\(c)", storage: .double((0..<rows).map { _ in gaussian() })) }
        independent.append(Column(name: "y", storage: .categorical(codes: labels, levels: ["a", "b"])))
        #expect(InputLayout.detect(try! DataFrame(columns: independent), target: "y") == nil, "independent N(0, 1) columns")
        // A noisy sine of random phase per row, sampled 40 times: neighbours move together.
        let phases = (0..<rows).map { _ in Double.random(in: 0..<(2 * .pi), using: &rng) }
        let noise = (0..<(rows * 40)).map { _ in 0.3 * gaussian() }
        var signal: [Column] = []
        for t in 0..<40 {
            let values: [Double] = (0..<rows).map { r in Foundation.sin(phases[r] + Double(t) / 4) + noise[r * 40 + t] }
            signal.append(Column(name: String(format: "x%02d", t), storage: .double(values)))
        }
        signal.append(Column(name: "y", storage: .categorical(codes: labels, levels: ["a", "b"])))
        #expect(InputLayout.detect(try! DataFrame(columns: signal), target: "y")?.shape == [40])
    }

    @Test func parsesShapes() throws {
        #expect(try InputLayout.parse("40") == [40])
        #expect(try InputLayout.parse("8x8") == [8, 8])
        #expect(try InputLayout.parse("28X28") == [28, 28])
        for bad in ["", "8x", "0", "8x8x8", "a"] {
            #expect(throws: AutoMLError.self) { try InputLayout.parse(bad) }
        }
    }
}

/// Architecture search inside `fit`, and on its own through the API.
@Suite(.serialized) struct NASSearchTests {
    static func signal() throws -> (DataFrame, DataFrame) {
        let root = Fixtures.repositoryRoot.appendingPathComponent("examples/signal")
        return (try CSVReader.read(path: root.appendingPathComponent("train.csv").path),
                try CSVReader.read(path: root.appendingPathComponent("test.csv").path))
    }

    final class Incumbents: @unchecked Sendable {
        var items: [Incumbent] = []
        let lock = NSLock()
        func add(_ i: Incumbent) { lock.lock(); items.append(i); lock.unlock() }
    }

    /// A signal dataset brings the NAS family into `fit` by itself, and its networks can join the ensemble.
    @Test func fitSearchesArchitecturesForSignals() throws {
        let (train, test) = try Self.signal()
        var options = AutoMLOptions()
        options.budget = .seconds(8)
        options.families = nil
        let lines = LogLines()
        options.log = { if case .plan(let text) = $0 { lines.add(text) } }
        let model = try AutoML.fitSynchronously(train, target: "shape", options: options)
        #expect(lines.items.contains { $0.contains("one signal in order") && $0.contains("conv1d") }, "\(lines.items)")
        let nas = model.leaderboard.entries.filter { $0.family == .nas && $0.state == .complete }
        #expect(!nas.isEmpty)
        #expect(nas.allSatisfy { ($0.parameters ?? 0) > 0 && ($0.latencyMs ?? 0) > 0 && $0.summary.contains("cell: ") })
        let scores = try model.evaluate(test)
        #expect((scores["accuracy"] ?? 0) > 0.4)
    }

    /// The search on its own: every strategy runs, the constraint holds for every network trained, the
    /// incumbents improve and predict, and the report's front is non-dominated.
    @Test(arguments: SearchStrategyKind.allCases)
    func architectureSearch(strategy: SearchStrategyKind) throws {
        let (train, test) = try Self.signal()
        var options = AutoMLOptions.architectureSearch(strategy: strategy, budget: .seconds(6), seed: 3)
        options.maxParameters = 20_000
        options.metric = .accuracy
        let incumbents = Incumbents()
        options.onIncumbent = { incumbents.add($0) }
        let model = try AutoML.fitSynchronously(train, target: "shape", options: options)
        #expect(model.members.count == 1 && model.members[0].family == .nas)
        let report = NASReport(leaderboard: model.leaderboard, strategy: strategy, seed: 3)
        let trained = report.trials.filter { $0.state == .complete || $0.state == .pruned }
        #expect(trained.count >= 2)
        #expect(trained.allSatisfy { ($0.parameters ?? .max) <= 20_000 })
        #expect(report.trials.contains { ($0.note ?? "").contains("over the limit of 20000") }
                || trained.count == report.trials.count)
        // (Under accuracy an incumbent may tie the one before it, with a better log loss.)
        let scores = incumbents.items.map(\.score)
        #expect(zip(scores, scores.dropFirst()).allSatisfy { $0 <= $1 } && Set(incumbents.items.map(\.trial)).count == scores.count)
        let last = try #require(incumbents.items.last)
        #expect(last.trial == report.chosen?.trial)
        let p = try last.predict(test)
        #expect(p.rows == test.rowCount)
        // The front: nothing on it is beaten on all three objectives by another complete trial.
        let front = report.paretoFront
        #expect(!front.isEmpty && front.first?.score == report.chosen?.score)
        for a in front {
            for b in report.trials where b.state == .complete {
                let dominates = b.score! >= a.score! && b.parameters! <= a.parameters! && b.latencyMs! <= a.latencyMs!
                    && (b.score! > a.score! || b.parameters! < a.parameters! || b.latencyMs! < a.latencyMs!)
                #expect(!dominates, "trial \(b.trial) dominates trial \(a.trial) on the front")
            }
        }
        let history = report.historyCSV.split(separator: "\n")
        #expect(history.count == report.trials.count + 1)
        #expect(history[0] == "strategy,seed,trial,elapsed_s,state,score,best_score,parameters,latency_ms,architecture")
    }

    /// `--shape none`: the same signal is an ordinary table, and no architecture is searched.
    @Test func shapeNoneKeepsTheTableTabular() throws {
        let (train, _) = try Self.signal()
        var options = AutoMLOptions()
        options.budget = .seconds(3)
        options.maxTrials = 3
        options.detectsInputLayout = false
        let lines = LogLines()
        options.log = { if case .plan(let text) = $0 { lines.add(text) } }
        let model = try AutoML.fitSynchronously(train, target: "shape", options: options)
        #expect(!lines.items.contains { $0.contains("signal") }, "\(lines.items)")
        #expect(!model.leaderboard.entries.contains { $0.family == .nas })
    }

    @Test func aShapeThatDoesNotMatchTheColumnsIsRefused() throws {
        let (train, _) = try Self.signal()
        var options = AutoMLOptions.architectureSearch(strategy: .random, budget: .seconds(2))
        options.inputShape = [7, 7]
        #expect { _ = try AutoML.fitSynchronously(train, target: "shape", options: options) } throws: {
            "\($0)".contains("has 49 values but the data has 64 input columns")
        }
        options.inputShape = nil
        options.networkSpace = .cell2d
        #expect { _ = try AutoML.fitSynchronously(train, target: "shape", options: options) } throws: {
            "\($0)".contains("needs rows that are an image")
        }
    }
}

final class LogLines: @unchecked Sendable {
    var items: [String] = []
    let lock = NSLock()
    func add(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
}
