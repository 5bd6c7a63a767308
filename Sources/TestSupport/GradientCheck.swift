import NN
import Tensor

/// Finite-difference gradient checks, in Double.
///
/// The function's inputs become `Float64` parameters; the analytic gradient from `backward()` of
/// Σ R ⊙ f(inputs) (R a fixed random weight per output element, so every output matters) is compared with
/// central differences (f(x + h) − f(x − h)) / 2h for every input element.
public enum GradientCheck {
    public struct Result: CustomStringConvertible {
        public var maxError: Double
        public var worst: String
        public var description: String { "max relative error \(maxError) at \(worst)" }
    }

    /// Compares analytic and numeric gradients of `f` at `inputs` (converted to Double).
    public static func run(
        _ inputs: [Tensor], h: Double = 1e-6, seed: UInt64 = 99, _ f: ([Tensor]) -> Tensor
    ) -> Result {
        let params = inputs.map { Parameter($0.cast(to: .float64)) }
        return run(parameters: params, h: h, seed: seed) { f(params.map(\.tensor)) }
    }

    /// Checks a layer: the gradients with respect to its input and to each of its trainable parameters
    /// (the layer is converted to Double first).
    public static func run(layer: any Layer, input: Tensor, h: Double = 1e-6, seed: UInt64 = 99) -> Result {
        layer.cast(to: .float64)
        let x = Parameter(input.cast(to: .float64))
        return run(parameters: [x] + layer.trainableParameters(), h: h, seed: seed) { layer(x.tensor) }
    }

    /// The core check: `output()` must compute from `parameters` (through `.tensor`).
    public static func run(parameters: [Parameter], h: Double = 1e-6, seed: UInt64 = 99, _ output: () -> Tensor) -> Result {
        var rng = SplitMix(seed: seed)
        let probe = withNoGrad { output() }
        let weights = Tensor(shape: probe.shape, doubles: (0..<probe.count).map { _ in rng.nextUnit() * 2 - 1 })
        func loss() -> Tensor { (output() * weights).sum() }
        for p in parameters { p.zeroGrad() }
        loss().backward()
        var worst = Result(maxError: 0, worst: "-")
        for (k, param) in parameters.enumerated() {
            let analytic = param.grad?.doubles ?? [Double](repeating: 0, count: param.value.count)
            let original = param.value
            let base = original.doubles
            for i in base.indices {
                func value(_ delta: Double) -> Double {
                    var v = base
                    v[i] += delta
                    param.value = Tensor(shape: original.shape, doubles: v)
                    defer { param.value = original }
                    return withNoGrad { loss().item }
                }
                let numeric = (value(h) - value(-h)) / (2 * h)
                let err = Swift.abs(numeric - analytic[i]) / Swift.max(1, Swift.abs(numeric), Swift.abs(analytic[i]))
                if err > worst.maxError {
                    worst = Result(maxError: err, worst: "parameter \(k) element \(i): analytic \(analytic[i]), numeric \(numeric)")
                }
            }
        }
        return worst
    }

    /// A Double tensor of `shape` with uniform values in `range`, from `seed`.
    public static func random(_ shape: [Int], _ range: ClosedRange<Double> = -1...1, seed: UInt64) -> Tensor {
        var rng = SplitMix(seed: seed)
        let n = shape.reduce(1, *)
        return Tensor(shape: shape, doubles: (0..<n).map { _ in range.lowerBound + (range.upperBound - range.lowerBound) * rng.nextUnit() })
    }
}

/// SplitMix64: a tiny seeded generator for test data.
public struct SplitMix: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}
