import Foundation
import Support

/// Regularized ("aging") evolution (Real et al. 2019).
///
/// The population is the `population` most recently completed trials: older ones age out whatever their
/// score. Each proposal runs a tournament on `sampleSize` random members and mutates the winner (one
/// parameter redrawn, locally for numbers half the time); with probability `crossoverProbability` a second
/// tournament winner is crossed in first (uniform crossover). With several objectives the tournament ranks
/// by Pareto rank, then crowding distance (NSGA-II, Deb et al. 2002). Until the population is full,
/// proposals are random.
public final class RegularizedEvolution: StatefulStrategy<RegularizedEvolution.State>, Strategy {
    public struct State: Codable, Sendable { var rng: SeededGenerator }

    public let population: Int
    public let sampleSize: Int
    public let crossoverProbability: Double

    public init(seed: UInt64, population: Int = 20, sampleSize: Int = 5, crossoverProbability: Double = 0.25) {
        precondition(population >= 2 && sampleSize >= 1 && sampleSize <= population, "evolution needs population ≥ 2 and 1 ≤ sample ≤ population")
        self.population = population
        self.sampleSize = sampleSize
        self.crossoverProbability = crossoverProbability
        super.init(state: State(rng: SeededGenerator(seed: seed)))
    }

    public func suggest(in space: SearchSpace, history: [TrialRecord], directions: [Direction]) -> Configuration {
        let done = history.filter { $0.state == .complete && ($0.values?.count ?? 0) >= directions.count && ($0.values ?? []).allSatisfy(\.isFinite) }
        let members = Array(done.sorted { ($0.finished ?? .distantPast, $0.number) < ($1.finished ?? .distantPast, $1.number) }.suffix(population))
        let seen = Set(history.map(\.configuration))
        return withState { s in
            guard members.count >= population else { return space.sample(using: &s.rng) }
            var fitness = Self.fitness(members.map { $0.values ?? [] }, directions)
            for (i, m) in members.enumerated() where !m.isFeasible {
                // Infeasible members lose every tournament against feasible ones.
                fitness[i].0 += 1e12 + (m.constraints ?? []).filter { $0 > 0 }.reduce(0, +)
            }
            var child = Configuration()
            for _ in 0..<10 {
                let a = tournament(fitness, &s.rng)
                var parent = members[a].configuration
                if s.rng.unitDouble() < crossoverProbability {
                    let b = members[tournament(fitness, &s.rng)].configuration
                    parent = space.build { p, _ in
                        let pick = s.rng.uniform(below: 2) == 0 ? parent[p.name] : b[p.name]
                        return pick ?? parent[p.name] ?? b[p.name] ?? p.distribution.value(atUnit: s.rng.unitDouble())
                    }
                }
                child = mutate(parent, in: space, using: &s.rng)
                if !seen.contains(child) { break }
            }
            return child
        }
    }

    /// Sort key per member: smaller is fitter (loss for one objective; Pareto rank, then −crowding).
    static func fitness(_ values: [[Double]], _ directions: [Direction]) -> [(Double, Double)] {
        if directions.count == 1 {
            let sign = directions[0] == .maximize ? -1.0 : 1.0
            return values.map { (sign * $0[0], 0) }
        }
        let ranks = Pareto.ranks(values, directions)
        var crowd = [Double](repeating: 0, count: values.count)
        for r in Set(ranks) {
            let idx = values.indices.filter { ranks[$0] == r }
            let c = Pareto.crowding(idx.map { values[$0] })
            for (k, i) in idx.enumerated() { crowd[i] = c[k] }
        }
        return values.indices.map { (Double(ranks[$0]), -crowd[$0]) }
    }

    private func tournament(_ fitness: [(Double, Double)], _ rng: inout SeededGenerator) -> Int {
        var best = rng.uniform(below: fitness.count)
        for _ in 1..<sampleSize {
            let c = rng.uniform(below: fitness.count)
            if fitness[c] < fitness[best] { best = c }
        }
        return best
    }

    /// Redraws one active parameter; parameters that become active are drawn fresh.
    private func mutate(_ parent: Configuration, in space: SearchSpace, using rng: inout SeededGenerator) -> Configuration {
        let active = space.parameters.filter { parent[$0.name] != nil }
        guard !active.isEmpty else { return space.sample(using: &rng) }
        let target = active[rng.uniform(below: active.count)].name
        return space.build { p, _ in
            if p.name != target, let v = parent[p.name] { return v }
            guard let old = parent[p.name] else { return p.distribution.value(atUnit: rng.unitDouble()) }
            switch p.distribution {
            case .categorical(let choices) where choices.count > 1:
                var v = old
                while v == old { v = .string(choices[rng.uniform(below: choices.count)]) }
                return v
            default:
                if rng.unitDouble() < 0.5 {
                    let u = p.distribution.unit(of: old) + 0.15 * TPESampler.Mixture.normal(&rng)
                    return p.distribution.value(atUnit: min(1, max(0, u)))
                }
                return p.distribution.value(atUnit: rng.unitDouble())
            }
        }
    }
}
