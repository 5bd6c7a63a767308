import NN
import Tensor
import Testing
import TestSupport

/// Every layer against central differences in Double: gradients for its input and each parameter.
@Suite("Gradients of every layer")
struct LayerGradientTests {
    func check(_ name: String, _ layer: any Layer, _ input: Tensor, tolerance: Double = 1e-6) {
        let r = GradientCheck.run(layer: layer, input: input)
        #expect(r.maxError < tolerance, "\(name): \(r)")
    }

    func x(_ shape: [Int], _ seed: UInt64) -> Tensor { GradientCheck.random(shape, -1...1, seed: seed) }

    @Test("Linear, Conv1d, Conv2d (stride, padding, dilation)")
    func parametric() {
        var rng = SplitMix(seed: 1)
        check("Linear", Linear(5, 3, using: &rng), x([4, 5], 2))
        check("Linear on [N, T, F]", Linear(5, 2, using: &rng), x([2, 3, 5], 3))
        check("Linear without bias", Linear(4, 2, bias: false, using: &rng), x([3, 4], 4))
        check("Conv1d", Conv1d(3, 4, kernel: 3, stride: 2, padding: 1, dilation: 1, using: &rng), x([2, 3, 9], 5))
        check("Conv1d dilated", Conv1d(2, 2, kernel: 3, padding: 2, dilation: 2, using: &rng), x([2, 2, 8], 6))
        check("Conv2d", Conv2d(2, 3, kernel: (3, 3), stride: (2, 1), padding: (1, 1), dilation: (1, 2), using: &rng), x([2, 2, 6, 7], 7))
    }

    @Test("BatchNorm (training and evaluation) and LayerNorm")
    func normalisation() {
        let bn = BatchNorm(3)
        check("BatchNorm train [N, C]", bn, x([6, 3], 11))
        check("BatchNorm train [N, C, H, W]", BatchNorm(3), x([2, 3, 2, 3], 12))
        let evalBN = BatchNorm(3)
        evalBN.cast(to: .float64)
        _ = evalBN(x([8, 3, 4], 13))  // move the running statistics
        evalBN.eval()
        check("BatchNorm eval", evalBN, x([2, 3, 4], 14))
        check("LayerNorm", LayerNorm(5), x([3, 5], 15))
    }

    @Test("Embedding, activations, pooling, identity and zero ops")
    func parameterFree() {
        var rng = SplitMix(seed: 2)
        let emb = Embedding(count: 6, dimension: 3, using: &rng)
        emb.cast(to: .float64)
        let ids = Tensor(shape: [5], doubles: [0, 5, 2, 5, 1])
        let r = GradientCheck.run(parameters: emb.trainableParameters()) { emb(ids) }
        #expect(r.maxError < 1e-6, "Embedding: \(r)")
        for kind in Function.Kind.allCases where kind != .relu {
            check("\(kind)", Function(kind), x([3, 4], 16))
        }
        check("relu", Function(.relu), Tensor(shape: [4], doubles: [-1.5, -0.2, 0.3, 2]))
        let distinct = Tensor(shape: [1, 2, 4, 4], doubles: (0..<32).map { Double(($0 * 7) % 32) / 10 })
        check("max2d", Pooling(.max2d(kernel: 2, stride: 2, padding: 0)), distinct)
        check("avg2d", Pooling(.avg2d(kernel: 3, stride: 1, padding: 1)), x([1, 2, 4, 4], 17))
        check("max1d", Pooling(.max1d(kernel: 2, stride: 2, padding: 0)), distinct.reshaped([1, 2, 16]))
        check("avg1d", Pooling(.avg1d(kernel: 3, stride: 2, padding: 1)), x([2, 2, 7], 18))
        check("global average", Pooling(.globalAverage), x([2, 3, 2, 2], 19))
    }

    @Test("Sequential, Residual and a DAG cell with two inputs")
    func containers() {
        var rng = SplitMix(seed: 3)
        check("Sequential", Sequential([Linear(4, 6, using: &rng), Function(.tanh), Linear(6, 2, using: &rng)]), x([3, 4], 21))
        check("Residual", Residual(Sequential([Linear(4, 4, using: &rng), Function(.gelu)])), x([3, 4], 22))
        let cell = DAG(inputCount: 1, nodeCount: 3, edges: [
            .init(from: 0, to: 1, op: Linear(4, 4, using: &rng)),
            .init(from: 0, to: 2, op: Function(.identity)),
            .init(from: 1, to: 2, op: Sequential([Function(.sigmoid), Linear(4, 4, using: &rng)])),
        ], outputs: [1, 2], outputMerge: .concat(axis: 1))
        check("DAG", cell, x([3, 4], 23))
        #expect(cell(x([3, 4], 23)).shape == [3, 8])
    }

    @Test("Dropout: zero share near p, survivors scaled by 1/(1 − p), identity in evaluation, gradient = mask")
    func dropout() {
        let d = Dropout(0.3, seed: 42)
        let p = Parameter(Tensor.ones([10_000]))
        let y = d(p.tensor)
        let v = y.scalars
        let zeros = Double(v.filter { $0 == 0 }.count) / Double(v.count)
        #expect(abs(zeros - 0.3) < 0.02)
        #expect(v.filter { $0 != 0 }.allSatisfy { abs($0 - Float(1 / 0.7)) < 1e-5 })
        y.sum().backward()
        #expect(p.grad?.scalars == v)
        d.eval()
        #expect(d(Tensor.ones([5])).scalars == [1, 1, 1, 1, 1])
    }
}
