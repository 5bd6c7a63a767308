import NN
import Tensor
import Testing
import TestSupport

/// End to end on the shared digits data: fixed seeds, accuracy on the held-out test file.
@Suite("Digits end to end")
struct DigitsTests {
    func accuracy(_ model: any Layer, _ x: Tensor, _ y: [Int]) -> Double {
        let predicted = Trainer.predict(model, x).argmax()
        return Double(zip(predicted, y).filter { $0 == $1 }.count) / Double(y.count)
    }

    @Test("An MLP 64→256→256→10 reaches at least 97% test accuracy")
    func mlp() throws {
        guard let d = try Digits.load() else { return }
        var rng = SplitMix(seed: 1)
        let model = ReferenceModels.mlp([64, 256, 256, 10], using: &rng)
        var options = TrainingOptions()
        options.epochs = 40
        options.batchSize = 32
        options.patience = nil
        options.schedule = .cosine(minimumFactor: 0.01)
        options.seed = 1
        let history = Trainer.fit(model, optimizer: Adam.adamW(model.trainableParameters(), learningRate: 2e-3, weightDecay: 1e-4),
                                  x: d.trainX, y: .classes(d.trainY),
                                  loss: { out, y in Loss.softmaxCrossEntropy(out, labels: { if case .classes(let c) = y { return c } else { return [] } }()) },
                                  options: options)
        #expect(history.epochs.count == 40)
        #expect(history.epochs.last!.trainLoss < history.epochs.first!.trainLoss)
        let acc = accuracy(model, d.testX, d.testY)
        #expect(acc >= 0.97, "test accuracy \(acc)")
    }

    @Test("A small CNN on the digits as 8×8 images reaches at least 98% test accuracy")
    func cnn() throws {
        guard let d = try Digits.load() else { return }
        var rng = SplitMix(seed: 2)
        let model = ReferenceModels.smallCNN(side: 8, classes: 10, width: 16, using: &rng)
        var options = TrainingOptions()
        options.epochs = 15
        options.batchSize = 32
        options.patience = nil
        options.schedule = .oneCycle(warmupFraction: 0.25, divFactor: 10, finalDivFactor: 100)
        options.seed = 2
        let images = d.trainX.reshaped([-1, 1, 8, 8])
        _ = Trainer.fit(model, optimizer: Adam.adamW(model.trainableParameters(), learningRate: 3e-3, weightDecay: 1e-4),
                        x: images, y: .classes(d.trainY),
                        loss: { out, y in Loss.softmaxCrossEntropy(out, labels: { if case .classes(let c) = y { return c } else { return [] } }(), labelSmoothing: 0.05) },
                        options: options)
        let acc = accuracy(model, d.testX.reshaped([-1, 1, 8, 8]), d.testY)
        #expect(acc >= 0.98, "test accuracy \(acc)")
    }
}
