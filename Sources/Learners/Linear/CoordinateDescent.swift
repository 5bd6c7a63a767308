import Tensor

/// Elastic-net least squares by cyclic coordinate descent on the Gram matrix (the covariance-update form
/// of Friedman, Hastie & Tibshirani 2010, as glmnet and scikit-learn's precomputed path use): after one
/// pass over the data to form XᵀX / n and Xᵀy / n, every sweep costs O(features²), not O(rows × features).
///
/// Minimises ½ mean sᵢ(yᵢ − b − xᵢ·w)² + l2/2 ‖w‖² + l1 ‖w‖₁ with sample weights s (all 1 unless given;
/// the logistic solver's Newton steps weight rows by p(1 − p)), the intercept b unpenalised (centred data).
package struct GramCoordinateDescent {
    package var l2: Double
    package var l1: Double
    package var maxSweeps: Int
    package var tolerance: Double

    /// Rows of the centred data formed at a time (about 32 MB of doubles): the Gram matrix is summed
    /// over blocks, so that a wide table's pass needs a block's memory, not a copy of the whole table,
    /// and `interrupt` is asked between blocks (on 80,000 × 500 one pass took seconds and ran a trial
    /// 2.3 s past its deadline, 2026-12-06). A table of one block gets the values it got before (0 + x is x).
    package var blockValues = 1 << 22

    package init(l2: Double, l1: Double, maxSweeps: Int, tolerance: Double) {
        (self.l2, self.l1, self.maxSweeps, self.tolerance) = (l2, l1, maxSweeps, tolerance)
    }

    /// Solves from `start` (zeros when nil); `shouldStop(sweep)` may end the sweeps early. `interrupt`
    /// is asked while the Gram matrix is formed: when it says stop, the solve returns `start` (with the
    /// intercept that goes with it) and `interrupted` true.
    package func solve(x: [Double], y: [Double], sampleWeights s: [Double]? = nil, rows n: Int, columns f: Int, start: [Double]? = nil,
                       interrupt: () -> Bool = { false }, shouldStop: (Int) -> Bool) -> (weights: [Double], intercept: Double, interrupted: Bool) {
        let total = s?.reduce(0, +) ?? Double(n)
        let yMean = (s.map { s in zip(s, y).reduce(0) { $0 + $1.0 * $1.1 } } ?? y.reduce(0, +)) / max(total, 1e-300)
        guard f > 0 else { return ([], yMean, false) }
        var means = [Double](repeating: 0, count: f)
        for r in 0..<n {
            let weight = s?[r] ?? 1
            for c in 0..<f { means[c] += weight * x[r * f + c] }
        }
        for c in 0..<f { means[c] /= max(total, 1e-300) }
        func intercept(_ w: [Double]) -> Double {
            var b = yMean
            for c in 0..<f { b -= means[c] * w[c] }
            return b
        }
        // Gram matrix and correlations of the centred data (rows scaled by √s), through BLAS, a block of
        // rows at a time.
        let inv = 1 / Double(n)
        let block = max(1, blockValues / f)
        var gram = [Double](repeating: 0, count: f * f), corr = [Double](repeating: 0, count: f)
        for lo in stride(from: 0, to: n, by: block) {
            if lo > 0, interrupt() {
                let w = start ?? [Double](repeating: 0, count: f)
                return (w, intercept(w), true)
            }
            let hi = min(n, lo + block)
            var centred = Array(x[(lo * f)..<(hi * f)])
            var dy = Array(y[lo..<hi])
            for r in lo..<hi {
                let root = s.map { $0[r].squareRoot() } ?? 1
                let at = (r - lo) * f
                for c in 0..<f { centred[at + c] = (centred[at + c] - means[c]) * root }
                dy[r - lo] = (dy[r - lo] - yMean) * root
            }
            let xc = Tensor(shape: [hi - lo, f], doubles: centred)
            let xcT = xc.transposed([1, 0])
            let g = xcT.matmul(xc).doubles, cy = xcT.matmul(Tensor(shape: [hi - lo, 1], doubles: dy)).doubles
            for i in gram.indices { gram[i] += g[i] }
            for i in corr.indices { corr[i] += cy[i] }
        }
        for i in gram.indices { gram[i] *= inv }
        for i in corr.indices { corr[i] *= inv }
        var w = start ?? [Double](repeating: 0, count: f)
        // grad[a] = corr[a] − Σ_b gram[a,b] w[b]: the residual correlation, kept up to date.
        var residual = corr
        if start != nil {
            for a in 0..<f { for b in 0..<f { residual[a] -= gram[a * f + b] * w[b] } }
        }
        for sweep in 1...max(1, maxSweeps) {
            var maxChange = 0.0, maxWeight = 0.0
            for a in 0..<f {
                let g = gram[a * f + a]
                let denominator = g + l2
                guard denominator > 0 else { continue }
                let rho = residual[a] + g * w[a]
                let updated = rho > l1 ? (rho - l1) / denominator : rho < -l1 ? (rho + l1) / denominator : 0
                let delta = updated - w[a]
                if delta != 0 {
                    for b in 0..<f { residual[b] -= gram[b * f + a] * delta }
                    w[a] = updated
                }
                maxChange = max(maxChange, abs(delta))
                maxWeight = max(maxWeight, abs(updated))
            }
            if maxChange <= tolerance * max(1, maxWeight) || shouldStop(sweep) { break }
        }
        return (w, intercept(w), false)
    }
}
