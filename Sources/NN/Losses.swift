import Tensor

/// Loss functions; each returns a scalar tensor (the mean over the batch).
public enum Loss {
    /// Softmax cross-entropy of `logits` `[N, K]` against class indices, with label smoothing ε (the target
    /// puts 1 − ε on the class and ε/K everywhere) and optional per-class weights (the weighted mean, as PyTorch).
    public static func softmaxCrossEntropy(
        _ logits: Tensor, labels: [Int], labelSmoothing: Double = 0, classWeights: [Double]? = nil
    ) -> Tensor {
        precondition(logits.rank == 2 && logits.shape[0] == labels.count, "cross-entropy takes [N, K] logits and N labels")
        let k = logits.shape[1]
        var target = [Double](repeating: labelSmoothing / Double(k), count: labels.count * k)
        for (i, y) in labels.enumerated() {
            precondition(y >= 0 && y < k, "label \(y) is not in 0..<\(k)")
            target[i * k + y] += 1 - labelSmoothing
        }
        let perSample = -(Tensor(shape: [labels.count, k], doubles: target).cast(to: logits.dtype) * logits.logSoftmax(axis: 1)).sum(axis: 1)
        guard let classWeights else { return perSample.mean() }
        let w = labels.map { classWeights[$0] }
        return (perSample * Tensor(shape: [labels.count], doubles: w).cast(to: logits.dtype)).sum() / w.reduce(0, +)
    }

    /// Softmax cross-entropy against `Targets.classes` (the form `Trainer.fit` passes).
    public static func softmaxCrossEntropy(_ logits: Tensor, targets: Targets, labelSmoothing: Double = 0) -> Tensor {
        guard case .classes(let labels) = targets else {
            preconditionFailure("softmax cross-entropy needs class targets")
        }
        return softmaxCrossEntropy(logits, labels: labels, labelSmoothing: labelSmoothing)
    }

    /// Softmax cross-entropy of `logits` `[N, K]` against class probabilities `[N, K]` (soft labels: a
    /// teacher's, in distillation): −Σₖ pₖ log softmax(z)ₖ, the mean over the batch.
    public static func softmaxCrossEntropy(_ logits: Tensor, probabilities: Tensor) -> Tensor {
        precondition(logits.shape == probabilities.shape, "cross-entropy takes [N, K] logits and [N, K] probabilities")
        return (-(probabilities.cast(to: logits.dtype) * logits.logSoftmax(axis: 1)).sum(axis: 1)).mean()
    }

    /// Binary cross-entropy on logits `[N]` (or `[N, 1]`) against 0/1 targets, computed stably:
    /// max(x, 0) − x·y + log(1 + e^−|x|).
    public static func binaryCrossEntropyWithLogits(_ logits: Tensor, targets: [Double]) -> Tensor {
        let x = logits.reshaped([-1])
        precondition(x.count == targets.count, "binary cross-entropy: \(x.count) logits for \(targets.count) targets")
        let y = Tensor(shape: [targets.count], doubles: targets).cast(to: logits.dtype)
        return (x.relu() - x * y + ((-x.abs()).exp() + 1).log()).mean()
    }

    public static func meanSquaredError(_ prediction: Tensor, targets: Tensor) -> Tensor {
        (prediction - targets.reshaped(prediction.shape)).square().mean()
    }

    /// Huber loss: ½d² for |d| ≤ δ, δ(|d| − ½δ) beyond.
    public static func huber(_ prediction: Tensor, targets: Tensor, delta: Double = 1) -> Tensor {
        let a = (prediction - targets.reshaped(prediction.shape)).abs()
        let q = a.clamp(0, delta)
        return (q.square() * 0.5 + (a - q) * delta).mean()
    }
}
