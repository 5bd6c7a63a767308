import Foundation
import MLData
import NN
import Search
import Tensor

/// A network designed by architecture search: a point of one of the NAS spaces (`NetworkSearchSpace`)
/// frozen into a design, trained from scratch on the Tensor / NN engine (AdamW or SGD with momentum, a
/// cosine schedule, mini-batches, early stopping on validation rows with the best epoch's weights kept).
///
/// As a learner family it takes part in `fit` like any other: the search strategy proposes points of
/// its space, ASHA prunes on its per-epoch validation reports, and its models can join the ensemble.
public struct NASLearner: Learner {
    public static let family = LearnerFamily.nas

    public enum Optimizer: String, Codable, Sendable, CaseIterable { case adamw, sgd }

    public var architecture: NetworkArchitecture
    public var optimizer = Optimizer.adamw
    public var learningRate = 3e-3
    public var weightDecay = 1e-5
    public var batchSize = 128
    public var epochs = 30
    public var patience = 15

    public init(architecture: NetworkArchitecture) { self.architecture = architecture }

    /// The space for data of this shape: the shape's `networkSpace`, else conv1d for a signal, cell2d for
    /// an image and the MLP macro space otherwise.
    public static func space(for shape: DataShape) -> NetworkSearchSpace {
        let kind = shape.networkSpace ?? NetworkSpace.forShape(shape.inputShape)
        return NetworkSearchSpace(space: kind, inputShape: kind == .mlp ? [] : (shape.inputShape ?? []),
                                  categoricalGroups: shape.categoricalGroups, rows: shape.rows)
    }

    public static func searchSpace(for shape: DataShape) -> SearchSpace {
        do { return try space(for: shape).simplify() } catch { preconditionFailure("the NAS space is malformed: \(error)") }
    }

    public init(configuration c: Configuration, shape: DataShape) throws {
        architecture = try Self.space(for: shape).freeze(c)
        let r = ConfigurationReader(c, learner: "nas")
        optimizer = try r.choice("optimizer", as: Optimizer.self)
        learningRate = try r.double(optimizer == .adamw ? "learning_rate" : "sgd_learning_rate")
        weightDecay = try r.double("weight_decay")
        batchSize = try r.int("batch_size")
        epochs = try r.int("epochs")
    }

    /// A residual block of two 3-wide convolutions for signals and images (32 channels, two stages),
    /// two 128-unit blocks for tables; AdamW with a cosine schedule.
    public static func defaults(for shape: DataShape) -> NASLearner {
        let s = space(for: shape)
        var n: NASLearner
        switch s.space {
        case .mlp:
            n = NASLearner(architecture: .mlp(.init(widths: [128, 128], activation: .relu, normalization: .batch, dropout: 0.1,
                                                    residual: false, embeddingSize: shape.categoricalGroups > 0 ? 8 : nil,
                                                    searchesEncoding: shape.categoricalGroups > 0)))
        case .conv1d, .cell2d:
            let conv = s.space.operations[3]
            n = NASLearner(architecture: .cells(.init(
                inputShape: shape.inputShape ?? [], channels: 32, stages: min(2, s.maxStages), cellsPerStage: 1,
                edges: [.init(from: 0, to: 1, op: conv), .init(from: 1, to: 2, op: conv), .init(from: 0, to: 3, op: "skip"),
                        .init(from: 2, to: 3, op: "skip")], head: s.space == .conv1d ? .pool : .flatten)))
        }
        n.epochs = min(60, max(20, 3000 * n.batchSize / max(1, shape.rows)))
        return n
    }

    public static func portfolio(for shape: DataShape) -> [Configuration] { [defaults(for: shape).configuration] }

    public var configuration: Configuration {
        var c = NetworkSearchSpace.configuration(of: architecture)
        c["optimizer"] = .string(optimizer.rawValue)
        c[optimizer == .adamw ? "learning_rate" : "sgd_learning_rate"] = .double(learningRate)
        c["weight_decay"] = .double(weightDecay)
        c["batch_size"] = .int(batchSize)
        c["epochs"] = .int(epochs)
        return c
    }

    public var description: String {
        "nas " + architecture.description + String(format: "; %@ lr %.2g, batch %d, %d epochs", optimizer.rawValue, learningRate, batchSize, epochs)
    }

    func validate(features: Int) throws {
        guard learningRate > 0, batchSize >= 1, epochs >= 1, weightDecay >= 0 else {
            throw LearnerError.invalidConfiguration("nas: learning rate, batch size and epochs must be positive")
        }
        if case .cells(let d) = architecture, d.inputShape.reduce(1, *) != features {
            let shape = d.inputShape.map(String.init).joined(separator: "x")
            throw LearnerError.invalidData("the input shape \(shape) needs \(d.inputShape.reduce(1, *)) numeric features, but the data has \(features); give the right --shape, or drop the columns that are not part of the signal")
        }
    }

    /// Multiply–adds of one forward pass per row.
    public func macs(features: Int, outputs: Int) -> Double {
        NetworkBuilder.build(architecture, features: features, groups: [], outputs: outputs, seed: 0).macs
    }

    /// Trainable parameters and the measured latency of predicting one row (median of several runs, in
    /// milliseconds) of the untrained network: both depend on the design alone.
    public func profile(features: Int, groups: [Range<Int>] = [], outputs: Int) -> (parameters: Int, latencyMs: Double) {
        let built = NetworkBuilder.build(architecture, features: features, groups: groups, outputs: outputs, seed: 0)
        let net = built.network
        net.eval()
        let x = Tensor(shape: [1, features], scalars: (0..<features).map { Float($0 % 7) * 0.1 })
        var times: [Double] = []
        withNoGrad {
            for i in 0..<9 {
                let t = ContinuousClock.now
                _ = net(x)
                if i >= 2 { times.append((ContinuousClock.now - t).inSeconds * 1000) }
            }
        }
        return (net.parameterCount, times.sorted()[times.count / 2])
    }

    public func estimatedCost(for shape: DataShape) -> Double {
        let outputs = max(1, shape.task.classCount)
        let m = macs(features: max(1, shape.features), outputs: outputs)
        let steps = Double(epochs) * Double((shape.rows + batchSize - 1) / max(1, batchSize))
        // Forward and backward: about 3 × 2 flops per multiply–add; convolutions run slower than matrix products.
        let rate = architecture.space == .mlp ? 3e9 : 5e9
        let layers = architecture.space == .mlp ? 4.0 : 12.0
        return 0.005 + 6 * m * Double(shape.rows) * Double(epochs) / rate + steps * 40e-6 * layers
    }

    public func estimatedMemory(for shape: DataShape) -> Int {
        let outputs = max(1, shape.task.classCount)
        let activations: Int
        switch architecture {
        case .mlp(let m): activations = m.widths.reduce(0, +) * 6
        case .cells(let d): activations = d.inputShape.reduce(1, *) * d.channels * (4 + 6 * d.cellsPerStage * max(1, d.edges.count)) * 2
        }
        let params = Int(macs(features: max(1, shape.features), outputs: outputs) / 10) + 1000
        return 4 * (4 * params + batchSize * activations) + 8 * shape.rows * max(1, shape.features)
    }

    public func fit(_ data: LabeledData, validation: LabeledData?, context: FitContext) throws -> FittedNAS {
        try validate(features: data.features.columns)
        guard data.rows > 0 else { throw LearnerError.invalidData("no training rows") }
        if data.features.values.contains(where: { !$0.isFinite }) {
            throw LearnerError.invalidData("a network needs finite features; impute missing values first")
        }
        let task = data.task
        let outputs = task == .regression ? 1 : task.classCount
        let scale = TargetScale(task == .regression ? data.values : [])
        let groups = data.features.categoricalGroups
        let built = NetworkBuilder.build(architecture, features: data.features.columns, groups: groups, outputs: outputs, seed: context.seed)
        let (mean, sd) = Self.inputStatistics(data.features, perFeature: architecture.space == .mlp, groups: groups)
        built.input.set(mean: mean, scale: sd)
        let network = built.network
        let params = network.trainableParameters()
        let opt: any NN.Optimizer = optimizer == .adamw
            ? Adam(params, learningRate: learningRate, weightDecay: weightDecay, decoupledWeightDecay: true)
            : SGD(params, learningRate: learningRate, momentum: 0.9, nesterov: true, weightDecay: weightDecay)
        var options = TrainingOptions()
        options.epochs = epochs
        options.batchSize = batchSize
        options.patience = validation != nil ? patience : nil
        options.restoreBest = validation != nil
        options.seed = context.seed
        options.deadline = context.deadline
        options.schedule = .cosine(minimumFactor: 0.01)
        options.clipNorm = optimizer == .sgd ? 5 : nil
        let metric = context.metric(for: task)
        let fitted = { (net: Sequential) in
            FittedNAS(task: task, featureCount: data.features.columns, groups: groups, learner: self, scale: scale, network: net)
        }
        let validationSet = validation.map { (x: FittedMLP.tensor($0.features), y: FittedMLP.targets($0, scale: scale)) }
        _ = Trainer.fit(
            network, optimizer: opt, x: FittedMLP.tensor(data.features), y: FittedMLP.targets(data, scale: scale),
            validation: validationSet,
            loss: { out, y in
                if case .classes = y { return Loss.softmaxCrossEntropy(out, targets: y) }
                guard case .values(let t) = y else { preconditionFailure("NAS: regression needs value targets") }
                return Loss.meanSquaredError(out, targets: t)
            },
            metric: validation.map { v in { out, _ in metric.score(fitted(network).predictions(from: out, rows: v.rows), v.target) } },
            options: options,
            onEpoch: { report in
                guard let score = report.validationMetric, let hook = context.report else { return .proceed }
                return hook(FitProgress(step: report.epoch + 1, score: score)) == .stop ? .stop : .proceed
            })
        return fitted(network)
    }

    /// Per-feature (tabular; one-hot columns keep 0/1) or global (signals and images) mean and scale.
    static func inputStatistics(_ x: FeatureMatrix, perFeature: Bool, groups: [Range<Int>]) -> ([Double], [Double]) {
        let n = max(1, x.rows)
        if !perFeature {
            let mean = x.values.reduce(0, +) / Double(max(1, x.values.count))
            let v = x.values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, x.values.count))
            return ([mean], [v > 1e-24 ? v.squareRoot() : 1])
        }
        var mean = [Double](repeating: 0, count: x.columns), sd = [Double](repeating: 1, count: x.columns)
        let binary = Set(groups.flatMap { Array($0) })
        for j in 0..<x.columns where !binary.contains(j) {
            var s = 0.0, ss = 0.0
            for i in 0..<x.rows { let v = x[i, j]; s += v; ss += v * v }
            let m = s / Double(n)
            let v = max(0, ss / Double(n) - m * m)
            mean[j] = m
            sd[j] = v > 1e-24 ? v.squareRoot() : 1
        }
        return (mean, sd)
    }
}

/// A trained NAS network: its design and training settings (JSON) and its weights (a state dict, input
/// statistics included).
public struct FittedNAS: FittedModel, @unchecked Sendable {
    public static let family = LearnerFamily.nas
    public let task: PredictionTask
    public let featureCount: Int
    let groups: [Range<Int>]
    public let learner: NASLearner
    let scale: TargetScale
    let network: Sequential
    private let lock = NSLock()

    init(task: PredictionTask, featureCount: Int, groups: [Range<Int>], learner: NASLearner, scale: TargetScale, network: Sequential) {
        self.task = task
        self.featureCount = featureCount
        self.groups = groups
        self.learner = learner
        self.scale = scale
        self.network = network
    }

    public var parameterCount: Int { network.parameterCount }

    func predictions(from out: Tensor, rows: Int) -> Predictions {
        if task == .regression { return .values(out.doubles.map { $0 * scale.scale + scale.mean }) }
        return Predictions.softmax(out.doubles, rows: rows, classes: task.classCount)
    }

    public func predict(_ x: FeatureMatrix) throws -> Predictions {
        try checkFeatures(x)
        if x.values.contains(where: { !$0.isFinite }) {
            throw LearnerError.invalidData("a network needs finite features; impute missing values first")
        }
        lock.lock()
        defer { lock.unlock() }
        return predictions(from: Trainer.predict(network, FittedMLP.tensor(x)), rows: x.rows)
    }

    struct Metadata: Codable {
        var task: PredictionTask
        var featureCount: Int
        var groups: [[Int]]
        var learner: NASLearner
        var scale: TargetScale
    }

    public func bundle() throws -> ModelBundle {
        lock.lock()
        let weights = StateDict.encode(network.stateDict())
        lock.unlock()
        var b = ModelBundle(family: Self.family, parts: ["weights.mlfgstat": weights])
        try b.setJSON(Metadata(task: task, featureCount: featureCount, groups: groups.map { [$0.lowerBound, $0.upperBound] },
                               learner: learner, scale: scale), as: "model.json")
        return b
    }

    public init(bundle: ModelBundle) throws {
        guard bundle.family == Self.family else { throw LearnerError.unreadableModel("this is a \(bundle.family) model, not a NAS network") }
        let meta = try bundle.json(Metadata.self, "model.json")
        guard meta.groups.allSatisfy({ $0.count == 2 && 0 <= $0[0] && $0[0] < $0[1] && $0[1] <= meta.featureCount }) else {
            throw LearnerError.unreadableModel("the network's input layout is invalid")
        }
        do { try meta.learner.validate(features: meta.featureCount) } catch {
            throw LearnerError.unreadableModel("the network's design is invalid: \(error)")
        }
        let groups = meta.groups.map { $0[0]..<$0[1] }
        let outputs = meta.task == .regression ? 1 : meta.task.classCount
        let network = NetworkBuilder.build(meta.learner.architecture, features: meta.featureCount, groups: groups, outputs: outputs, seed: 0).network
        do { try network.load(stateDict: try StateDict.decode(try bundle.part("weights.mlfgstat"))) } catch let e as LearnerError {
            throw e
        } catch {
            throw LearnerError.unreadableModel("the network's weights do not load: \(error)")
        }
        network.eval()
        self.init(task: meta.task, featureCount: meta.featureCount, groups: groups, learner: meta.learner, scale: meta.scale, network: network)
    }
}
