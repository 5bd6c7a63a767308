import Tensor

/// Elastic-net least squares by cyclic coordinate descent on the Gram matrix (the covariance-update form
/// of Friedman, Hastie & Tibshirani 2010, as glmnet and scikit-learn's precomputed path use): after one
/// pass over the data to form XᵀX / n and Xᵀy / n, every sweep costs O(features²), not O(rows × features).
///
/// Minimises ½ mean (y − b − Xw)² + l2/2 ‖w‖² + l1 ‖w‖₁, the intercept b unpenalised (centred data).
struct GramCoordinateDescent {
    var l2: Double
    var l1: Double
    var maxSweeps: Int
    var tolerance: Double

    func solve(x: [Double], y: [Double], rows n: Int, columns f: Int, shouldStop: (Int) -> Bool) -> (weights: [Double], intercept: Double) {
        let yMean = y.reduce(0, +) / Double(max(1, n))
        guard f > 0 else { return ([], yMean) }
        var means = [Double](repeating: 0, count: f)
        for r in 0..<n { for c in 0..<f { means[c] += x[r * f + c] } }
        for c in 0..<f { means[c] /= Double(n) }
        // Gram matrix and correlations of the centred data, through BLAS.
        var centred = x
        var dy = y
        for r in 0..<n {
            for c in 0..<f { centred[r * f + c] -= means[c] }
            dy[r] -= yMean
        }
        let xc = Tensor(shape: [n, f], doubles: centred)
        let xcT = xc.transposed([1, 0])
        let inv = 1 / Double(n)
        let gram = xcT.matmul(xc).doubles.map { $0 * inv }
        let corr = xcT.matmul(Tensor(shape: [n, 1], doubles: dy)).doubles.map { $0 * inv }
        var w = [Double](repeating: 0, count: f)
        // grad[a] = corr[a] − Σ_b gram[a,b] w[b]: the residual correlation, kept up to date.
        var residual = corr
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
