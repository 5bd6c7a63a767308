import Foundation
import MLData
import Tensor

/// The shared digits dataset (8×8 images, 10 classes) as tensors, pixels scaled to [0, 1].
public struct Digits {
    public var trainX: Tensor, trainY: [Int], testX: Tensor, testY: [Int]

    /// Loads `../shared/datasets/digits`; nil when the shared folder is absent.
    public static func load() throws -> Digits? {
        guard let root = Fixtures.sharedDatasets else { return nil }
        func read(_ file: String) throws -> (Tensor, [Int]) {
            let frame = try CSVReader.read(path: root.appendingPathComponent("digits/\(file)").path)
            let pixels = frame.columns.filter { $0.name != "digit" }
            let n = frame.rowCount
            var values = [Float](repeating: 0, count: n * pixels.count)
            for (j, c) in pixels.enumerated() {
                let v = c.doubles ?? []
                for i in 0..<n { values[i * pixels.count + j] = Float(v[i] / 16) }
            }
            let labels = (try frame.column(named: "digit").doubles ?? []).map { Int($0) }
            return (Tensor(shape: [n, pixels.count], scalars: values), labels)
        }
        let (trX, trY) = try read("train.csv")
        let (teX, teY) = try read("test.csv")
        return Digits(trainX: trX, trainY: trY, testX: teX, testY: teY)
    }
}

import NN

/// The digits training recipes shared by the accuracy tests and the timing benchmark.
public enum DigitsRecipes {
    public struct Outcome: Sendable {
        public var accuracy: Double
        public var seconds: Double
        public var epochs: Int
    }

    /// MLP 64→256→256→10, AdamW with cosine decay, 40 epochs of batch 32.
    public static func mlp(_ d: Digits) -> Outcome {
        var rng = SplitMix(seed: 1)
        let model = ReferenceModels.mlp([64, 256, 256, 10], using: &rng)
        var options = TrainingOptions()
        options.epochs = 40
        options.batchSize = 32
        options.patience = nil
        options.schedule = .cosine(minimumFactor: 0.01)
        options.seed = 1
        return train(model, options, Adam.adamW(model.trainableParameters(), learningRate: 2e-3, weightDecay: 1e-4),
                     d.trainX, d.trainY, d.testX, d.testY, smoothing: 0)
    }

    /// A small CNN on the 8×8 images, AdamW with one-cycle, 15 epochs of batch 32, label smoothing 0.05.
    public static func cnn(_ d: Digits) -> Outcome {
        var rng = SplitMix(seed: 2)
        let model = ReferenceModels.smallCNN(side: 8, classes: 10, width: 16, using: &rng)
        var options = TrainingOptions()
        options.epochs = 15
        options.batchSize = 32
        options.patience = nil
        options.schedule = .oneCycle(warmupFraction: 0.25, divFactor: 10, finalDivFactor: 100)
        options.seed = 2
        return train(model, options, Adam.adamW(model.trainableParameters(), learningRate: 3e-3, weightDecay: 1e-4),
                     d.trainX.reshaped([-1, 1, 8, 8]), d.trainY, d.testX.reshaped([-1, 1, 8, 8]), d.testY, smoothing: 0.05)
    }

    static func train(
        _ model: any Layer, _ options: TrainingOptions, _ optimizer: any Optimizer,
        _ x: Tensor, _ y: [Int], _ testX: Tensor, _ testY: [Int], smoothing: Double
    ) -> Outcome {
        let start = ContinuousClock.now
        let history = Trainer.fit(model, optimizer: optimizer, x: x, y: .classes(y),
                                  loss: { out, t in Loss.softmaxCrossEntropy(out, targets: t, labelSmoothing: smoothing) },
                                  options: options)
        let elapsed = ContinuousClock.now - start
        let predicted = Trainer.predict(model, testX).argmax()
        let accuracy = Double(zip(predicted, testY).filter { $0 == $1 }.count) / Double(testY.count)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Outcome(accuracy: accuracy, seconds: seconds, epochs: history.epochs.count)
    }
}
