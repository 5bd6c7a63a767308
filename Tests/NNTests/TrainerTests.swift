import Foundation
import NN
import Tensor
import Testing
import TestSupport

@Suite("Training loop")
struct TrainerTests {
    /// y = 2x + 1 with noise-free targets: a linear model learns it.
    func data(_ n: Int) -> (Tensor, Targets) {
        let x = (0..<n).map { Double($0) / Double(n) - 0.5 }
        return (Tensor(shape: [n, 1], doubles: x).cast(to: .float32),
                .values(Tensor(shape: [n, 1], doubles: x.map { 2 * $0 + 1 }).cast(to: .float32)))
    }

    func mse(_ out: Tensor, _ y: Targets) -> Tensor {
        guard case .values(let t) = y else { return out.sum() * 0 }
        return Loss.meanSquaredError(out, targets: t)
    }

    @Test("Fits a line; the callback sees every epoch with its validation metric")
    func fitsAndReports() {
        var rng = SplitMix(seed: 1)
        let model = Linear(1, 1, using: &rng)
        let (x, y) = data(64)
        var seen: [Int] = []
        var options = TrainingOptions()
        options.epochs = 60
        options.batchSize = 16
        options.patience = nil
        let history = Trainer.fit(model, optimizer: SGD(model.trainableParameters(), learningRate: 0.3, momentum: 0.9),
                                  x: x, y: y, validation: (x, y), loss: mse, options: options,
                                  onEpoch: { seen.append($0.epoch); return .proceed })
        #expect(seen == Array(0..<60))
        #expect(history.stopReason == .completed)
        #expect(abs(model.weight.value.item - 2) < 1e-3 && abs(model.bias!.value.item - 1) < 1e-3)
        #expect(history.epochs.allSatisfy { $0.validationMetric != nil })
    }

    @Test("Early stopping after `patience` epochs without improvement restores the best weights")
    func earlyStopping() {
        var rng = SplitMix(seed: 2)
        let model = Linear(1, 1, using: &rng)
        let (x, y) = data(32)
        var options = TrainingOptions()
        options.epochs = 100
        options.patience = 3
        // A learning rate far too high: the loss diverges, so the best epoch comes early.
        let history = Trainer.fit(model, optimizer: SGD(model.trainableParameters(), learningRate: 50),
                                  x: x, y: y, validation: (x, y), loss: mse, options: options)
        #expect(history.stopReason == .earlyStopping)
        let best = history.bestEpoch!
        #expect(history.epochs.count == best + 4)
        let restored = Trainer.predict(model, x)
        let metric = -mse(restored, y).item
        #expect(abs(metric - history.bestMetric!) < 1e-6 * max(1, abs(metric)))
    }

    @Test("The callback can stop training, and a deadline stops it between batches")
    func stopping() {
        var rng = SplitMix(seed: 3)
        let model = Linear(1, 1, using: &rng)
        let (x, y) = data(64)
        var options = TrainingOptions()
        options.epochs = 50
        let byCallback = Trainer.fit(model, optimizer: SGD(model.trainableParameters(), learningRate: 0.1),
                                     x: x, y: y, loss: mse, options: options,
                                     onEpoch: { $0.epoch == 4 ? .stop : .proceed })
        #expect(byCallback.stopReason == .callback && byCallback.epochs.count == 5)
        options.deadline = ContinuousClock.now - .seconds(1)
        let late = Trainer.fit(model, optimizer: SGD(model.trainableParameters(), learningRate: 0.1),
                               x: x, y: y, loss: mse, options: options)
        #expect(late.stopReason == .deadline && late.epochs.isEmpty)
    }
}
