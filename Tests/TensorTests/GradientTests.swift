import Tensor
import Testing
import TestSupport

/// Every primitive against central differences in Double, on seeded random shapes (broadcasts included).
@Suite("Gradients of every primitive")
struct GradientTests {
    let tolerance = 1e-6

    func check(_ name: String, _ inputs: [Tensor], _ f: ([Tensor]) -> Tensor) {
        let r = GradientCheck.run(inputs, f)
        #expect(r.maxError < tolerance, "\(name): \(r)")
    }

    func rnd(_ shape: [Int], _ range: ClosedRange<Double> = -1...1, _ seed: UInt64) -> Tensor {
        GradientCheck.random(shape, range, seed: seed)
    }

    /// Seeded random shapes: [a, b] with b, and the broadcast partner's shape.
    static let shapes: [([Int], [Int])] = [([3, 4], [3, 4]), ([2, 3, 4], [4]), ([4, 1], [1, 5]), ([2, 1, 3], [4, 1]), ([5], [])]

    @Test("add, sub, mul, div with broadcasting", arguments: shapes)
    func binary(_ s: ([Int], [Int])) {
        let a = rnd(s.0, -1...1, 11), b = rnd(s.1, 0.5...2, 12)
        check("add", [a, b]) { $0[0] + $0[1] }
        check("sub", [a, b]) { $0[0] - $0[1] }
        check("mul", [a, b]) { $0[0] * $0[1] }
        check("div", [a, b]) { $0[0] / $0[1] }
    }

    @Test("Elementwise functions")
    func unary() {
        let x = rnd([3, 5], -2...2, 21)
        let positive = rnd([3, 5], 0.2...3, 22)
        let awayFromZero = Tensor(shape: [6], doubles: [-1.3, -0.7, -0.2, 0.3, 0.8, 1.9])
        check("neg", [x]) { -$0[0] }
        check("exp", [x]) { $0[0].exp() }
        check("log", [positive]) { $0[0].log() }
        check("sqrt", [positive]) { $0[0].sqrt() }
        check("abs", [awayFromZero]) { $0[0].abs() }
        check("tanh", [x]) { $0[0].tanh() }
        check("sigmoid", [x]) { $0[0].sigmoid() }
        check("relu", [awayFromZero]) { $0[0].relu() }
        check("gelu", [x]) { $0[0].gelu() }
        check("pow", [positive]) { $0[0].pow(2.5) }
        check("clamp", [awayFromZero]) { $0[0].clamp(-1, 1) }
        check("silu", [x]) { $0[0].silu() }
    }

    @Test("matmul: matrices and folded leading axes")
    func matmul() {
        check("matmul 2-D", [rnd([3, 4], -1...1, 31), rnd([4, 5], -1...1, 32)]) { $0[0].matmul($0[1]) }
        check("matmul 3-D", [rnd([2, 3, 4], -1...1, 33), rnd([4, 2], -1...1, 34)]) { $0[0].matmul($0[1]) }
    }

    @Test("Reductions: sum, mean, max, logsumexp, softmax, variance", arguments: [0, 1, 2])
    func reductions(axis: Int) {
        let x = rnd([3, 4, 5], -2...2, 41)
        check("sum", [x]) { $0[0].sum(axis: axis) }
        check("sum keepDims", [x]) { $0[0].sum(axis: axis, keepDims: true) }
        check("mean", [x]) { $0[0].mean(axis: axis) }
        check("max", [x]) { $0[0].max(axis: axis) }
        check("logsumexp", [x]) { $0[0].logSumExp(axis: axis) }
        check("softmax", [x]) { $0[0].softmax(axis: axis) }
        check("variance", [x]) { $0[0].variance(axes: [axis, 2]) }
        check("sum all", [x]) { $0[0].sum() }
    }

    @Test("Layout: reshape, transpose, slice, concat, gather, broadcast")
    func layout() {
        let x = rnd([2, 3, 4], -1...1, 51)
        check("reshape", [x]) { $0[0].reshaped([4, 6]) }
        check("transpose", [x]) { $0[0].transposed([2, 0, 1]) }
        check("transpose 2-D", [rnd([3, 5], -1...1, 52)]) { $0[0].t }
        check("slice", [x]) { $0[0].slice(axis: 1, 1..<3) }
        check("concat", [x, rnd([2, 2, 4], -1...1, 53)]) { Tensor.concat([$0[0], $0[1]], axis: 1) }
        check("gather with repeats", [rnd([5, 3], -1...1, 54)]) { $0[0].gatherRows([4, 0, 4, 2]) }
        check("broadcast", [rnd([3, 1], -1...1, 55)]) { $0[0].broadcast(to: [2, 3, 4]) }
    }

    @Test("Convolution with stride, padding and dilation; 1-D convolution",
          arguments: [(1, 0, 1), (2, 1, 1), (1, 2, 2), (2, 0, 1)])
    func convolution(_ c: (Int, Int, Int)) {
        let x = rnd([2, 3, 7, 6], -1...1, 61), w = rnd([4, 3, 3, 2], -1...1, 62)
        check("conv2d", [x, w]) { $0[0].conv2d($0[1], stride: (c.0, c.0), padding: (c.1, c.1), dilation: (c.2, c.2)) }
        check("conv1d", [rnd([2, 3, 9], -1...1, 63), rnd([2, 3, 3], -1...1, 64)]) {
            $0[0].conv1d($0[1], stride: c.0, padding: c.1, dilation: c.2)
        }
    }

    @Test("Pooling: max (distinct values) and average (with padding), 2-D and 1-D")
    func pooling() {
        // A permutation of distinct values, so the maximum of each window is unique.
        let n = 2 * 2 * 6 * 6
        var rng = SplitMix(seed: 7)
        var values = (0..<n).map { Double($0) / Double(n) }
        for i in stride(from: n - 1, to: 0, by: -1) { values.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        let x = Tensor(shape: [2, 2, 6, 6], doubles: values)
        check("maxPool2d", [x]) { $0[0].maxPool2d(kernel: (2, 2)) }
        check("maxPool2d overlapping", [x]) { $0[0].maxPool2d(kernel: (3, 3), stride: (2, 2), padding: (1, 1)) }
        check("avgPool2d", [x]) { $0[0].avgPool2d(kernel: (3, 3), stride: (2, 2), padding: (1, 1)) }
        check("maxPool1d", [x.reshaped([2, 2, 36])]) { $0[0].maxPool1d(kernel: 3, stride: 2) }
        check("avgPool1d", [x.reshaped([2, 2, 36])]) { $0[0].avgPool1d(kernel: 4) }
        check("global average pool", [x]) { $0[0].globalAveragePool() }
    }

    @Test("A parameter used twice accumulates both gradients; no-grad records nothing")
    func accumulation() {
        let p = Parameter(Tensor(shape: [2], doubles: [1, 2]))
        let x = p.tensor
        (x * x + x).sum().backward()
        #expect(p.grad?.doubles == [3, 5])
        p.zeroGrad()
        let y = withNoGrad { (p.tensor * 3).sum() }
        #expect(!y.requiresGrad)
    }

    @Test("A deep chain back-propagates without recursion")
    func deepChain() {
        let p = Parameter(Tensor(shape: [1], scalars: [1]))
        var x = p.tensor
        for _ in 0..<20_000 { x = x * 1.0 }
        x.sum().backward()
        #expect(p.grad?.scalars == [1])
    }
}
