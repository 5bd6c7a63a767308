import Foundation
import Support

/// Tree-structured Parzen Estimator (Bergstra et al. 2011), multivariate as in Optuna (Falkner et al. 2018).
///
/// After `startupTrials` random trials, the complete trials are split into the best γ (good) and the
/// rest (bad). Each side is a mixture of one kernel per trial over *all* parameters jointly — a truncated
/// Gaussian in each numeric parameter's unit space, a smoothed point mass on each categorical one — plus
/// a uniform prior component. Candidates are drawn from the good mixture and the one with the largest
/// log l(x) − log g(x) is proposed. As in Optuna, each kernel's bandwidth adapts to its neighbours (the
/// larger gap to the next observation, clipped to [1/min(100, n+2), 1] of the range), the prior is a broad
/// Gaussian at the middle of each range, and a categorical kernel puts (1 + 1/k)/2 on its own category.
/// A parameter that a trial lacks (inactive under a condition) counts as the prior in that trial's
/// kernel, so conditional spaces need no special case.
public final class TPESampler: StatefulStrategy<TPESampler.State>, Strategy {
    public struct State: Codable, Sendable { var rng: SeededGenerator }

    public let startupTrials: Int
    public let candidates: Int
    /// Weight kept on a categorical kernel's own category is 1 − smoothing + smoothing / k.
    public let categoricalSmoothing: Double

    public init(seed: UInt64, startupTrials: Int = 10, candidates: Int = 24, categoricalSmoothing: Double = 0.5) {
        self.startupTrials = startupTrials
        self.candidates = candidates
        self.categoricalSmoothing = categoricalSmoothing
        super.init(state: State(rng: SeededGenerator(seed: seed)))
    }

    /// Optuna's default weights: 1 for the newest 25, a linear ramp from 1/n up to 1 for older ones.
    static func rampWeights(_ n: Int) -> [Double] {
        guard n > 25 else { return [Double](repeating: 1, count: n) }
        let ramp = (0..<(n - 25)).map { i in n - 25 == 1 ? 1.0 / Double(n) : 1.0 / Double(n) + (1 - 1.0 / Double(n)) * Double(i) / Double(n - 26) }
        return ramp + [Double](repeating: 1, count: 25)
    }

    /// Optuna's default split: the best ⌈0.1 n⌉ trials, at most 25, at least 1.
    static func goodCount(_ n: Int) -> Int { max(1, min(25, Int((0.1 * Double(n)).rounded(.up)))) }

    public func suggest(in space: SearchSpace, history: [TrialRecord], directions: [Direction]) -> Configuration {
        // In trial order (for the weights of the bad mixture), then split by loss.
        let inOrder = scored(history, directions)
        let observed = inOrder.enumerated().sorted { ($0.element.loss, $0.offset) < ($1.element.loss, $1.offset) }
        return withState { s in
            guard observed.count >= max(startupTrials, 2) else { return space.sample(using: &s.rng) }
            let nGood = Self.goodCount(observed.count)
            let good = Mixture(space: space, points: observed.prefix(nGood).map(\.element.config), smoothing: categoricalSmoothing)
            // The bad side weighs old trials less (Optuna's default ramp: the newest 25 weigh 1).
            let badSide = observed.dropFirst(nGood).sorted { $0.offset < $1.offset }
            let bad = Mixture(space: space, points: badSide.map(\.element.config), smoothing: categoricalSmoothing,
                              weights: Self.rampWeights(badSide.count))
            var best: (Configuration, Double)?
            for _ in 0..<candidates {
                let x = good.sample(using: &s.rng)
                let score = good.logDensity(x) - bad.logDensity(x)
                if best.map({ score > $0.1 }) ?? true { best = (x, score) }
            }
            return best?.0 ?? space.sample(using: &s.rng)
        }
    }

    /// A Parzen mixture over configurations: one product kernel per point plus a broad prior.
    struct Mixture {
        let space: SearchSpace
        let points: [Configuration]
        let smoothing: Double
        /// Per point and numeric parameter, the kernel's bandwidth in unit space.
        let sigmas: [[String: Double]]
        /// Mixture weights of the points; the prior weighs 1.
        let weights: [Double]

        init(space: SearchSpace, points: [Configuration], smoothing: Double, weights: [Double]? = nil) {
            self.space = space
            self.points = points
            self.smoothing = smoothing
            self.weights = weights ?? [Double](repeating: 1, count: points.count)
            var sigmas = [[String: Double]](repeating: [:], count: points.count)
            for p in space.parameters where !p.distribution.isCategorical {
                let held = points.indices.compactMap { i in points[i][p.name].map { (i, p.distribution.unit(of: $0)) } }
                let order = held.indices.sorted { held[$0].1 < held[$1].1 }
                let sorted = [0.0] + order.map { held[$0].1 } + [1.0]
                let minimum = 1 / min(100, Double(held.count) + 2)
                for (rank, i) in order.enumerated() {
                    var gap = max(sorted[rank + 1] - sorted[rank], sorted[rank + 2] - sorted[rank + 1])
                    // Like Optuna (consider_endpoints off): the outermost kernels ignore the range's ends.
                    if sorted.count >= 4 && rank == 0 { gap = sorted[2] - sorted[1] }
                    if sorted.count >= 4 && rank == order.count - 1 { gap = sorted[sorted.count - 2] - sorted[sorted.count - 3] }
                    sigmas[held[i].0][p.name] = min(1, max(minimum, gap))
                }
            }
            self.sigmas = sigmas
        }

        func sample(using rng: inout SeededGenerator) -> Configuration {
            var pick = rng.unitDouble() * (weights.reduce(0, +) + 1), k = points.count
            for (i, w) in weights.enumerated() {
                if pick < w { k = i; break }
                pick -= w
            }
            return space.build { p, _ in
                guard k < points.count, let c = points[k][p.name] else { return Self.samplePrior(p, &rng) }
                switch p.distribution {
                case .categorical(let choices):
                    if rng.unitDouble() < smoothing { return .string(choices[rng.uniform(below: choices.count)]) }
                    return c
                default:
                    let mu = p.distribution.unit(of: c), sigma = sigmas[k][p.name] ?? 1
                    for _ in 0..<64 {
                        let u = mu + sigma * Self.normal(&rng)
                        if u >= 0 && u <= 1 { return p.distribution.value(atUnit: u) }
                    }
                    return c
                }
            }
        }

        /// The prior: uniform over categories; a Gaussian N(0.5, 1) truncated to the unit interval.
        static func samplePrior(_ p: SearchSpace.Parameter, _ rng: inout SeededGenerator) -> ParameterValue {
            if p.distribution.isCategorical { return p.distribution.value(atUnit: rng.unitDouble()) }
            for _ in 0..<64 {
                let u = 0.5 + normal(&rng)
                if u >= 0 && u <= 1 { return p.distribution.value(atUnit: u) }
            }
            return p.distribution.value(atUnit: rng.unitDouble())
        }

        static func logTruncatedNormal(_ u: Double, mu: Double, sigma: Double) -> Double {
            let z = (u - mu) / sigma
            let mass = cdf((1 - mu) / sigma) - cdf(-mu / sigma)
            return -0.5 * z * z - log(sigma * (2 * Double.pi).squareRoot() * max(mass, 1e-12))
        }

        /// log of the mixture density at `x` (unit-space densities; categorical kernels as probabilities).
        func logDensity(_ x: Configuration) -> Double {
            let active = space.parameters.filter { x[$0.name] != nil }
            func prior(_ p: SearchSpace.Parameter, _ v: ParameterValue) -> Double {
                if let k = p.distribution.cardinality, p.distribution.isCategorical { return -log(Double(k)) }
                return Self.logTruncatedNormal(p.distribution.unit(of: v), mu: 0.5, sigma: 1)
            }
            var logs: [Double] = [active.reduce(0) { acc, p in acc + (x[p.name].map { prior(p, $0) } ?? 0) }]
            for (i, point) in points.enumerated() {
                var l = 0.0
                for p in active {
                    guard let v = x[p.name] else { continue }
                    guard let c = point[p.name] else { l += prior(p, v); continue }
                    switch p.distribution {
                    case .categorical(let choices):
                        let k = Double(choices.count)
                        l += log(c == v ? 1 - smoothing + smoothing / k : smoothing / k)
                    default:
                        l += Self.logTruncatedNormal(p.distribution.unit(of: v), mu: p.distribution.unit(of: c), sigma: sigmas[i][p.name] ?? 1)
                    }
                }
                logs.append(l + log(max(weights[i], 1e-300)))
            }
            let m = logs.max() ?? 0
            return m + log(logs.reduce(0) { $0 + exp($1 - m) }) - log(weights.reduce(0, +) + 1)
        }

        static func normal(_ rng: inout SeededGenerator) -> Double {
            let u1 = max(rng.unitDouble(), 1e-300), u2 = rng.unitDouble()
            return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
        }

        static func cdf(_ z: Double) -> Double { 0.5 * (1 + erf(z / 2.0.squareRoot())) }
    }
}
