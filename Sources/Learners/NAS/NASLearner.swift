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
    /// A designed network: judged after 3 epochs, never refitted, searched by the architecture strategy.
    public static let capabilities = LearnerCapabilities(stopsAtDeadline: true, prunable: true, firstRung: 3,
                                                         refitsOnAllRows: false, preprocessing: .raw, designsArchitecture: true,
                                                         learnsSoftTargets: true, pretrainsOnUnlabeled: true)

    public enum Optimizer: String, Codable, Sendable, CaseIterable { case adamw, sgd }

    public var architecture: NetworkArchitecture
    public var optimizer = Optimizer.adamw
    public var learningRate = 3e-3
    public var weightDecay = 1e-5
    public var batchSize = 128
    public var epochs = 30
    public var patience = 15
    /// Self-supervised pretraining of the network's encoder on the training and unlabeled rows before
    /// the supervised training (`pretrain`: none or vime, searched when the fit has unlabeled rows); nil:
    /// none (absent from model folders written before it existed).
    public var pretraining: NetworkPretraining?
    /// The constants of VIME pretraining: the MLP family's.
    public static var pretrainingPolicy: VIMEPretraining { MLPLearner.pretrainingPolicy }

    public init(architecture: NetworkArchitecture) { self.architecture = architecture }

    /// The space for data of this shape: the shape's `networkSpace`, else conv1d for a signal, cell2d for
    /// an image and the MLP macro space otherwise.
    public static func space(for shape: DataShape) -> NetworkSearchSpace {
        let kind = shape.networkSpace ?? NetworkSpace.forShape(shape.inputShape)
        return NetworkSearchSpace(space: kind, inputShape: kind == .mlp ? [] : (shape.inputShape ?? []),
                                  categoricalGroups: shape.categoricalGroups, rows: shape.rows)
    }

    public static func searchSpace(for shape: DataShape) -> SearchSpace {
        do {
            let designs = try space(for: shape).simplify()
            guard let pretrain = NetworkPretraining.parameter(for: shape) else { return designs }
            return try SearchSpace(designs.parameters + [pretrain])
        } catch { preconditionFailure("the NAS space is malformed: \(error)") }
    }

    public init(configuration c: Configuration, shape: DataShape) throws {
        architecture = try Self.space(for: shape).freeze(c)
        let r = ConfigurationReader(c, learner: "nas")
        optimizer = try r.choice("optimizer", as: Optimizer.self)
        learningRate = try r.double(optimizer == .adamw ? "learning_rate" : "sgd_learning_rate")
        weightDecay = try r.double("weight_decay")
        batchSize = try r.int("batch_size")
        epochs = try r.int("epochs")
        pretraining = try NetworkPretraining.read(r)
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

    /// The default design; with unlabeled rows, without and with VIME pretraining.
    public static func portfolio(for shape: DataShape) -> [Configuration] {
        NetworkPretraining.portfolio(defaults(for: shape).configuration, for: shape)
    }

    public var configuration: Configuration {
        var c = NetworkSearchSpace.configuration(of: architecture)
        c["optimizer"] = .string(optimizer.rawValue)
        c[optimizer == .adamw ? "learning_rate" : "sgd_learning_rate"] = .double(learningRate)
        c["weight_decay"] = .double(weightDecay)
        c["batch_size"] = .int(batchSize)
        c["epochs"] = .int(epochs)
        // (Named only when used: the space has the parameter only when there are unlabeled rows.)
        if let pretraining { c["pretrain"] = .string(pretraining.rawValue) }
        return c
    }

    public var description: String {
        "nas " + architecture.description + String(format: "; %@ lr %.2g, batch %d, %d epochs", optimizer.rawValue, learningRate, batchSize, epochs)
            + (pretraining == .vime ? ", VIME-pretrained" : "")
    }

    public func validate(features: Int) throws {
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
        NetworkBuilder.macs(architecture, features: features, outputs: outputs)
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

    public func sizeProfile(for shape: DataShape) -> SizeProfile? {
        let p = profile(features: shape.features, outputs: max(1, shape.task.classCount))
        return SizeProfile(parameters: p.parameters, latencyMs: p.latencyMs)
    }

    public func estimatedCost(for shape: DataShape) -> Double {
        let outputs = max(1, shape.task.classCount)
        let m = macs(features: max(1, shape.features), outputs: outputs)
        let steps = Double(epochs) * Double((shape.rows + batchSize - 1) / max(1, batchSize))
        // A fixed cost per layer and step (about 4 layers in a dense design, 12 in cells), and the one-off
        // preparation of the table (checks, input statistics, tensors).
        let layers = architecture.space == .mlp ? 4.0 : 12.0
        let preparation = Double(shape.rows) * Double(max(1, shape.features)) * Self.preparationSecondsPerValue
        // Forward and backward: about 3 × 2 flops per multiply–add, at the MLP family's measured rate for
        // dense networks; convolutional cells at their own rate, plus their element-wise work.
        let supervised: Double
        if case .cells(let d) = architecture {
            let c = ConvolutionCost.self
            supervised = 0.005 + preparation + (6 * m / c.flopsPerSecond + Double(Self.activations(d)) * c.secondsPerActivation) * Double(shape.rows) * Double(epochs)
                + steps * 40e-6 * layers
        } else {
            supervised = 0.005 + preparation + 6 * m * Double(shape.rows) * Double(epochs) / MLPLearner.flopsPerSecond + steps * 40e-6 * layers
        }
        guard pretraining == .vime, let unlabeled = shape.unlabeledRows, unlabeled > 0 else { return supervised }
        // Pretraining: its epochs over the training and unlabeled rows, through the encoder and a head of
        // twice the features.
        let rows = Double(shape.rows + unlabeled), pretextEpochs = Double(min(epochs, Self.pretrainingPolicy.maximumEpochs))
        let pretext = macs(features: max(1, shape.features), outputs: 2 * max(1, shape.features))
        let rate = architecture.space == .mlp ? MLPLearner.flopsPerSecond : ConvolutionCost.flopsPerSecond
        return supervised + 6 * pretext * rows * pretextEpochs / rate + pretextEpochs * rows / Double(max(1, batchSize)) * 40e-6 * layers
    }

    /// The one-off cost per input value before the first step: measured on 2026-12-06 (AMD EPYC Zen 4, 2
    /// threads) with `CostModelTests.wide` at 1, 4 and 8 epochs on 20,000 × 500, whose fits took about
    /// 0.055 s beside 0.07 s an epoch; without it the estimate was 0.57× the measured fit of one epoch,
    /// and under the load of other suites outside the band.
    static let preparationSecondsPerValue = 5e-9

    /// Values a row's forward pass through cells computes, about: the input positions × channels, for the
    /// stem and for each operation of each cell, twice (a second stage halves the positions and doubles
    /// the channels).
    static func activations(_ d: NetworkArchitecture.CellDesign) -> Int {
        d.inputShape.reduce(1, *) * d.channels * (4 + 6 * d.cellsPerStage * max(1, d.edges.count)) * 2
    }

    public func estimatedMemory(for shape: DataShape) -> Int {
        let outputs = max(1, shape.task.classCount)
        let activations: Int
        switch architecture {
        case .mlp(let m): activations = m.widths.reduce(0, +) * 6
        case .cells(let d): activations = Self.activations(d)
        }
        let params = Int(macs(features: max(1, shape.features), outputs: outputs) / 10) + 1000
        return 4 * (4 * params + batchSize * activations) + 8 * shape.rows * max(1, shape.features)
    }

    public func fit(_ data: LabeledData, validation: LabeledData?, context: FitContext) throws -> FittedNAS {
        try validate(features: data.features.columns)
        guard data.rows > 0 else { throw LearnerError.invalidData("no training rows") }
        try FittedNAS.checkFinite(data.features)
        let groups = data.features.categoricalGroups
        let built = NetworkBuilder.build(architecture, features: data.features.columns, groups: groups,
                                         outputs: FittedNAS.outputs(data.task), seed: context.seed)
        let (mean, sd) = Self.inputStatistics(data.features, perFeature: architecture.space == .mlp, groups: groups)
        built.input.set(mean: mean, scale: sd)
        let fitted = FittedNAS(task: data.task, featureCount: data.features.columns, groups: groups, design: self,
                               scale: TargetScale(data.task == .regression ? data.values : []), network: built.network)
        let params = built.network.trainableParameters()
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
        // The network standardises its inputs itself (the raw recipe), so the values VIME restores are
        // standardised by the same statistics.
        try fitted.pretrain(pretraining, data: data, context: context, policy: Self.pretrainingPolicy, epochs: epochs,
                            batchSize: batchSize, learningRate: learningRate, standardizing: (mean, sd))
        fitted.train(data, validation: validation, optimizer: opt, options: options, context: context)
        return fitted
    }

    /// Per-feature (tabular; one-hot columns keep 0/1) or global (signals and images) mean and scale.
    static func inputStatistics(_ x: FeatureMatrix, perFeature: Bool, groups: [Range<Int>]) -> ([Double], [Double]) {
        let n = max(1, x.rows)
        if !perFeature {
            let mean = x.values.reduce(0, +) / Double(max(1, x.values.count))
            let v = x.values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, x.values.count))
            return ([mean], [v > 1e-24 ? v.squareRoot() : 1])
        }
        // Row by row, as the values are stored: a column at a time strides the whole table once per
        // column (on 20,000 × 500 that alone took longer than the network's epoch).
        let c = x.columns
        var sum = [Double](repeating: 0, count: c), squares = [Double](repeating: 0, count: c)
        x.values.withUnsafeBufferPointer { v in
            for i in 0..<x.rows {
                let row = i * c
                for j in 0..<c { let value = v[row + j]; sum[j] += value; squares[j] += value * value }
            }
        }
        var mean = [Double](repeating: 0, count: c), sd = [Double](repeating: 1, count: c)
        let binary = Set(groups.flatMap { Array($0) })
        for j in 0..<c where !binary.contains(j) {
            let m = sum[j] / Double(n)
            let v = max(0, squares[j] / Double(n) - m * m)
            mean[j] = m
            sd[j] = v > 1e-24 ? v.squareRoot() : 1
        }
        return (mean, sd)
    }
}

/// The cost of convolutional cells, measured on 2026-12-06 (AMD EPYC Zen 4, 2 threads; BENCHMARKS.md,
/// "memory and time estimates checked at scale") with `CostModelTests.convolutions`: the architecture
/// search's low-cost point (8 channels) and defaults (32 channels, two stages) on a 40-sample signal and
/// an 8 × 8 image, 4,000 rows, 2 epochs. The defaults trained at about 2.5e10 flop/s and predicted at about 7e-11 s a
/// multiply–add; the 8-channel cells spent most of their time on element-wise work (2e-9 s a value of
/// `activations` in training, a third of it forward only). The flat 5e9 flop/s before was 3.9–4.8× over
/// on the defaults, and predictions were counted per weight, 30–100× under.
enum ConvolutionCost {
    static let flopsPerSecond = 2e10, secondsPerActivation = 2e-9
    static let predictSecondsPerMultiplyAdd = 1e-10, predictSecondsPerActivation = 7e-10
}

/// A trained NAS network: its design and training settings (JSON) and its weights (a state dict, input
/// statistics included).
public typealias FittedNAS = FittedNetwork<NASLearner>

extension NASLearner: NetworkDesign {
    public static let noun = "a NAS network"
    public static let metadataKey = "learner"
    public func network(features: Int, groups: [Range<Int>], outputs: Int, seed: UInt64) -> Sequential {
        NetworkBuilder.build(architecture, features: features, groups: groups, outputs: outputs, seed: seed).network
    }

    /// Dense designs: a multiply–add per weight. Convolutional cells: their multiply–adds (a weight is
    /// used at every position) and their element-wise work, at `ConvolutionCost`'s forward rates.
    public func predictSecondsPerRow(parameters: Int, features: Int, outputs: Int) -> Double {
        guard case .cells(let d) = architecture else {
            return Double(parameters) * FittedNetworkCost.secondsPerWeight + FittedNetworkCost.secondsPerRow
        }
        let c = ConvolutionCost.self
        return macs(features: features, outputs: outputs) * c.predictSecondsPerMultiplyAdd
            + Double(Self.activations(d)) * c.predictSecondsPerActivation + FittedNetworkCost.secondsPerRow
    }
}

extension FittedNetwork where Design == NASLearner {
    /// The network's design and training settings.
    public var learner: NASLearner { design }
}

extension LearnerFamily {
    public static let nas = LearnerFamily(named: "nas")
}
