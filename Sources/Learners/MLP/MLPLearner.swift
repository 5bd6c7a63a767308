import Foundation
import MLData
import NN
import Search
import Tensor

/// A multilayer perceptron on the Tensor / NN engine: depth, width, activation, normalisation, dropout,
/// residual connections, Adam(W) with a learning-rate schedule, mini-batches, early stopping on
/// validation rows (the best epoch's weights are kept), and categorical columns one-hot or as embeddings.
/// Regression targets are standardised for training and mapped back on prediction. Given rows without a
/// target (`fit --unlabeled`), it may first pretrain its hidden layers on them by VIME's self-supervised
/// task (`pretrain`: none or vime, a searched choice).
public struct MLPLearner: Learner {
    public static let family = LearnerFamily.mlp
    /// Training stops at the deadline with the best epoch's weights, judged after 5 epochs; never
    /// refitted (its epochs were chosen on the hold-out).
    public static let capabilities = LearnerCapabilities(stopsAtDeadline: true, prunable: true, firstRung: 5,
                                                         refitsOnAllRows: false, preprocessing: .dense, exports: true,
                                                         learnsSoftTargets: true, pretrainsOnUnlabeled: true)

    public enum Activation: String, Codable, Sendable, CaseIterable {
        case relu, gelu, tanh, silu
        var kind: Function.Kind {
            switch self {
            case .relu: return .relu
            case .gelu: return .gelu
            case .tanh: return .tanh
            case .silu: return .silu
            }
        }
    }
    public enum Normalization: String, Codable, Sendable, CaseIterable { case none, batch, layer }
    public enum Categorical: String, Codable, Sendable, CaseIterable { case oneHot = "one_hot", embedding }
    public enum Schedule: String, Codable, Sendable, CaseIterable { case constant, cosine }
    /// Self-supervised pretraining on the training and unlabeled rows before the supervised training
    /// (the configuration's `pretrain`: none or vime).
    public typealias Pretraining = NetworkPretraining

    public var layers = 2
    public var width = 128
    public var activation = Activation.relu
    public var normalization = Normalization.none
    public var dropout = 0.0
    public var residual = false
    public var learningRate = 1e-3
    public var weightDecay = 0.0
    public var batchSize = 128
    public var epochs = 50
    public var schedule = Schedule.constant
    public var categorical = Categorical.oneHot
    public var embeddingSize = 8
    /// Epochs without a better validation score before stopping (used only with validation rows).
    public var patience = 10
    /// nil: none (absent from model folders written before pretraining existed).
    public var pretraining: Pretraining?
    /// The constants of VIME pretraining.
    public static let pretrainingPolicy = VIMEPretraining.standard

    public init() {}

    /// Two layers of 128 ReLU units, Adam at 1e-3, batches of 128, and enough epochs for about 2,000
    /// steps (20 to 200).
    public static func defaults(for shape: DataShape) -> MLPLearner {
        var m = MLPLearner()
        m.epochs = defaultEpochs(rows: shape.rows, batchSize: m.batchSize)
        return m
    }

    static func defaultEpochs(rows: Int, batchSize: Int) -> Int {
        min(200, max(20, 2000 * batchSize / max(1, rows)))
    }

    public static func searchSpace(for shape: DataShape) -> SearchSpace {
        let maxBatch = max(16, min(1024, shape.rows))
        var params: [SearchSpace.Parameter] = [
            .init("layers", .int(1, 4), lowCost: .int(1)),
            .init("width", .int(16, 512, log: true), lowCost: .int(32)),
            .init("activation", .categorical(Activation.allCases.map(\.rawValue)), lowCost: .string("relu")),
            .init("normalization", .categorical(Normalization.allCases.map(\.rawValue)), lowCost: .string("none")),
            .init("dropout", .float(0, 0.5), lowCost: .double(0)),
            .init("residual", .categorical(["no", "yes"]), lowCost: .string("no")),
            .init("learning_rate", .float(1e-4, 3e-2, log: true), lowCost: .double(3e-3)),
            .init("weight_decay", .float(1e-6, 1e-1, log: true), lowCost: .double(1e-5)),
            .init("batch_size", .int(16, maxBatch, log: true), lowCost: .int(min(maxBatch, 256))),
            .init("epochs", .int(5, 300, log: true), lowCost: .int(10)),
            .init("schedule", .categorical(Schedule.allCases.map(\.rawValue)), lowCost: .string("constant")),
        ]
        if let pretrain = NetworkPretraining.parameter(for: shape) { params.append(pretrain) }
        if shape.categoricalGroups > 0 {
            params.append(.init("categorical", .categorical(Categorical.allCases.map(\.rawValue)), lowCost: .string("one_hot")))
            params.append(.init("embedding_size", .int(2, 32, log: true),
                                when: .init(parent: "categorical", values: [.string("embedding")]), lowCost: .int(4)))
        }
        return fixedSpace(params)
    }

    /// Two 128-unit ReLU layers with batch norm and light dropout, AdamW with a cosine schedule; with
    /// unlabeled rows, the same without and with VIME pretraining.
    public static func portfolio(for shape: DataShape) -> [Configuration] {
        let maxBatch = max(16, min(1024, shape.rows))
        var c: Configuration = [
            "layers": .int(2), "width": .int(128), "activation": .string("relu"), "normalization": .string("batch"),
            "dropout": .double(0.1), "residual": .string("no"), "learning_rate": .double(3e-3), "weight_decay": .double(1e-4),
            "batch_size": .int(min(maxBatch, 128)), "epochs": .int(min(300, max(5, defaultEpochs(rows: shape.rows, batchSize: 128) / 2))),
            "schedule": .string("cosine"),
        ]
        if shape.categoricalGroups > 0 { c["categorical"] = .string("embedding"); c["embedding_size"] = .int(8) }
        return NetworkPretraining.portfolio(c, for: shape)
    }

    public init(configuration c: Configuration, shape: DataShape) throws {
        let r = ConfigurationReader(c, learner: "mlp")
        layers = try r.int("layers")
        width = try r.int("width")
        activation = try r.choice("activation", as: Activation.self)
        normalization = try r.choice("normalization", as: Normalization.self)
        dropout = try r.double("dropout")
        residual = try r.string("residual") == "yes"
        learningRate = try r.double("learning_rate")
        weightDecay = try r.double("weight_decay")
        batchSize = try r.int("batch_size")
        epochs = try r.int("epochs")
        schedule = try r.choice("schedule", as: Schedule.self)
        if r.has("categorical") { categorical = try r.choice("categorical", as: Categorical.self) }
        if r.has("embedding_size") { embeddingSize = try r.int("embedding_size") }
        pretraining = try NetworkPretraining.read(r)
    }

    public var configuration: Configuration {
        var c: Configuration = [
            "layers": .int(layers), "width": .int(width), "activation": .string(activation.rawValue),
            "normalization": .string(normalization.rawValue), "dropout": .double(dropout),
            "residual": .string(residual ? "yes" : "no"), "learning_rate": .double(learningRate),
            "weight_decay": .double(max(weightDecay, 1e-6)), "batch_size": .int(batchSize), "epochs": .int(epochs),
            "schedule": .string(schedule.rawValue), "categorical": .string(categorical.rawValue),
        ]
        if categorical == .embedding { c["embedding_size"] = .int(embeddingSize) }
        // (Named only when used: the space has the parameter only when there are unlabeled rows.)
        if let pretraining { c["pretrain"] = .string(pretraining.rawValue) }
        return c
    }

    public var description: String {
        "mlp: \(layers)×\(width) \(activation.rawValue)" + (normalization == .none ? "" : ", \(normalization.rawValue) norm")
            + (dropout > 0 ? ", dropout \(XGBoostLearner.short(dropout))" : "") + ", lr \(XGBoostLearner.short(learningRate)), \(epochs) epochs"
            + (pretraining == .vime ? ", VIME-pretrained" : "")
    }

    func parameterCount(features: Int, outputs: Int) -> Int {
        (features + 1) * width + (layers - 1) * (width + 1) * width + (width + 1) * outputs
    }

    public func estimatedCost(for shape: DataShape) -> Double {
        let outputs = max(1, shape.task.classCount)
        let flopsPerRow = 6.0 * Double(parameterCount(features: max(1, shape.features), outputs: outputs))
        let steps = Double(epochs) * Double((shape.rows + batchSize - 1) / max(1, batchSize))
        let supervised = 0.005 + flopsPerRow * Double(shape.rows) * Double(epochs) / Self.flopsPerSecond + steps * 30e-6 * Double(layers + 1)
        guard pretraining == .vime, let unlabeled = shape.unlabeledRows, unlabeled > 0 else { return supervised }
        // Pretraining: its epochs over the training and unlabeled rows, with a head as wide as twice the
        // features (a multiply-add each way per weight, as the supervised steps).
        let rows = Double(shape.rows + unlabeled)
        let pretextFlops = 6.0 * Double(parameterCount(features: max(1, shape.features), outputs: 2 * max(1, shape.features)))
        let pretextEpochs = Double(min(epochs, Self.pretrainingPolicy.maximumEpochs))
        return supervised + pretextFlops * rows * pretextEpochs / Self.flopsPerSecond + pretextEpochs * rows / Double(max(1, batchSize)) * 30e-6 * Double(layers + 1)
    }

    /// The training arithmetic's rate in the cost estimate: measured on 2026-12-05 (AMD EPYC Zen 4, 2
    /// threads, the AVX-512 kernels; BENCHMARKS.md, "cost model at both ends") at 6.5–7.4e10 flop/s on
    /// six shared datasets with the defaults (30 µs a layer a step beside it), taken at 3e10 so that a
    /// machine half as fast is still inside the estimate. It was 1.5e9, 25–35 times the measured fits.
    static let flopsPerSecond = 3e10

    /// The layers' weights and biases (and normalisation scales) with every feature an input (embeddings
    /// only make it smaller); a row costs a multiply–add per weight, about 0.5 ns each in a batch.
    public func sizeProfile(for shape: DataShape) -> SizeProfile? {
        let outputs = max(1, shape.task.classCount)
        let norm = normalization == .none ? 0 : 2 * width
        let parameters = (max(1, shape.features) + 1) * width + norm
            + (layers - 1) * ((width + 1) * width + norm) + (width + 1) * outputs
        return SizeProfile(parameters: parameters, latencyMs: Double(parameters) * 5e-7)
    }

    public func estimatedMemory(for shape: DataShape) -> Int {
        let params = parameterCount(features: max(1, shape.features), outputs: max(1, shape.task.classCount))
        return 4 * (4 * params + 6 * batchSize * width * (layers + 1)) + 4 * shape.rows * max(1, shape.features) * 2
    }

    func validate() throws {
        guard layers >= 1, layers <= 32 else { throw LearnerError.invalidConfiguration("an MLP needs 1 to 32 hidden layers; got \(layers)") }
        guard width >= 1 else { throw LearnerError.invalidConfiguration("the layer width must be at least 1; got \(width)") }
        guard (0..<1).contains(dropout) else { throw LearnerError.invalidConfiguration("dropout must lie in [0, 1); got \(dropout)") }
        guard learningRate > 0, batchSize >= 1, epochs >= 1, embeddingSize >= 1 else {
            throw LearnerError.invalidConfiguration("learning rate, batch size, epochs and embedding size must be positive")
        }
    }

    public func fit(_ data: LabeledData, validation: LabeledData?, context: FitContext) throws -> FittedMLP {
        try validate()
        guard data.rows > 0 else { throw LearnerError.invalidData("no training rows") }
        try FittedMLP.checkFinite(data.features)
        let fitted = FittedMLP(design: self, for: data, seed: context.seed)
        try fitted.pretrain(pretraining, data: data, context: context, policy: Self.pretrainingPolicy, epochs: epochs,
                            batchSize: batchSize, learningRate: learningRate)
        let optimizer = Adam(fitted.network.trainableParameters(), learningRate: learningRate, weightDecay: weightDecay,
                             decoupledWeightDecay: true)
        var options = TrainingOptions()
        options.epochs = epochs
        options.batchSize = batchSize
        options.patience = validation != nil ? patience : nil
        options.restoreBest = validation != nil
        options.seed = context.seed
        options.deadline = context.deadline
        options.schedule = schedule == .cosine ? .cosine(minimumFactor: 0.01) : .constant
        fitted.train(data, validation: validation, optimizer: optimizer, options: options, context: context)
        return fitted
    }
}

/// A trained MLP.
public typealias FittedMLP = FittedNetwork<MLPLearner>

extension MLPLearner: NetworkDesign {
    public static let noun = "an MLP"
    public static let metadataKey = "config"
    public func validate(features: Int) throws { try validate() }
    public func network(features: Int, groups: [Range<Int>], outputs: Int, seed: UInt64) -> Sequential {
        TabularNetwork.build(self, features: features, groups: groups, outputs: outputs, seed: seed)
    }
}

extension LearnerFamily {
    public static let mlp = LearnerFamily(named: "mlp")
}
