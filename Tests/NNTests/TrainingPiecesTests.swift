import Foundation
import NN
import Tensor
import Testing
import TestSupport

@Suite("Losses, optimisers, schedules, state dicts")
struct TrainingPiecesTests {
    @Test("Losses: values by hand, and gradients by finite differences")
    func losses() {
        let logits = Tensor(shape: [2, 3], doubles: [1, 2, 3, 0, 0, 0])
        let ce = Loss.softmaxCrossEntropy(logits, labels: [2, 0]).item
        let lse: Double = log(exp(1.0) + exp(2.0) + exp(3.0))
        let expected: Double = ((lse - 3) + log(3.0)) / 2
        #expect(abs(ce - expected) < 1e-12)
        let smooth = Loss.softmaxCrossEntropy(logits, labels: [2, 0], labelSmoothing: 0.3).item
        #expect(smooth > ce)
        let weighted = Loss.softmaxCrossEntropy(logits, labels: [2, 0], classWeights: [3, 1, 1]).item
        let weightedExpected: Double = ((lse - 3) * 1 + log(3.0) * 3) / 4
        #expect(abs(weighted - weightedExpected) < 1e-12)
        let bce = Loss.binaryCrossEntropyWithLogits(Tensor(shape: [2], doubles: [0.5, -40]), targets: [1, 0]).item
        let bceExpected: Double = (log(1 + exp(-0.5)) + log(1 + exp(-40.0))) / 2
        #expect(abs(bce - bceExpected) < 1e-12)
        let huber = Loss.huber(Tensor(shape: [2], doubles: [0.5, 3]), targets: Tensor(shape: [2], doubles: [0, 0])).item
        #expect(abs(huber - (0.125 + 2.5) / 2) < 1e-12)

        let x = GradientCheck.random([4, 3], -2...2, seed: 1)
        let labels = [0, 2, 1, 2]
        for (name, f) in [
            ("cross-entropy", { (t: [Tensor]) in Loss.softmaxCrossEntropy(t[0], labels: labels, labelSmoothing: 0.1, classWeights: [1, 2, 0.5]) }),
            ("bce", { (t: [Tensor]) in Loss.binaryCrossEntropyWithLogits(t[0].reshaped([-1]), targets: [1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1]) }),
            ("mse", { (t: [Tensor]) in Loss.meanSquaredError(t[0], targets: Tensor.full([4, 3], 0.3, dtype: .float64)) }),
            ("huber", { (t: [Tensor]) in Loss.huber(t[0], targets: Tensor.full([4, 3], 0.3, dtype: .float64), delta: 0.7) }),
        ] as [(String, ([Tensor]) -> Tensor)] {
            let r = GradientCheck.run([x], f)
            #expect(r.maxError < 1e-6, "\(name): \(r)")
        }
    }

    @Test("SGD with momentum and Nesterov, Adam and AdamW: steps computed by hand")
    func optimisers() {
        func param(_ v: Double, grad g: Double) -> Parameter {
            let p = Parameter(Tensor(shape: [1], doubles: [v]))
            p.grad = Tensor(shape: [1], doubles: [g])
            return p
        }
        let p = param(1, grad: 0.5)
        let sgd = SGD([p], learningRate: 0.1, momentum: 0.9, weightDecay: 0.1)
        sgd.step()  // g = 0.5 + 0.1·1 = 0.6; v = 0.6; w = 1 − 0.06
        #expect(abs(p.value.item - 0.94) < 1e-12)
        sgd.step()  // g = 0.5 + 0.094 = 0.594; v = 0.9·0.6 + 0.594 = 1.134; w = 0.94 − 0.1134
        #expect(abs(p.value.item - 0.8266) < 1e-12)
        let q = param(1, grad: 0.5)
        SGD([q], learningRate: 0.1, momentum: 0.9, nesterov: true).step()  // v = 0.5; g = 0.5 + 0.45
        #expect(abs(q.value.item - 0.905) < 1e-12)
        let a = param(1, grad: 0.5)
        Adam([a], learningRate: 0.01).step()  // the first Adam step moves by lr · sign(g)
        #expect(abs(a.value.item - 0.99) < 1e-9)
        let w = param(1, grad: 0)
        Adam.adamW([w], learningRate: 0.1, weightDecay: 0.5).step()  // decoupled: w −= lr·λ·w; zero gradient
        #expect(abs(w.value.item - 0.95) < 1e-9)
    }

    @Test("Schedules: cosine, one-cycle and warm-up")
    func schedules() {
        let cosine = LearningRateSchedule.cosine(minimumFactor: 0)
        #expect(cosine.rate(base: 1, step: 0, totalSteps: 100) == 1)
        #expect(abs(cosine.rate(base: 1, step: 50, totalSteps: 100) - 0.5) < 1e-12)
        #expect(abs(cosine.rate(base: 1, step: 100, totalSteps: 100)) < 1e-12)
        let one = LearningRateSchedule.oneCycle(warmupFraction: 0.3, divFactor: 25, finalDivFactor: 1e4)
        #expect(abs(one.rate(base: 1, step: 0, totalSteps: 100) - 0.04) < 1e-12)
        #expect(abs(one.rate(base: 1, step: 30, totalSteps: 100) - 1) < 1e-12)
        #expect(abs(one.rate(base: 1, step: 100, totalSteps: 100) - 1e-4) < 1e-12)
        let warm = LearningRateSchedule.warmupCosine(steps: 10)
        #expect(abs(warm.rate(base: 1, step: 0, totalSteps: 110) - 0.1) < 1e-12)
        #expect(abs(warm.rate(base: 1, step: 9, totalSteps: 110) - 1) < 1e-12)
        #expect(warm.rate(base: 1, step: 60, totalSteps: 110) < 0.51)
    }

    @Test("Gradient clipping scales to the maximum norm")
    func clipping() {
        let p = Parameter(Tensor(shape: [2], scalars: [0, 0]))
        p.grad = Tensor(shape: [2], scalars: [3, 4])
        let norm = clipGradientNorm([p], maxNorm: 1)
        #expect(norm == 5)
        #expect(p.grad!.scalars.map { abs($0) }.elementsEqual([0.6, 0.8]) { abs($0 - $1) < 1e-6 })
    }

    @Test("State dicts: path keys, save / load round trip, clear errors for corrupt or mismatched files")
    func stateDicts() throws {
        var rng = SplitMix(seed: 5)
        let model = Sequential([Linear(3, 4, using: &rng), BatchNorm(4), Function(.relu), Linear(4, 2, using: &rng)])
        #expect(model.stateDict().map(\.name) == [
            "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias", "layers.1.running_mean",
            "layers.1.running_var", "layers.3.weight", "layers.3.bias",
        ])
        let dir = Fixtures.scratch.appendingPathComponent("mlforge-sd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("w.bin").path
        try model.save(to: path)
        let copy = Sequential([Linear(3, 4, using: &rng), BatchNorm(4), Function(.relu), Linear(4, 2, using: &rng)])
        try copy.load(from: path)
        let input = GradientCheck.random([5, 3], seed: 9).cast(to: .float32)
        model.eval(); copy.eval()
        #expect(model(input).scalars == copy(input).scalars)

        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[40] ^= 0xFF
        #expect(throws: StateDictError.checksumMismatch) { try StateDict.decode(bytes) }
        #expect(throws: StateDictError.truncated) { try StateDict.decode(Array(bytes.prefix(30))) }
        #expect(throws: StateDictError.notAStateDict) { try StateDict.decode(Array("hello, this is not a weights file".utf8)) }
        let other = Sequential([Linear(3, 5, using: &rng)])
        #expect(throws: StateDictError.self) { try other.load(from: path) }
        do { try other.load(from: path) } catch let e as StateDictError {
            #expect(e.description.contains("different architecture") || e.description.contains("shape"))
        }
    }
}
