import Foundation
import MLData
import NN
import Search
import Support
import Tensor

/// Self-supervised pretraining of a network on rows without targets, as the self-supervised stage of
/// VIME (Yoon et al., 2020, "VIME: Extending the Success of Self- and Semi-supervised Learning to Tabular
/// Domain"): each row is corrupted by replacing a random share of its features with the same feature of
/// another row drawn at random (a draw from the feature's marginal), and the network's encoder — every
/// layer but its output head — with a temporary linear head learns to tell which features were replaced
/// (cross-entropy) and to restore the original values (squared error, weighted by α). The supervised
/// training then starts from the encoder's weights (the same layers, trained in place).
public struct VIMEPretraining: Codable, Sendable, Equatable {
    /// The chance each feature is replaced (VIME's p_m; the paper's 0.3).
    public var maskProbability: Double
    /// The weight of the reconstruction loss against the mask loss (VIME's α; the paper's 2.0).
    public var reconstructionWeight: Double
    /// The most of the time left to the fit's deadline that pretraining may take: the supervised
    /// training keeps the rest. Hand-set.
    public var shareOfTime: Double
    /// Epochs over the rows at most (and never more than the supervised training's). Hand-set.
    public var maximumEpochs: Int

    public static let standard = VIMEPretraining(maskProbability: 0.3, reconstructionWeight: 2.0, shareOfTime: 0.4, maximumEpochs: 30)
}

/// A self-supervised pretext task a network family may train its encoder on, on the training and
/// unlabeled rows, before its supervised training (a searched choice, `pretrain`, offered only when the
/// fit has unlabeled rows).
public enum NetworkPretraining: String, Codable, Sendable, CaseIterable {
    case vime

    /// The search-space parameter `pretrain` (none or a pretext task; none is the low-cost point), for a
    /// shape with unlabeled rows; nil otherwise.
    public static func parameter(for shape: DataShape) -> SearchSpace.Parameter? {
        guard (shape.unlabeledRows ?? 0) > 0 else { return nil }
        return .init("pretrain", .categorical(["none"] + allCases.map(\.rawValue)), lowCost: .string("none"))
    }

    /// A portfolio configuration without and with VIME pretraining, for a shape with unlabeled rows; as
    /// it is otherwise.
    public static func portfolio(_ c: Configuration, for shape: DataShape) -> [Configuration] {
        guard (shape.unlabeledRows ?? 0) > 0 else { return [c] }
        var plain = c, pretrained = c
        plain["pretrain"] = .string("none")
        pretrained["pretrain"] = .string(Self.vime.rawValue)
        return [plain, pretrained]
    }

    /// The configuration's `pretrain` (absent or none: nil).
    static func read(_ r: ConfigurationReader) throws -> NetworkPretraining? {
        guard r.has("pretrain"), try r.string("pretrain") != "none" else { return nil }
        return try r.choice("pretrain", as: NetworkPretraining.self)
    }
}

extension FittedNetwork {
    /// Pretrains by `method` (nil: not at all) on the training rows and the context's unlabeled rows, when
    /// there are any, in `policy.shareOfTime` of the time left to the deadline (the supervised epochs keep
    /// the rest), for at most `epochs` and `policy.maximumEpochs` epochs.
    package func pretrain(_ method: NetworkPretraining?, data: LabeledData, context: FitContext, policy: VIMEPretraining,
                          epochs: Int, batchSize: Int, learningRate: Double,
                          standardizing: (mean: [Double], scale: [Double])? = nil) throws {
        guard method == .vime, let unlabeled = context.unlabeled, unlabeled.rows > 0 else { return }
        try checkFeatures(unlabeled)
        try Self.checkFinite(unlabeled)
        let stop = context.deadline.map { ContinuousClock.now + ($0 - ContinuousClock.now) * policy.shareOfTime }
        pretrain([data.features, unlabeled], policy: policy, epochs: min(epochs, policy.maximumEpochs), batchSize: batchSize,
                 learningRate: learningRate, seed: context.seed &+ 0x5649_4D45, stop: stop, standardizing: standardizing)
    }

    /// Pretrains every layer but the output head on the rows of `parts` (the training rows' features and
    /// the unlabeled rows', prepared alike) by VIME's pretext task, with fresh corruption every epoch, in
    /// batches of `batchSize` with Adam at `learningRate`; stops after `epochs` epochs or at `stop`.
    /// Returns each epoch's mean pretext loss.
    @discardableResult
    /// The values to restore are standardised by `standardizing` (each feature's mean and scale, or one
    /// of each for all features) where the network standardises its own inputs (the raw recipe), so that
    /// no feature's scale outweighs the others in the squared error; nil: they are standardised already.
    package func pretrain(_ parts: [FeatureMatrix], policy: VIMEPretraining, epochs: Int, batchSize: Int, learningRate: Double,
                  seed: UInt64, stop: ContinuousClock.Instant?, standardizing: (mean: [Double], scale: [Double])? = nil) -> [Double] {
        let f = featureCount
        let values = parts.flatMap { $0.values.map { Float($0) } }
        let n = values.count / max(1, f)
        guard network.layers.count >= 2, n >= 2, f >= 1 else { return [] }
        let encoder = Sequential(Array(network.layers.dropLast()))
        // The encoder's output width, from one row in evaluation mode (no statistics change).
        encoder.eval()
        let width = withNoGrad { encoder(Tensor(shape: [1, f], scalars: Array(values.prefix(f)))) }.shape[1]
        var rng = SeededGenerator(seed: seed)
        let pretext = Sequential([encoder, Linear(width, 2 * f, initializer: .xavierUniform, using: &rng)])
        let optimizer = Adam(pretext.trainableParameters(), learningRate: learningRate)
        let p = policy.maskProbability, alpha = policy.reconstructionWeight
        // The values to restore, the same every epoch.
        var originals = values
        if let (mean, scale) = standardizing, !mean.isEmpty, mean.count == scale.count {
            for (i, v) in values.enumerated() {
                let k = mean.count == 1 ? 0 : min(i % f, mean.count - 1)
                originals[i] = Float((Double(v) - mean[k]) / scale[k])
            }
        }
        var losses: [Double] = []
        for epoch in 0..<epochs {
            if let stop, ContinuousClock.now >= stop { break }
            var corrupted = values
            var targets = [Float](repeating: 0, count: n * 2 * f)
            for i in 0..<n {
                for j in 0..<f {
                    targets[i * 2 * f + f + j] = originals[i * f + j]
                    guard Double.random(in: 0..<1, using: &rng) < p else { continue }
                    corrupted[i * f + j] = values[Int.random(in: 0..<n, using: &rng) * f + j]
                    targets[i * 2 * f + j] = 1
                }
            }
            var options = TrainingOptions()
            options.epochs = 1
            options.batchSize = batchSize
            options.patience = nil
            options.restoreBest = false
            options.seed = seed &+ UInt64(epoch)
            options.deadline = stop
            let history = Trainer.fit(pretext, optimizer: optimizer, x: Tensor(shape: [n, f], scalars: corrupted),
                            y: .values(Tensor(shape: [n, 2 * f], scalars: targets)),
                            loss: { out, y in
                                guard case .values(let t) = y else { preconditionFailure("VIME's targets are values") }
                                let logits = out.slice(axis: 1, 0..<f), restored = out.slice(axis: 1, f..<(2 * f))
                                let mask = t.slice(axis: 1, 0..<f), original = t.slice(axis: 1, f..<(2 * f))
                                let maskLoss = (logits.relu() - logits * mask + ((-logits.abs()).exp() + 1).log()).mean()
                                return maskLoss + (restored - original).square().mean() * alpha
                            },
                            options: options)
            // (An epoch cut at `stop` before its first batch reports nothing.)
            if history.stopReason != .deadline, let loss = history.epochs.first?.trainLoss { losses.append(loss) }
        }
        return losses
    }
}
