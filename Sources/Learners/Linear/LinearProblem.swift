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
    /// Regression targets, or class probabilities — one-hot labels or soft targets (n × outputs; for
    /// binary n × 1, the probability of class 1). The losses below are cross-entropies, so soft targets
    /// need nothing else.
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
        case .binary:
            let p = data.classProbabilities
            y = (0..<rows).map { p[2 * $0 + 1] }
        case .multiclass: y = data.classProbabilities
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

    /// The scores `X·W + b` (rows × outputs, row-major).
    func scores(_ w: [Double], _ b: [Double]) -> [Double] {
        var z = columns > 0 ? x.matmul(Tensor(shape: [columns, outputs], doubles: w)).doubles : [Double](repeating: 0, count: rows * outputs)
        for r in 0..<rows { for k in 0..<outputs { z[r * outputs + k] += b[k] } }
        return z
    }

    /// log(1 + e^v), stably: a binary row's log loss is this less y·v.
    static func softplus(_ v: Double) -> Double { v > 0 ? v + log1p(exp(-v)) : log1p(exp(v)) }

    /// log Σ exp over `z[row]`, stably (shifted by the row's largest score): a multiclass row's normaliser.
    static func logSumExp(_ z: [Double], _ row: Range<Int>) -> Double {
        let top = z[row].max() ?? 0
        var s = 0.0
        for i in row { s += exp(z[i] - top) }
        return log(s) + top
    }

    /// Mean loss of the scores `z` (rows × outputs, row-major), as `evaluate` computes it.
    func loss(scores z: [Double]) -> Double {
        var loss = 0.0
        switch task {
        case .regression:
            for i in 0..<rows { loss += 0.5 * (z[i] - y[i]) * (z[i] - y[i]) }
        case .binary:
            for i in 0..<rows { loss += Self.softplus(z[i]) - y[i] * z[i] }
        case .multiclass:
            let k = outputs
            for r in 0..<rows {
                let row = (r * k)..<(r * k + k)
                let logS = Self.logSumExp(z, row)
                for i in row where y[i] != 0 { loss += y[i] * (logS - z[i]) }
            }
        }
        return loss / Double(max(1, rows))
    }

    /// Mean loss at (w, b), with its gradient when asked.
    func evaluate(_ w: [Double], _ b: [Double], gradient: Bool) -> (loss: Double, gw: [Double], gb: [Double]) {
        guard gradient else { return (loss(scores: scores(w, b)), [], []) }
        var z = scores(w, b)
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
                loss += Self.softplus(v) - y[i] * v
                z[i] = (1 / (1 + exp(-v)) - y[i]) / n
            }
        case .multiclass:
            let k = outputs
            for r in 0..<rows {
                let row = (r * k)..<(r * k + k)
                let logS = Self.logSumExp(z, row)
                for i in row {
                    loss += y[i] * (logS - z[i])
                    z[i] = (exp(z[i] - logS) - y[i]) / n
                }
            }
        }
        loss /= n
        let gw = columns > 0 ? xT.matmul(Tensor(shape: [rows, outputs], doubles: z)).doubles : []
        var gb = [Double](repeating: 0, count: outputs)
        for r in 0..<rows { for k in 0..<outputs { gb[k] += z[r * outputs + k] } }
        return (loss, gw, gb)
    }
}
