import Foundation
import NN
import Tensor
import Testing
import TestSupport

@Suite("docs/tensor.md example")
struct DocsExampleTests {
    @Test("The example in docs/tensor.md runs: one step by hand, the loop, save, predict")
    func example() throws {
        let path = Fixtures.scratch.appendingPathComponent("mlforge-docs-\(UUID().uuidString).bin").path
        defer { try? FileManager.default.removeItem(atPath: path) }

        var rng = SplitMix(seed: 4)
        let model = Sequential([
            Linear(64, 128, using: &rng), Function(.relu), Dropout(0.1),
            Linear(128, 10, using: &rng),
        ])
        let x = Tensor.randomNormal([512, 64], using: &rng)
        let labels = (0..<512).map { $0 % 10 }

        let optimizer = Adam.adamW(model.trainableParameters(), learningRate: 1e-3)
        model.zeroGrad()
        let loss = Loss.softmaxCrossEntropy(model(x), labels: labels, labelSmoothing: 0.05)
        loss.backward()
        clipGradientNorm(model.trainableParameters(), maxNorm: 5)
        optimizer.step()

        var options = TrainingOptions()
        options.epochs = 30
        options.schedule = .cosine(minimumFactor: 0.01)
        let history = Trainer.fit(model, optimizer: optimizer, x: x, y: .classes(labels),
                                  validation: (x, .classes(labels)),
                                  loss: { out, y in Loss.softmaxCrossEntropy(out, targets: y) },
                                  options: options,
                                  onEpoch: { report in (report.validationMetric ?? -1) > -0.01 ? .stop : .proceed })
        try model.save(to: path)
        let predictions = Trainer.predict(model, x).argmax()

        #expect(model.trainableParameters().allSatisfy { $0.grad != nil })
        #expect(history.epochs.count >= 2)
        #expect(history.epochs.last!.trainLoss < history.epochs.first!.trainLoss)
        #expect(predictions.count == 512)
        let doc = (try? String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("docs/tensor.md"), encoding: .utf8)) ?? ""
        #expect(doc.contains("loss: { out, y in Loss.softmaxCrossEntropy(out, targets: y) },"))
        #expect(doc.contains("let predictions = Trainer.predict(model, x).argmax()"))
    }
}
