import Foundation
import MLData
import Tensor

/// The smooth part of a linear model's objective: the mean loss of `X·W + b` against the targets.
struct LinearProblem {
    let task: PredictionTask
    let rows: Int
    let columns: Int
    let outputs: Int
    let x: Tensor
    let xT: Tensor
    /// Regression targets, or one-hot class indicators (n × outputs; n × 1 for binary).
    let y: [Double]

    init(_ data: LabeledData) {
        task = data.task
        rows = data.rows
        columns = data.features.columns
        outputs = task == .regression || task == .binary ? 1 : task.classCount
        x = Tensor(shape: [rows, columns], doubles: data.features.values)
        xT = x.transposed([1, 0])
        switch task {
        case .regression: y = data.values
        case .binary: y = data.labels.map { Double($0) }
        case .multiclass(let k):
            var onehot = [Double](repeating: 0, count: rows * k)
            for (r, c) in data.labels.enumerated() { onehot[r * k + c] = 1 }
            y = onehot
        }
    }

    /// A starting intercept: the mean target, the log-odds of the positive rate, or the log class priors.
    var initialIntercept: [Double] {
        switch task {
        case .regression: return [y.reduce(0, +) / Double(max(1, rows))]
        case .binary:
            let rate = min(max(y.reduce(0, +) / Double(max(1, rows)), 1e-6), 1 - 1e-6)
            return [log(rate / (1 - rate))]
        case .multiclass(let k):
            var counts = [Double](repeating: 0, count: k)
            for r in 0..<rows { for c in 0..<k { counts[c] += y[r * k + c] } }
            return counts.map { log(max($0, 1e-3) / Double(max(1, rows))) }
        }
    }

    /// `x (rows × columns) · w (columns × outputs)`, row-major.
    static func product(_ x: [Double], rows: Int, columns: Int, _ w: [Double], outputs: Int) -> [Double] {
        guard rows > 0 else { return [] }
        guard columns > 0 else { return [Double](repeating: 0, count: rows * outputs) }
        return Tensor(shape: [rows, columns], doubles: x).matmul(Tensor(shape: [columns, outputs], doubles: w)).doubles
    }

    /// Mean loss at (w, b), with its gradient when asked.
    func evaluate(_ w: [Double], _ b: [Double], gradient: Bool) -> (loss: Double, gw: [Double], gb: [Double]) {
        var z = columns > 0 ? x.matmul(Tensor(shape: [columns, outputs], doubles: w)).doubles : [Double](repeating: 0, count: rows * outputs)
        for r in 0..<rows { for k in 0..<outputs { z[r * outputs + k] += b[k] } }
        var loss = 0.0
        let n = Double(rows)
        // z becomes dLoss/dz (divided by n).
        switch task {
        case .regression:
            for i in 0..<rows {
                let d = z[i] - y[i]
                loss += 0.5 * d * d
                z[i] = d / n
            }
        case .binary:
            for i in 0..<rows {
                let v = z[i]
                // log(1 + e^v) − y v, stably.
                loss += (v > 0 ? v + log1p(exp(-v)) : log1p(exp(v))) - y[i] * v
                z[i] = (1 / (1 + exp(-v)) - y[i]) / n
            }
        case .multiclass:
            let k = outputs
            for r in 0..<rows {
                let row = (r * k)..<(r * k + k)
                let top = z[row].max() ?? 0
                var s = 0.0
                for i in row { s += exp(z[i] - top) }
                let logS = log(s) + top
                for i in row {
                    loss += y[i] * (logS - z[i])
                    z[i] = (exp(z[i] - logS) - y[i]) / n
                }
            }
        }
        loss /= n
        guard gradient else { return (loss, [], []) }
        let gw = columns > 0 ? xT.matmul(Tensor(shape: [rows, outputs], doubles: z)).doubles : []
        var gb = [Double](repeating: 0, count: outputs)
        for r in 0..<rows { for k in 0..<outputs { gb[k] += z[r * outputs + k] } }
        return (loss, gw, gb)
    }
}

/// FISTA: accelerated proximal gradient with backtracking on the step and adaptive momentum restart,
/// for `loss(w, b) + l2/2 ‖w‖² + l1 ‖w‖₁` (b unpenalised).
struct ProximalGradient {
    var l2: Double
    var l1: Double
    var maxIterations: Int
    var tolerance: Double

    /// Minimises; `progress(iteration, w, b)` may stop the solver early (the current point is returned).
    func solve(
        _ problem: inout LinearProblem,
        progress: (Int, [Double], [Double]) -> FitControl
    ) -> (weights: [Double], intercept: [Double]) {
        let nw = problem.columns * problem.outputs
        var w = [Double](repeating: 0, count: nw)
        var b = problem.initialIntercept
        var yw = w, yb = b
        var t = 1.0
        var lipschitz = 1.0
        func smooth(_ w: [Double], _ b: [Double], gradient: Bool) -> (Double, [Double], [Double]) {
            var (f, gw, gb) = problem.evaluate(w, b, gradient: gradient)
            var sq = 0.0
            for v in w { sq += v * v }
            f += 0.5 * l2 * sq
            if gradient { for i in 0..<nw { gw[i] += l2 * w[i] } }
            return (f, gw, gb)
        }
        for iteration in 1...max(1, maxIterations) {
            let (fy, gw, gb) = smooth(yw, yb, gradient: true)
            var nextW = w, nextB = b, fNext = 0.0
            var attempts = 0
            while true {
                let step = 1 / lipschitz
                let threshold = l1 * step
                for i in 0..<nw {
                    let v = yw[i] - step * gw[i]
                    nextW[i] = threshold > 0 ? (v > threshold ? v - threshold : v < -threshold ? v + threshold : 0) : v
                }
                for k in 0..<b.count { nextB[k] = yb[k] - step * gb[k] }
                fNext = smooth(nextW, nextB, gradient: false).0
                var inner = 0.0, dist = 0.0
                for i in 0..<nw { let d = nextW[i] - yw[i]; inner += gw[i] * d; dist += d * d }
                for k in 0..<b.count { let d = nextB[k] - yb[k]; inner += gb[k] * d; dist += d * d }
                attempts += 1
                if fNext <= fy + inner + 0.5 * lipschitz * dist + 1e-12 * abs(fy) || attempts > 60 { break }
                lipschitz *= 2
            }
            // Adaptive restart: drop the momentum when it points uphill.
            var uphill = 0.0, change = 0.0, size = 0.0
            for i in 0..<nw {
                uphill += (yw[i] - nextW[i]) * (nextW[i] - w[i])
                change = max(change, abs(nextW[i] - w[i]))
                size = max(size, abs(nextW[i]))
            }
            for k in 0..<b.count {
                uphill += (yb[k] - nextB[k]) * (nextB[k] - b[k])
                change = max(change, abs(nextB[k] - b[k]))
                size = max(size, abs(nextB[k]))
            }
            if uphill > 0 { t = 1 }
            let tNext = (1 + (1 + 4 * t * t).squareRoot()) / 2
            let momentum = (t - 1) / tNext
            for i in 0..<nw { yw[i] = nextW[i] + momentum * (nextW[i] - w[i]) }
            for k in 0..<b.count { yb[k] = nextB[k] + momentum * (nextB[k] - b[k]) }
            w = nextW
            b = nextB
            t = tNext
            lipschitz *= 0.9
            if change <= tolerance * max(1, size) { break }
            if progress(iteration, w, b) == .stop { break }
        }
        return (w, b)
    }
}
