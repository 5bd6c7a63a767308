import Foundation
import Support

/// A REINFORCE controller (Williams 1992), as in neural architecture search with reinforcement learning
/// (Zoph & Le 2017), simplified: an independent softmax policy per decision instead of an RNN.
///
/// Each categorical parameter is one decision; each numeric parameter is discretised into `bins` equal
/// cells of its unit space (a value is drawn uniformly inside the chosen cell). After every completed
/// trial the policy takes a gradient step on log π(decisions) · (reward − baseline), where the reward is
/// the negated objective standardised by running statistics and the baseline is their moving average.
/// Decisions of inactive conditional parameters are neither sampled nor updated.
public final class ReinforceController: StatefulStrategy<ReinforceController.State>, Strategy {
    public struct State: Codable, Sendable {
        var rng: SeededGenerator
        var logits: [String: [Double]] = [:]
        var baseline: Double = 0
        var rewardMean: Double = 0
        var rewardVariance: Double = 1
        var seen = 0
        var learned: Set<Int> = []
    }

    public let learningRate: Double
    public let bins: Int
    /// Weight of a new reward in the moving averages.
    public let decay: Double

    public init(seed: UInt64, learningRate: Double = 0.2, bins: Int = 10, decay: Double = 0.1) {
        self.learningRate = learningRate
        self.bins = bins
        self.decay = decay
        super.init(state: State(rng: SeededGenerator(seed: seed)))
    }

    func choices(_ p: SearchSpace.Parameter) -> Int {
        if case .categorical(let c) = p.distribution { return c.count }
        return min(bins, p.distribution.cardinality ?? bins)
    }

    func choice(of value: ParameterValue, _ p: SearchSpace.Parameter) -> Int {
        if case .categorical(let c) = p.distribution, case .string(let v) = value { return c.firstIndex(of: v) ?? 0 }
        return min(choices(p) - 1, Int(p.distribution.unit(of: value) * Double(choices(p))))
    }

    /// The current probabilities of each decision (for inspection and tests).
    public func policy(for space: SearchSpace) -> [String: [Double]] {
        withState { s in Dictionary(uniqueKeysWithValues: space.parameters.map { ($0.name, Self.softmax(s.logits[$0.name] ?? [Double](repeating: 0, count: choices($0)))) }) }
    }

    public func suggest(in space: SearchSpace, history: [TrialRecord], directions: [Direction]) -> Configuration {
        let sign = directions.first == .maximize ? -1.0 : 1.0
        return withState { s in
            for r in history where r.state == .complete && !s.learned.contains(r.number) {
                s.learned.insert(r.number)
                guard let v = r.values?.first, v.isFinite else { continue }
                learn(&s, reward: -sign * v, configuration: r.configuration, space: space)
            }
            return space.build { p, _ in
                let k = choices(p)
                let probs = Self.softmax(s.logits[p.name] ?? [Double](repeating: 0, count: k))
                var u = s.rng.unitDouble(), pick = k - 1
                for (i, q) in probs.enumerated() {
                    if u < q { pick = i; break }
                    u -= q
                }
                if p.distribution.isCategorical { return p.distribution.value(atUnit: (Double(pick) + 0.5) / Double(k)) }
                return p.distribution.value(atUnit: (Double(pick) + s.rng.unitDouble()) / Double(k))
            }
        }
    }

    private func learn(_ s: inout State, reward raw: Double, configuration: Configuration, space: SearchSpace) {
        s.seen += 1
        let delta = raw - s.rewardMean
        s.rewardMean += delta * (s.seen == 1 ? 1 : decay)
        s.rewardVariance = s.seen == 1 ? 1 : (1 - decay) * s.rewardVariance + decay * delta * delta
        let reward = (raw - s.rewardMean) / max(s.rewardVariance.squareRoot(), 1e-12)
        let advantage = reward - s.baseline
        s.baseline += decay * (reward - s.baseline)
        for p in space.parameters {
            guard let v = configuration[p.name] else { continue }
            let k = choices(p)
            var logits = s.logits[p.name] ?? [Double](repeating: 0, count: k)
            let probs = Self.softmax(logits)
            let taken = choice(of: v, p)
            for i in 0..<k { logits[i] += learningRate * advantage * ((i == taken ? 1 : 0) - probs[i]) }
            s.logits[p.name] = logits
        }
    }

    static func softmax(_ x: [Double]) -> [Double] {
        let m = x.max() ?? 0
        let e = x.map { exp($0 - m) }
        let total = e.reduce(0, +)
        return e.map { $0 / total }
    }
}
