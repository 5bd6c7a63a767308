import Foundation
import Tensor

/// What a network learns to predict: class indices, or numbers (`[N]` or `[N, k]`).
public enum Targets: Sendable {
    case classes([Int])
    case values(Tensor)

    public var count: Int {
        switch self {
        case .classes(let c): return c.count
        case .values(let t): return t.shape.first ?? 0
        }
    }

    public func selecting(_ rows: [Int]) -> Targets {
        switch self {
        case .classes(let c): return .classes(rows.map { c[$0] })
        case .values(let t): return .values(t.gatherRows(rows))
        }
    }
}

/// How to train.
public struct TrainingOptions: Sendable {
    public var epochs: Int = 20
    public var batchSize: Int = 64
    /// Stop after this many epochs without a better validation metric (nil: never).
    public var patience: Int? = 5
    /// Put back the weights of the best validation epoch at the end.
    public var restoreBest: Bool = true
    public var clipNorm: Double?
    public var schedule: LearningRateSchedule = .constant
    /// Seeds the order of the mini-batches.
    public var seed: UInt64 = 0
    /// Stop at the first batch boundary after this instant.
    public var deadline: ContinuousClock.Instant?

    public init() {}
}

/// One epoch's outcome, given to the callback (a search's pruner decides from it).
public struct EpochReport: Sendable {
    public var epoch: Int
    public var trainLoss: Double
    /// Higher is better; nil without validation data.
    public var validationMetric: Double?
    public var learningRate: Double
}

public enum TrainingControl: Sendable { case proceed, stop }

public struct TrainingHistory: Sendable {
    public var epochs: [EpochReport] = []
    public var bestEpoch: Int?
    public var bestMetric: Double?
    public enum StopReason: Sendable { case completed, earlyStopping, callback, deadline }
    public var stopReason: StopReason = .completed
}

/// The training loop: shuffled mini-batches, an optimiser step per batch (with optional clipping and a
/// learning-rate schedule), validation after each epoch, early stopping, and a per-epoch callback.
public enum Trainer {
    public static func fit(
        _ model: any Layer, optimizer: any Optimizer, x: Tensor, y: Targets,
        validation: (x: Tensor, y: Targets)? = nil,
        loss: (Tensor, Targets) -> Tensor,
        metric: ((Tensor, Targets) -> Double)? = nil,
        options: TrainingOptions = TrainingOptions(),
        onEpoch: (EpochReport) -> TrainingControl = { _ in .proceed }
    ) -> TrainingHistory {
        let n = x.shape[0]
        precondition(y.count == n, "the training data has \(n) rows but \(y.count) targets")
        let batch = max(1, min(options.batchSize, n))
        let stepsPerEpoch = (n + batch - 1) / batch
        let totalSteps = stepsPerEpoch * options.epochs
        let base = optimizer.learningRate
        let params = model.trainableParameters()
        var order = Array(0..<n)
        var rng = options.seed &+ 0x9E37_79B9_7F4A_7C15
        var history = TrainingHistory()
        var best: [Tensor]?
        var sinceBest = 0
        var step = 0
        defer { optimizer.learningRate = base }
        model.train()
        epochs: for epoch in 0..<options.epochs {
            for i in stride(from: n - 1, to: 0, by: -1) {  // Fisher–Yates on a SplitMix stream
                rng &+= 0x9E37_79B9_7F4A_7C15
                var z = rng
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                z ^= z >> 31
                order.swapAt(i, Int(z % UInt64(i + 1)))
            }
            var lossSum = 0.0
            for start in stride(from: 0, to: n, by: batch) {
                if let deadline = options.deadline, ContinuousClock.now >= deadline {
                    history.stopReason = .deadline
                    break epochs
                }
                let rows = Array(order[start..<min(n, start + batch)])
                optimizer.learningRate = options.schedule.rate(base: base, step: step, totalSteps: totalSteps)
                model.zeroGrad()
                let l = loss(model(x.gatherRows(rows)), y.selecting(rows))
                l.backward()
                if let clip = options.clipNorm { clipGradientNorm(params, maxNorm: clip) }
                optimizer.step()
                lossSum += l.item * Double(rows.count)
                step += 1
            }
            var report = EpochReport(epoch: epoch, trainLoss: lossSum / Double(n), validationMetric: nil,
                                     learningRate: optimizer.learningRate)
            if let validation {
                let out = predict(model, validation.x)
                let value = metric?(out, validation.y) ?? -withNoGrad { loss(out, validation.y).item }
                report.validationMetric = value
                if history.bestMetric.map({ value > $0 }) ?? true {
                    history.bestMetric = value
                    history.bestEpoch = epoch
                    best = model.namedParameters().map(\.parameter.value)
                    sinceBest = 0
                } else {
                    sinceBest += 1
                }
            }
            history.epochs.append(report)
            if onEpoch(report) == .stop { history.stopReason = .callback; break }
            if let patience = options.patience, validation != nil, sinceBest >= patience {
                history.stopReason = .earlyStopping
                break
            }
        }
        if options.restoreBest, let best {
            for (p, v) in zip(model.namedParameters().map(\.parameter), best) { p.value = v }
        }
        model.eval()
        return history
    }

    /// The model's outputs for `x`, in evaluation mode and without gradients, in chunks of `batchSize` rows.
    public static func predict(_ model: any Layer, _ x: Tensor, batchSize: Int = 1024) -> Tensor {
        model.eval()
        defer { model.train() }
        return withNoGrad {
            let n = x.shape[0]
            if n <= batchSize { return model(x) }
            let parts = stride(from: 0, to: n, by: batchSize).map { start in
                model(x.slice(axis: 0, start..<min(n, start + batchSize)))
            }
            return Tensor.concat(parts, axis: 0)
        }
    }
}
