import Foundation
import Learners
import MLData
import Testing
import TestSupport

/// The elastic-net logistic solver reaches the optimum: its weights satisfy the optimality (KKT)
/// conditions of mean log loss + λ(ρ‖w‖₁ + ½(1−ρ)‖w‖²), λ = 1/(C·rows) — for a nonzero weight the
/// gradient of the smooth part equals −λρ·sign(w), for a zero weight it is at most λρ in size — and the
/// intercepts' gradient vanishes. Checked on the fitted model's own weights, from the data alone.
@Suite struct LinearSolverTests {
    /// Largest violation of the optimality conditions, relative to the penalty's L1 strength.
    static func violation(_ model: FittedLinear, _ data: LabeledData, c: Double, l1Ratio: Double) -> (weights: Double, absolute: Double, intercept: Double, zeros: Int) {
        let n = data.rows, f = data.features.columns, k = model.intercept.count
        let x = data.features.values
        var gradient = [Double](repeating: 0, count: f * k), interceptGradient = [Double](repeating: 0, count: k)
        for r in 0..<n {
            var z = model.intercept
            for j in 0..<f where x[r * f + j] != 0 { for c in 0..<k { z[c] += x[r * f + j] * model.weights[j * k + c] } }
            var residual = [Double](repeating: 0, count: k)
            if k == 1 {
                residual[0] = 1 / (1 + exp(-z[0])) - Double(data.labels[r])
            } else {
                let top = z.max() ?? 0
                let total = z.reduce(0) { $0 + exp($1 - top) }
                for c in 0..<k { residual[c] = exp(z[c] - top) / total - (data.labels[r] == c ? 1 : 0) }
            }
            for c in 0..<k {
                interceptGradient[c] += residual[c] / Double(n)
                for j in 0..<f { gradient[j * k + c] += residual[c] * x[r * f + j] / Double(n) }
            }
        }
        let lambda = 1 / (c * Double(n)), l1 = lambda * l1Ratio, l2 = lambda * (1 - l1Ratio)
        var worst = 0.0, zeros = 0
        for i in gradient.indices {
            let w = model.weights[i]
            if w == 0 {
                zeros += 1
                worst = max(worst, max(0, abs(gradient[i]) - l1))
            } else {
                worst = max(worst, abs(gradient[i] + l2 * w + l1 * (w > 0 ? 1 : -1)))
            }
        }
        return (worst / l1, worst, interceptGradient.map(abs).max() ?? 0, zeros)
    }

    /// A multiclass elastic-net fit stops at its deadline between the classes of a Newton step, not
    /// after the step (a step of a 50-class model on 40,000 rows took seconds): given a deadline already
    /// past, no class is updated.
    @Test(.enabled(if: Fixtures.sharedDataRunnable, Fixtures.needsShared))
    func elasticNetStopsBetweenClasses() throws {
        let data = try #require(try SharedData.prepare("wine", for: .linear), "wine is not in ../shared/datasets")
        var learner = LinearLearner()
        learner.l1Ratio = 0.5
        let free = try learner.fit(data.train, validation: nil, context: FitContext(seed: 0, threads: 2))
        #expect(free.weights.contains { $0 != 0 })
        let late = try learner.fit(data.train, validation: nil, context: FitContext(seed: 0, deadline: .now - .seconds(1), threads: 2))
        #expect(late.weights.allSatisfy { $0 == 0 }, "a step began after the deadline")
    }

    @Test(.enabled(if: Fixtures.sharedDataRunnable, Fixtures.needsShared), arguments: [("breast_cancer", 1.0, 0.5), ("breast_cancer", 100.0, 0.1), ("wine", 1.0, 0.9), ("credit_data", 10.0, 0.5),
                                                                                  ("digits", 1.0, 0.5), ("glass", 10.0, 0.5)])
    func elasticNetIsOptimal(_ name: String, _ c: Double, _ l1Ratio: Double) throws {
        let data = try #require(try SharedData.prepare(name, for: .linear), "\(name) is not in ../shared/datasets")
        var learner = LinearLearner()
        learner.c = c
        learner.l1Ratio = l1Ratio
        let model = try learner.fit(data.train, validation: nil, context: FitContext(seed: 0, threads: 2))
        let (weights, absolute, intercept, zeros) = Self.violation(model, data.train, c: c, l1Ratio: l1Ratio)
        print(String(format: "%@ C %g l1_ratio %g: KKT violation %.2e of λρ (%.1e), intercept gradient %.1e, %d of %d weights zero",
                     name, c, l1Ratio, weights, absolute, intercept, zeros, model.weights.count))
        // Within a tenth of the L1 strength (or 1e-6 in mean-log-loss units when the penalty is weaker
        // still): away from the optimum, a weight's gradient is of the order of λρ or more.
        let lambdaRho = l1Ratio / (c * Double(data.train.rows))
        #expect(absolute < max(0.1 * lambdaRho, 1e-6), "\(name): the optimality conditions are violated by \(weights) × λρ")
        #expect(intercept < 1e-3)
        // A real L1 share sets some weights to exactly zero on these data (30, 13 and 20+ columns).
        if c <= 1 { #expect(zeros > 0) }
    }

    @Test("The Gram matrix summed over row blocks gives the one-block solution; an interrupt between blocks returns the start")
    func blockedGram() {
        let n = 1_000, f = 7
        var rng = SeededGenerator(seed: 11)
        let x = (0..<(n * f)).map { _ in Double.random(in: -1...1, using: &rng) }
        let y = (0..<n).map { r in (0..<f).reduce(0.5) { $0 + Double($1 + 1) * 0.3 * x[r * f + $1] } + Double.random(in: -0.1...0.1, using: &rng) }
        let s = (0..<n).map { _ in Double.random(in: 0.05...0.25, using: &rng) }
        let whole = GramCoordinateDescent(l2: 0.01, l1: 0.002, maxSweeps: 500, tolerance: 1e-10)
        var blocked = whole
        blocked.blockValues = 64 * f  // 16 blocks of 64 rows (the last one shorter)
        let a = whole.solve(x: x, y: y, sampleWeights: s, rows: n, columns: f) { _ in false }
        let b = blocked.solve(x: x, y: y, sampleWeights: s, rows: n, columns: f) { _ in false }
        #expect(!a.interrupted && !b.interrupted)
        #expect(zip(a.weights, b.weights).allSatisfy { abs($0 - $1) < 1e-9 }, "\(a.weights) \(b.weights)")
        #expect(abs(a.intercept - b.intercept) < 1e-9)
        #expect(a.weights.contains { abs($0) > 0.5 })
        // Asked after the first block: the start comes back, with its intercept.
        var asked = 0
        let start = [Double](repeating: 0.1, count: f)
        let cut = blocked.solve(x: x, y: y, sampleWeights: s, rows: n, columns: f, start: start, interrupt: { asked += 1; return true }) { _ in false }
        #expect(cut.interrupted && asked == 1 && cut.weights == start)
        // One block: never asked.
        let one = whole.solve(x: x, y: y, rows: n, columns: f, interrupt: { Issue.record("asked with one block"); return true }) { _ in false }
        #expect(!one.interrupted)
    }
}
