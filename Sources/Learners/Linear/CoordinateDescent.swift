import Tensor

/// Elastic-net least squares by cyclic coordinate descent on the Gram matrix (the covariance-update form
/// of Friedman, Hastie & Tibshirani 2010, as glmnet and scikit-learn's precomputed path use): after one
/// pass over the data to form XᵀX / n and Xᵀy / n, every sweep costs O(features²), not O(rows × features).
///
/// Minimises ½ mean sᵢ(yᵢ − b − xᵢ·w)² + l2/2 ‖w‖² + l1 ‖w‖₁ with sample weights s (all 1 unless given;
/// the logistic solver's Newton steps weight rows by p(1 − p)), the intercept b unpenalised (centred data).
struct GramCoordinateDescent {
    var l2: Double
    var l1: Double
    var maxSweeps: Int
    var tolerance: Double

    func solve(x: [Double], y: [Double], sampleWeights s: [Double]? = nil, rows n: Int, columns f: Int, start: [Double]? = nil,
               shouldStop: (Int) -> Bool) -> (weights: [Double], intercept: Double) {
        let total = s?.reduce(0, +) ?? Double(n)
        let yMean = (s.map { s in zip(s, y).reduce(0) { $0 + $1.0 * $1.1 } } ?? y.reduce(0, +)) / max(total, 1e-300)
        guard f > 0 else { return ([], yMean) }
        var means = [Double](repeating: 0, count: f)
        for r in 0..<n {
            let weight = s?[r] ?? 1
            for c in 0..<f { means[c] += weight * x[r * f + c] }
        }
        for c in 0..<f { means[c] /= max(total, 1e-300) }
        // Gram matrix and correlations of the centred data (rows scaled by √s), through BLAS.
        var centred = x
        var dy = y
        for r in 0..<n {
            let root = s.map { $0[r].squareRoot() } ?? 1
            for c in 0..<f { centred[r * f + c] = (centred[r * f + c] - means[c]) * root }
            dy[r] = (dy[r] - yMean) * root
        }
        let xc = Tensor(shape: [n, f], doubles: centred)
        let xcT = xc.transposed([1, 0])
        let inv = 1 / Double(n)
        let gram = xcT.matmul(xc).doubles.map { $0 * inv }
        let corr = xcT.matmul(Tensor(shape: [n, 1], doubles: dy)).doubles.map { $0 * inv }
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
        var b = yMean
        for c in 0..<f { b -= means[c] * w[c] }
        return (w, b)
    }
}
