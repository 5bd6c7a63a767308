import Foundation
import Support

/// Cost-frugal optimisation (CFO; Wu, Wang & Huang 2021, FLAML): randomized direct search that starts from
/// the space's low-cost point, so cheap configurations are tried first and cost only grows when it pays.
///
/// From the incumbent x it proposes x + δu (u a random unit direction in the unit cube); if that is not
/// better it tries x − δu. After 2^(d−1) consecutive failed directions the step δ halves; when δ falls
/// below `minimumStep` the search has converged at this fidelity: if `resource` names a parameter
/// (rounds, epochs, sample size), the incumbent's resource is raised one notch and δ reset — the
/// incumbent has earned more budget — otherwise the search restarts from a random point.
public final class CFOSearch: StatefulStrategy<CFOSearch.State>, Strategy {
    public struct State: Codable, Sendable {
        var rng: SeededGenerator
        var incumbent: [String: Double]?
        var incumbentLoss: Double = .infinity
        var step: Double
        var direction: [String: Double]?
        var triedOpposite = false
        var failures = 0
        var pending: [Configuration] = []
        var resourceLevel: Double?
    }

    public let initialStep: Double
    public let minimumStep: Double
    public let resource: String?

    public init(seed: UInt64, initialStep: Double = 0.1, minimumStep: Double = 0.002, resource: String? = nil) {
        self.initialStep = initialStep
        self.minimumStep = minimumStep
        self.resource = resource
        super.init(state: State(rng: SeededGenerator(seed: seed), step: initialStep))
    }

    public func suggest(in space: SearchSpace, history: [TrialRecord], directions: [Direction]) -> Configuration {
        let results = Dictionary(scored(history, directions).map { ($0.config, $0.loss) }, uniquingKeysWith: { a, _ in a })
        return withState { s in
            // Learn from our own proposals that have finished.
            var stillPending: [Configuration] = []
            for c in s.pending {
                guard let loss = results[c] else {
                    if !history.contains(where: { $0.configuration == c && $0.state != .running && $0.state != .waiting }) { stillPending.append(c) }
                    continue
                }
                observe(&s, c, loss, space)
            }
            s.pending = stillPending
            let proposal: Configuration
            if s.incumbent == nil {
                proposal = s.pending.isEmpty ? withResource(space.lowCostPoint, &s, space) : space.sample(using: &s.rng)
            } else {
                proposal = next(&s, space)
            }
            s.pending.append(proposal)
            return proposal
        }
    }

    private func observe(_ s: inout State, _ c: Configuration, _ loss: Double, _ space: SearchSpace) {
        let unit = Self.unitPoint(c, space)
        if s.incumbent == nil || loss < s.incumbentLoss {
            s.incumbent = unit
            s.incumbentLoss = loss
            s.failures = 0
            s.direction = nil
            s.triedOpposite = false
            return
        }
        if s.direction != nil && !s.triedOpposite {
            s.triedOpposite = true  // the next proposal is the opposite direction
            return
        }
        s.direction = nil
        s.triedOpposite = false
        s.failures += 1
        let dims = max(1, space.parameters.count - (resource == nil ? 0 : 1))
        if s.failures >= 1 << min(dims - 1, 10) {
            s.failures = 0
            s.step /= 2
        }
    }

    private func next(_ s: inout State, _ space: SearchSpace) -> Configuration {
        if s.step < minimumStep {  // converged at this fidelity
            s.step = initialStep
            if resource != nil, let level = s.resourceLevel, level < 1 {
                s.resourceLevel = min(1, level + 0.25)  // the incumbent has earned more resource
            } else {
                s.incumbent = nil  // restart from a random point
                s.incumbentLoss = .infinity
                return withResource(space.sample(using: &s.rng), &s, space)
            }
        }
        guard let x = s.incumbent else { return withResource(space.sample(using: &s.rng), &s, space) }
        if s.direction == nil { s.direction = randomDirection(&s, space) }
        let sign = s.triedOpposite ? -1.0 : 1.0
        let u = s.direction ?? [:]
        let point = space.build { p, _ in
            let base = x[p.name] ?? p.distribution.unit(of: p.lowCost ?? p.distribution.value(atUnit: 0.5))
            return p.distribution.value(atUnit: min(1, max(0, base + sign * s.step * (u[p.name] ?? 0))))
        }
        if s.triedOpposite {  // both directions proposed: the next result closes this direction
            s.direction = nil
            s.triedOpposite = false
        }
        return withResource(point, &s, space)
    }

    private func randomDirection(_ s: inout State, _ space: SearchSpace) -> [String: Double] {
        // Drawn and normalised in parameter order (a dictionary's order would change the rounding).
        let names = space.parameters.map(\.name).filter { $0 != resource }
        let raw = names.map { _ -> Double in
            let a = max(s.rng.unitDouble(), 1e-300), b = s.rng.unitDouble()
            return (-2 * log(a)).squareRoot() * cos(2 * .pi * b)
        }
        let norm = max(raw.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
        return Dictionary(uniqueKeysWithValues: zip(names, raw.map { $0 / norm }))
    }

    /// Sets the resource parameter to the current level (the low-cost value at first).
    private func withResource(_ c: Configuration, _ s: inout State, _ space: SearchSpace) -> Configuration {
        guard let r = resource, let p = space.parameter(r), c[r] != nil else { return c }
        if s.resourceLevel == nil { s.resourceLevel = p.distribution.unit(of: p.lowCost ?? p.distribution.value(atUnit: 0)) }
        var out = c
        out[r] = p.distribution.value(atUnit: s.resourceLevel ?? 0)
        return out
    }

    static func unitPoint(_ c: Configuration, _ space: SearchSpace) -> [String: Double] {
        var out: [String: Double] = [:]
        for p in space.parameters { if let v = c[p.name] { out[p.name] = p.distribution.unit(of: v) } }
        return out
    }
}
