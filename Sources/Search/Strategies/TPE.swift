import Foundation
import MLData

/// Tree-structured Parzen Estimator (Bergstra et al. 2011), multivariate as in Optuna (Falkner et al. 2018).
///
/// After `startupTrials` random trials, the complete trials are split into the best γ (good) and the
/// rest (bad). Each side is a mixture of one kernel per trial over *all* parameters jointly — a truncated
/// Gaussian in each numeric parameter's unit space, a smoothed point mass on each categorical one — plus
/// a uniform prior component. Candidates are drawn from the good mixture and the one with the largest
/// log l(x) − log g(x) is proposed. A parameter that a trial lacks (inactive under a condition) counts as
/// uniform in that trial's kernel, so conditional spaces need no special case.
public final class TPESampler: StatefulStrategy<TPESampler.State>, Strategy {
    public struct State: Codable, Sendable { var rng: SeededGenerator }

    public let startupTrials: Int
    public let candidates: Int
    /// Weight kept on a categorical kernel's own category is 1 − smoothing + smoothing / k.
    public let categoricalSmoothing: Double

    public init(seed: UInt64, startupTrials: Int = 10, candidates: Int = 24, categoricalSmoothing: Double = 0.2) {
        self.startupTrials = startupTrials
        self.candidates = candidates
        self.categoricalSmoothing = categoricalSmoothing
        super.init(state: State(rng: SeededGenerator(seed: seed)))
    }

    /// Optuna's default split: the best ⌈0.1 n⌉ trials, at most 25, at least 1.
    static func goodCount(_ n: Int) -> Int { max(1, min(25, Int((0.1 * Double(n)).rounded(.up)))) }

    public func suggest(in space: SearchSpace, history: [TrialRecord], directions: [Direction]) -> Configuration {
        let observed = scored(history, directions).sorted { $0.loss < $1.loss }
        return withState { s in
            guard observed.count >= max(startupTrials, 2) else { return space.sample(using: &s.rng) }
            let nGood = Self.goodCount(observed.count)
            let good = Mixture(space: space, points: observed.prefix(nGood).map(\.config), smoothing: categoricalSmoothing)
            let bad = Mixture(space: space, points: observed.dropFirst(nGood).map(\.config), smoothing: categoricalSmoothing)
            var best: (Configuration, Double)?
            for _ in 0..<candidates {
                let x = good.sample(using: &s.rng)
                let score = good.logDensity(x) - bad.logDensity(x)
                if best.map({ score > $0.1 }) ?? true { best = (x, score) }
            }
            return best?.0 ?? space.sample(using: &s.rng)
        }
    }

    /// A Parzen mixture over configurations: one product kernel per point plus a uniform prior.
    struct Mixture {
        let space: SearchSpace
        let points: [Configuration]
        let smoothing: Double
        /// Bandwidth in unit space (Scott's rule as Optuna's multivariate TPE: 0.2 · n^(−1/(d+4))).
        let sigma: Double

        init(space: SearchSpace, points: [Configuration], smoothing: Double) {
            self.space = space
            self.points = points
            self.smoothing = smoothing
            let d = Double(max(space.parameters.count, 1))
            sigma = max(0.2 * pow(Double(max(points.count, 1)), -1 / (d + 4)), 0.01)
        }

        func sample(using rng: inout SeededGenerator) -> Configuration {
            let k = rng.uniform(below: points.count + 1)
            let centre: Configuration? = k < points.count ? points[k] : nil
            return space.build { p, _ in
                guard let c = centre?[p.name] else { return p.distribution.value(atUnit: rng.unitDouble()) }
                switch p.distribution {
                case .categorical(let choices):
                    if rng.unitDouble() < smoothing { return .string(choices[rng.uniform(below: choices.count)]) }
                    return c
                default:
                    let mu = p.distribution.unit(of: c)
                    for _ in 0..<32 {
                        let u = mu + sigma * Self.normal(&rng)
                        if u >= 0 && u <= 1 { return p.distribution.value(atUnit: u) }
                    }
                    return c
                }
            }
        }

        /// log of the mixture density at `x` (unit-space densities; categorical kernels as probabilities).
        func logDensity(_ x: Configuration) -> Double {
            let active = space.parameters.filter { x[$0.name] != nil }
            var logs: [Double] = [0]  // the prior: uniform everywhere, density 1 (categorical 1/k per parameter)
            for p in active { if let n = p.distribution.cardinality, p.distribution.isCategorical { logs[0] -= log(Double(n)) } }
            for point in points {
                var l = 0.0
                for p in active {
                    guard let v = x[p.name] else { continue }
                    switch p.distribution {
                    case .categorical(let choices):
                        let k = Double(choices.count)
                        if let c = point[p.name] {
                            l += log(c == v ? 1 - smoothing + smoothing / k : smoothing / k)
                        } else {
                            l -= log(k)
                        }
                    default:
                        guard let c = point[p.name] else { continue }  // uniform: log 1
                        let mu = p.distribution.unit(of: c), u = p.distribution.unit(of: v)
                        let z = (u - mu) / sigma
                        let mass = Self.cdf((1 - mu) / sigma) - Self.cdf(-mu / sigma)
                        l += -0.5 * z * z - log(sigma * (2 * Double.pi).squareRoot() * max(mass, 1e-12))
                    }
                }
                logs.append(l)
            }
            let m = logs.max() ?? 0
            return m + log(logs.reduce(0) { $0 + exp($1 - m) }) - log(Double(logs.count))
        }

        static func normal(_ rng: inout SeededGenerator) -> Double {
            let u1 = max(rng.unitDouble(), 1e-300), u2 = rng.unitDouble()
            return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
        }

        static func cdf(_ z: Double) -> Double { 0.5 * (1 + erf(z / 2.0.squareRoot())) }
    }
}
