import Foundation
import NN
import Tensor
#if canImport(CBLAS)
import CBLAS
#endif

/// Tensor-engine timings; `Benchmarks/scripts/tensor_vs_torch.py` runs the same work in PyTorch.
enum TensorBenchmark {
    static func run(repeats: Int, only: String? = nil) {
        print("{\"name\": \"blas_kernel\", \"n\": 0, \"seconds\": 0, \"kernel\": \"\(BLASKernel.coreName)\"}")
        var rng = SplitMix64(seed: 1)
        for n in [256, 512, 1024, 2048] where only == nil || only == "sgemm" || only == "sgemm-direct" {
            let a = Tensor.randomNormal([n, n], using: &rng), b = Tensor.randomNormal([n, n], using: &rng)
            let reps = max(3, repeats * 256 / n)
            if only == "sgemm-direct" {
                // A direct cblas_sgemm with OpenBLAS's own two threads (a separate process from the engine's
                // runs, whose BLAS is single-threaded and split over the engine's workers).
                BLASThreads.set(2)
                var c = [Float](repeating: 0, count: n * n)
                let av = a.scalars, bv = b.scalars
                let direct = median(reps) {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, av, Int32(n), bv, Int32(n), 0, &c, Int32(n))
                }
                emit("sgemm_direct", n: n, seconds: direct)
            } else {
                let ours = median(reps) { _ = withNoGrad { a.matmul(b) } }
                emit("sgemm", n: n, seconds: ours, extra: ["gflops": 2 * pow(Double(n), 3) / ours / 1e9])
            }
        }
        if only == "sgemm-direct" { return }

        // MLP 64→256→256→10, batch 256: forward, backward, Adam.
        let mlp = ReferenceModels.mlp([64, 256, 256, 10], using: &rng)
        let xMLP = Tensor.randomNormal([256, 64], using: &rng)
        let yMLP = (0..<256).map { $0 % 10 }
        let adam = Adam(mlp.trainableParameters(), learningRate: 1e-3)
        if only == nil || only == "mlp" {
            emit("mlp_step", n: 256, seconds: median(repeats * 10) {
                mlp.zeroGrad()
                Loss.softmaxCrossEntropy(mlp(xMLP), labels: yMLP).backward()
                adam.step()
            })
        }
        if only == "fb" {
            emit("mlp_forward_backward", n: 256, seconds: median(repeats * 100) { mlp.zeroGrad(); Loss.softmaxCrossEntropy(mlp(xMLP), labels: yMLP).backward() })
        }
        if only == "parts" {
            emit("mlp_forward", n: 256, seconds: median(repeats * 10) { _ = Loss.softmaxCrossEntropy(mlp(xMLP), labels: yMLP) })
            emit("mlp_forward_backward", n: 256, seconds: median(repeats * 10) { mlp.zeroGrad(); Loss.softmaxCrossEntropy(mlp(xMLP), labels: yMLP).backward() })
            emit("mlp_adam", n: 256, seconds: median(repeats * 10) { adam.step() })
        }

        // 1-D CNN: [128, 1, 40] → 3 × (conv 32, k5, pad 2, ReLU) → linear 1280 → 10.
        let cnn = Sequential([
            Conv1d(1, 32, kernel: 5, padding: 2, using: &rng), Function(.relu),
            Conv1d(32, 32, kernel: 5, padding: 2, using: &rng), Function(.relu),
            Conv1d(32, 32, kernel: 5, padding: 2, using: &rng), Function(.relu),
            Function(.flatten), Linear(32 * 40, 10, using: &rng),
        ])
        let xCNN = Tensor.randomNormal([128, 1, 40], using: &rng)
        let yCNN = (0..<128).map { $0 % 10 }
        let adam2 = Adam(cnn.trainableParameters(), learningRate: 1e-3)
        if only == nil || only == "cnn" { emit("cnn1d_step", n: 128, seconds: median(repeats * 5) {
            cnn.zeroGrad()
            Loss.softmaxCrossEntropy(cnn(xCNN), labels: yCNN).backward()
            adam2.step()
        }) }
    }

    static func median(_ reps: Int, _ body: () -> Void) -> Double {
        body()  // warm-up
        var times: [Double] = []
        for _ in 0..<reps {
            let t = DispatchTime.now().uptimeNanoseconds
            body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9)
        }
        return times.sorted()[times.count / 2]
    }

    static func emit(_ name: String, n: Int, seconds: Double, extra: [String: Double] = [:]) {
        let fields = (["\"name\": \"\(name)\"", "\"n\": \(n)", "\"seconds\": \(seconds)"] + extra.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" })
        print("{" + fields.joined(separator: ", ") + "}")
    }
}

struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
