import Foundation
import Learners
import MLData

/// What the final model costs to use: members whose predictions cost far more than they add leave the
/// ensemble, and the user's hard limits on latency and size hold.
extension AutoML {
    /// Drops a member whose prediction costs far more than the rest of the ensemble's (its estimate,
    /// `FittedModel.estimatedPredictSeconds`, at least
    /// `EnsemblePolicy.costlyMemberMsPer1000` and `costlyMemberFactor` times the others together) unless
    /// it earns its cost: the guard's held-out test (`EnsembleSelection.gate`) against the ensemble
    /// selected again without it, over the same pool. Logged either way; the most costly member first,
    /// until the cheapest ensemble is reached or a member stays.
    static func withoutCostlyMembers(
        _ weights: [Double], pool: [Int], run: SearchRun, predictions: [Predictions], metric: ValidationMetric, options: AutoMLOptions,
        deadline: ContinuousClock.Instant?
    ) -> [Double] {
        let policy = options.policy.ensemble
        let outcomes = run.outcomes
        // Estimated from the models' structure, not measured: under a trial cap one seed gives one model.
        // (Once per candidate: a forest's estimate walks its nodes.)
        let costs = outcomes.map { o in o.models.reduce(0) { $0 + $1.model.estimatedPredictSeconds(rows: 1000) * 1000 } }
        func cost(_ i: Int) -> Double { costs[i] }
        var current = weights
        var pool = pool
        while true {
            let members = current.indices.filter { current[$0] > 0 }
            guard members.count >= 2, let costly = members.max(by: { cost($0) < cost($1) }) else { return current }
            let rest = members.filter { $0 != costly }.reduce(0) { $0 + cost($1) }
            guard cost(costly) >= policy.costlyMemberMsPer1000, cost(costly) >= policy.costlyMemberFactor * rest else { return current }
            guard let gate = EnsembleSelection.gate(
                pool.map { current[$0] }, candidates: pool.map { predictions[$0] }, apriori: pool.map { $0 != costly },
                target: run.validationTarget, metric: metric, rounds: policy.rounds, minimumRounds: policy.minimumRounds,
                seed: options.seed &+ options.policy.seeds.ensembleGate, splits: policy.gateSplits,
                standardErrors: policy.gateStandardErrors, deadline: deadline, clock: options.clock) else { return current }
            let entry = outcomes[costly].entry
            options.log?(.phase(String(format: "trial %d (%@, an estimated %.1f ms per 1,000 rows against %.1f for the rest) %@: it adds %+.4f ± %.4f on held-out halves of the validation rows",
                                       entry.trial, entry.family.rawValue, cost(costly), rest, gate.kept ? "stays in the ensemble" : "leaves the ensemble",
                                       gate.gain, gate.standardError)))
            if gate.kept { return current }
            current = [Double](repeating: 0, count: outcomes.count)
            for (k, i) in pool.enumerated() { current[i] = gate.priorWeights[k] }
            pool.removeAll { $0 == costly }
        }
    }

    /// The ensemble under the user's hard limits on the final model: per-row predict latency (the members'
    /// measured costs add up, since each predicts every row) and size (their saved models). A candidate
    /// over a limit alone never joins; while the members together are over, the one with the largest
    /// share of the limit per unit of weight leaves, and the ensemble is selected again without it.
    static func constrained(
        _ weights: [Double], run: SearchRun, predictions: [Predictions], metric: ValidationMetric, options: AutoMLOptions
    ) throws -> [Double] {
        let outcomes = run.outcomes
        var sizes: [Int: Int] = [:]
        func bytes(_ i: Int) -> Int {
            if let s = sizes[i] { return s }
            // (A model that cannot be bundled could not be saved either: it counts as over any limit.)
            let s = outcomes[i].models.reduce(0) { total, m in total + ((try? m.model.bundle())?.parts.values.reduce(0) { $0 + $1.count } ?? .max / 64) }
            sizes[i] = s
            return s
        }
        func latency(_ i: Int) -> Double { (outcomes[i].entry.predictMsPer1000 ?? .infinity) / 1000 }
        /// A member's largest share of a limit.
        func load(_ i: Int) -> Double {
            max(options.maxLatencyMs.map { latency(i) / $0 } ?? 0, options.maxModelBytes.map { Double(bytes(i)) / Double($0) } ?? 0)
        }
        var excluded = Set(outcomes.indices.filter { load($0) > 1 })
        var current = weights
        while true {
            if !excluded.isEmpty {
                let allowed = outcomes.indices.filter { !excluded.contains($0) }
                guard !allowed.isEmpty else {
                    throw AutoMLError.noModel("no trained model fits within \(limitsText(options)); loosen the limit or give more --time")
                }
                let chosen = EnsembleSelection.select(allowed.map { predictions[$0] }, target: run.validationTarget, metric: metric,
                                                      rounds: options.policy.ensemble.rounds, minimumRounds: options.policy.ensemble.minimumRounds)
                current = [Double](repeating: 0, count: outcomes.count)
                for (k, i) in allowed.enumerated() { current[i] = chosen[k] }
            }
            let members = current.indices.filter { current[$0] > 0 }
            let latencyOK = options.maxLatencyMs.map { members.reduce(0) { $0 + latency($1) } <= $0 } ?? true
            let sizeOK = options.maxModelBytes.map { members.reduce(0) { $0 + bytes($1) } <= $0 } ?? true
            if latencyOK && sizeOK { break }
            guard let worst = members.max(by: { load($0) / current[$0] < load($1) / current[$1] }) else { break }
            excluded.insert(worst)
            options.log?(.phase("trial \(outcomes[worst].entry.trial) leaves the ensemble: with it the model is over \(limitsText(options))"))
        }
        return current
    }

    static func limitsText(_ options: AutoMLOptions) -> String {
        [options.maxLatencyMs.map { String(format: "--max-latency-ms %g per row", $0) },
         options.maxModelBytes.map { String(format: "--max-model-mb %g", Double($0) / 1_048_576) }].compactMap { $0 }.joined(separator: " and ")
    }
}
