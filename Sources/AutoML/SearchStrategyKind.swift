import Search

/// How a family's space is searched.
public enum SearchStrategyKind: String, Codable, Sendable, CaseIterable {
    /// Regularized evolution (Real et al. 2019): tournament selection, mutation, the oldest dies.
    case evolution
    /// REINFORCE (Williams 1992; Zoph & Le 2017): a policy over the choices trained by policy gradient.
    case reinforce
    /// Tree-structured Parzen estimator (Bergstra et al. 2011).
    case tpe
    case random

    public func make(seed: UInt64, policy: SchedulerPolicy = SchedulerPolicy()) -> any Strategy {
        switch self {
        case .evolution: return RegularizedEvolution(seed: seed, population: policy.evolutionPopulation, sampleSize: policy.evolutionSampleSize)
        case .reinforce: return ReinforceController(seed: seed)
        case .tpe: return TPESampler(seed: seed)
        case .random: return RandomSearch(seed: seed)
        }
    }
}
