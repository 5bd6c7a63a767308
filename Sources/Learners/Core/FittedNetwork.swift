import Foundation
import MLData
import NN
import Tensor

/// A network family's configuration, as a trained network needs it: enough to rebuild the untrained
/// network (whose weights a saved model then loads) and to check a loaded description first.
public protocol NetworkDesign: Codable, Sendable {
    static var family: LearnerFamily { get }
    /// How error messages name the model ("an MLP").
    static var noun: String { get }
    /// The key of the design in a saved model's `model.json`.
    static var metadataKey: String { get }
    /// Throws when the design cannot be built for `features` inputs.
    func validate(features: Int) throws
    /// The untrained network.
    func network(features: Int, groups: [Range<Int>], outputs: Int, seed: UInt64) -> Sequential
    /// Seconds to predict one row in a batch, for a trained network of `parameters` weights on `features`
    /// inputs (by default a multiply–add per weight: dense layers).
    func predictSecondsPerRow(parameters: Int, features: Int, outputs: Int) -> Double
}

extension NetworkDesign {
    /// A multiply-add per weight and row through BLAS, plus a fixed cost per row: fitted to
    /// `mlforge-bench cost mlp` (1,000 to 5,000 rows, 2 cores; BENCHMARKS.md, "cost model").
    public func predictSecondsPerRow(parameters: Int, features: Int, outputs: Int) -> Double {
        Double(parameters) * FittedNetworkCost.secondsPerWeight + FittedNetworkCost.secondsPerRow
    }
}

/// A trained network of either network family (`FittedMLP`, `FittedNAS`): its design, input layout and
/// target scale (JSON) and its weights (a state dict). Training, prediction, saving and loading are the
/// same for both; only how the network is built differs.
public struct FittedNetwork<Design: NetworkDesign>: FittedModel, @unchecked Sendable {
    public static var family: LearnerFamily { Design.family }
    public let task: PredictionTask
    public let featureCount: Int
    let groups: [Range<Int>]
    public let design: Design
    let scale: TargetScale
    let network: Sequential
    /// Forward passes change layer state (training flags), so predictions are serialised.
    private let lock = NSLock()

    /// An untrained network of `design` for `data` (trained in place by `train`).
    init(design: Design, for data: LabeledData, seed: UInt64) {
        task = data.task
        featureCount = data.features.columns
        groups = data.features.categoricalGroups
        self.design = design
        scale = TargetScale(task == .regression ? data.values : [])
        network = design.network(features: featureCount, groups: groups, outputs: Self.outputs(task), seed: seed)
    }

    init(task: PredictionTask, featureCount: Int, groups: [Range<Int>], design: Design, scale: TargetScale, network: Sequential) {
        self.task = task
        self.featureCount = featureCount
        self.groups = groups
        self.design = design
        self.scale = scale
        self.network = network
    }

    public var parameterCount: Int { network.parameterCount }

    /// The design's cost per row (`NetworkDesign.predictSecondsPerRow`).
    public func estimatedPredictSeconds(rows: Int) -> Double {
        Double(rows) * design.predictSecondsPerRow(parameters: parameterCount, features: featureCount, outputs: Self.outputs(task))
    }

    static func outputs(_ task: PredictionTask) -> Int { task == .regression ? 1 : task.classCount }

    static func checkFinite(_ x: FeatureMatrix) throws {
        if x.values.contains(where: { !$0.isFinite }) {
            throw LearnerError.invalidData("\(Design.noun) needs finite features; impute missing values first")
        }
    }

    static func tensor(_ x: FeatureMatrix) -> Tensor {
        Tensor(shape: [x.rows, x.columns], scalars: x.values.map { Float($0) })
    }

    /// Standardised values, class labels, or — with soft targets — class probabilities (rows × classes).
    func targets(_ data: LabeledData) -> Targets {
        if data.task == .regression {
            return .values(Tensor(shape: [data.rows, 1], scalars: data.values.map { Float(($0 - scale.mean) / scale.scale) }))
        }
        if let soft = data.softTargets { return .values(Tensor(shape: [data.rows, task.classCount], scalars: soft.map { Float($0) })) }
        return .classes(data.labels)
    }

    /// Trains the network in place: cross-entropy or squared error (on standardised targets), the
    /// validation metric after each epoch reported to `context.report` (which may stop the training).
    func train(_ data: LabeledData, validation: LabeledData?, optimizer: any NN.Optimizer, options: TrainingOptions, context: FitContext) {
        let metric = context.metric(for: task)
        let validationSet = validation.map { (x: Self.tensor($0.features), y: targets($0)) }
        _ = Trainer.fit(
            network, optimizer: optimizer, x: Self.tensor(data.features), y: targets(data), validation: validationSet,
            loss: { out, y in
                switch y {
                case .classes: return Loss.softmaxCrossEntropy(out, targets: y)
                case .values(let t) where task.isClassification: return Loss.softmaxCrossEntropy(out, probabilities: t)
                case .values(let t): return Loss.meanSquaredError(out, targets: t)
                }
            },
            metric: validation.map { v in { out, _ in metric.score(predictions(from: out, rows: v.rows), v.target) } },
            options: options,
            onEpoch: { report in
                guard let score = report.validationMetric, let hook = context.report else { return .proceed }
                return hook(FitProgress(step: report.epoch + 1, score: score)) == .stop ? .stop : .proceed
            })
    }

    /// Predictions from the network's raw output.
    func predictions(from out: Tensor, rows: Int) -> Predictions {
        if task == .regression { return .values(out.doubles.map { $0 * scale.scale + scale.mean }) }
        return Predictions.softmax(out.doubles, rows: rows, classes: task.classCount)
    }

    /// The network's operations (nil when a layer cannot be written, as convolutions), with the target's scale.
    public var portable: PortableModel? {
        lock.lock()
        defer { lock.unlock() }
        return network.operations.map { .network(PortableNetwork(operations: $0, targetMean: scale.mean, targetScale: scale.scale)) }
    }

    public func predict(_ x: FeatureMatrix) throws -> Predictions {
        try checkFeatures(x)
        try Self.checkFinite(x)
        lock.lock()
        defer { lock.unlock() }
        return predictions(from: Trainer.predict(network, Self.tensor(x)), rows: x.rows)
    }

    struct Metadata: Codable {
        var task: PredictionTask
        var featureCount: Int
        var groups: [[Int]]
        var design: Design
        var scale: TargetScale

        enum Keys: String, CodingKey { case task, featureCount, groups, scale }
        struct DesignKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(task: PredictionTask, featureCount: Int, groups: [[Int]], design: Design, scale: TargetScale) {
            self.task = task
            self.featureCount = featureCount
            self.groups = groups
            self.design = design
            self.scale = scale
        }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            task = try c.decode(PredictionTask.self, forKey: .task)
            featureCount = try c.decode(Int.self, forKey: .featureCount)
            groups = try c.decode([[Int]].self, forKey: .groups)
            scale = try c.decode(TargetScale.self, forKey: .scale)
            design = try decoder.container(keyedBy: DesignKey.self).decode(Design.self, forKey: DesignKey(stringValue: Design.metadataKey))
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(task, forKey: .task)
            try c.encode(featureCount, forKey: .featureCount)
            try c.encode(groups, forKey: .groups)
            try c.encode(scale, forKey: .scale)
            var d = encoder.container(keyedBy: DesignKey.self)
            try d.encode(design, forKey: DesignKey(stringValue: Design.metadataKey))
        }
    }

    public func bundle() throws -> ModelBundle {
        lock.lock()
        let weights = StateDict.encode(network.stateDict())
        lock.unlock()
        var b = ModelBundle(family: Self.family, parts: ["weights.mlfgstat": weights])
        try b.setJSON(Metadata(task: task, featureCount: featureCount, groups: groups.map { [$0.lowerBound, $0.upperBound] },
                               design: design, scale: scale), as: "model.json")
        return b
    }

    public init(bundle: ModelBundle) throws {
        guard bundle.family == Self.family else { throw LearnerError.unreadableModel("this is a \(bundle.family) model, not \(Design.noun)") }
        let meta = try bundle.json(Metadata.self, "model.json")
        guard meta.groups.allSatisfy({ $0.count == 2 && 0 <= $0[0] && $0[0] < $0[1] && $0[1] <= meta.featureCount }) else {
            throw LearnerError.unreadableModel("the input layout of \(Design.noun) is invalid")
        }
        do { try meta.design.validate(features: meta.featureCount) } catch {
            throw LearnerError.unreadableModel("the design of \(Design.noun) is invalid: \(error)")
        }
        let groups = meta.groups.map { $0[0]..<$0[1] }
        let network = meta.design.network(features: meta.featureCount, groups: groups, outputs: Self.outputs(meta.task), seed: 0)
        do { try network.load(stateDict: try StateDict.decode(try bundle.part("weights.mlfgstat"))) } catch let e as LearnerError {
            throw e
        } catch {
            throw LearnerError.unreadableModel("the weights of \(Design.noun) do not load: \(error)")
        }
        network.eval()
        self.init(task: meta.task, featureCount: meta.featureCount, groups: groups, design: meta.design, scale: meta.scale, network: network)
    }
}

/// Standardisation of regression targets for training.
struct TargetScale: Codable, Equatable, Sendable {
    var mean = 0.0
    var scale = 1.0
    init(_ y: [Double]) {
        guard !y.isEmpty else { return }
        mean = y.reduce(0, +) / Double(y.count)
        let v = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(y.count)
        scale = v > 1e-24 ? v.squareRoot() : 1
    }
}

/// The constants of `FittedNetwork.estimatedPredictSeconds` (a generic type cannot hold stored statics).
package enum FittedNetworkCost {
    package static let secondsPerWeight = 2e-11, secondsPerRow = 2e-7
}
