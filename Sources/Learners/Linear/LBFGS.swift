/// Limited-memory BFGS (Liu & Nocedal 1989) with a backtracking Armijo line search, for the smooth
/// (L2-penalised) logistic objectives: `loss(w, b) + l2/2 ‖w‖²`, b unpenalised.
struct LBFGS {
    var l2: Double
    var maxIterations: Int
    /// Stop when every gradient component is at most this (the mean-loss scale).
    var gradientTolerance: Double
    var memory = 10

    func solve(
        _ problem: inout LinearProblem,
        progress: (Int, [Double], [Double]) -> FitControl
    ) -> (weights: [Double], intercept: [Double]) {
        let nw = problem.columns * problem.outputs
        var x = [Double](repeating: 0, count: nw) + problem.initialIntercept
        let p = problem
        func evaluate(_ x: [Double]) -> (Double, [Double]) {
            let w = Array(x[..<nw]), b = Array(x[nw...])
            var (f, gw, gb) = p.evaluate(w, b, gradient: true)
            for i in 0..<nw {
                f += 0.5 * l2 * w[i] * w[i]
                gw[i] += l2 * w[i]
            }
            return (f, gw + gb)
        }
        func dot(_ a: [Double], _ b: [Double]) -> Double {
            var s = 0.0
            for i in a.indices { s += a[i] * b[i] }
            return s
        }
        var (f, g) = evaluate(x)
        var sList: [[Double]] = [], yList: [[Double]] = [], rhoList: [Double] = []
        for iteration in 1...max(1, maxIterations) {
            if g.reduce(0, { max($0, abs($1)) }) <= gradientTolerance { break }
            // Two-loop recursion: d = −H g.
            var q = g
            var alphas = [Double](repeating: 0, count: sList.count)
            for i in stride(from: sList.count - 1, through: 0, by: -1) {
                alphas[i] = rhoList[i] * dot(sList[i], q)
                for j in q.indices { q[j] -= alphas[i] * yList[i][j] }
            }
            if let s = sList.last, let y = yList.last {
                let gamma = dot(s, y) / max(dot(y, y), 1e-300)
                for j in q.indices { q[j] *= gamma }
            }
            for i in 0..<sList.count {
                let beta = rhoList[i] * dot(yList[i], q)
                for j in q.indices { q[j] += sList[i][j] * (alphas[i] - beta) }
            }
            var d = q.map { -$0 }
            var slope = dot(g, d)
            if !(slope < 0) {  // not a descent direction: restart from steepest descent
                d = g.map { -$0 }
                slope = dot(g, d)
                sList.removeAll(); yList.removeAll(); rhoList.removeAll()
            }
            var step = sList.isEmpty ? min(1, 1 / max(g.reduce(0) { $0 + abs($1) }, 1e-12)) : 1.0
            var next = x, fNext = f, gNext = g
            var accepted = false
            for _ in 0..<50 {
                for j in x.indices { next[j] = x[j] + step * d[j] }
                (fNext, gNext) = evaluate(next)
                if fNext <= f + 1e-4 * step * slope { accepted = true; break }
                step *= 0.5
            }
            guard accepted else { break }
            let s = zip(next, x).map { $0 - $1 }
            let y = zip(gNext, g).map { $0 - $1 }
            let sy = dot(s, y)
            if sy > 1e-12 {
                sList.append(s); yList.append(y); rhoList.append(1 / sy)
                if sList.count > memory { sList.removeFirst(); yList.removeFirst(); rhoList.removeFirst() }
            }
            let improvement = f - fNext
            x = next; f = fNext; g = gNext
            if progress(iteration, Array(x[..<nw]), Array(x[nw...])) == .stop { break }
            if improvement <= 1e-15 * max(1, abs(f)) { break }
        }
        return (Array(x[..<nw]), Array(x[nw...]))
    }
}
