/// Decides from a running trial's intermediate reports whether to stop it early.
///
/// All pruners work on a resource counted in steps (epochs, boosting rounds, or a data fraction in
/// percent) and compare the trial's latest report with other trials' reports at the same step.
public protocol Pruner: Sendable {
    func shouldPrune(_ trial: TrialRecord, history: [TrialRecord], direction: Direction) -> Bool
}

/// Stops a trial whose latest value is worse than the median of other trials' values at the same step
/// (Golovin et al. 2017, Google Vizier's median stopping rule).
public struct MedianPruner: Pruner {
    public var startupTrials: Int
    public var warmupSteps: Int

    public init(startupTrials: Int = 5, warmupSteps: Int = 0) {
        self.startupTrials = startupTrials
        self.warmupSteps = warmupSteps
    }

    public func shouldPrune(_ trial: TrialRecord, history: [TrialRecord], direction: Direction) -> Bool {
        guard let (step, value) = trial.lastReport, step >= warmupSteps else { return false }
        let others = history.filter { $0.number != trial.number && $0.state != .waiting }.compactMap { r -> Double? in
            // The other trial's best value up to this step.
            let upTo = r.intermediate.filter { $0.key <= step }.map(\.value)
            guard !upTo.isEmpty else { return nil }
            return direction == .minimize ? upTo.min() : upTo.max()
        }
        guard others.count >= startupTrials else { return false }
        let sorted = others.sorted()
        let n = sorted.count
        let median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        return direction.better(median, value)
    }
}

/// Asynchronous successive halving (ASHA, Li et al. 2020). Rungs sit at `minResource · η^k` steps; a
/// trial that reaches a rung continues only if its value is within the top 1/η of all values recorded at
/// that rung so far. Promotions never wait for other trials, so it suits parallel workers.
public struct ASHAPruner: Pruner {
    public var minResource: Int
    public var reductionFactor: Int
    /// Rungs are skipped below `minResource · η^minEarlyStoppingRate` (Hyperband brackets use this).
    public var minEarlyStoppingRate: Int
    /// With `synchronous`, a rung decides only once `rungSize(k)` trials have reached it (classic
    /// successive halving: each rung keeps the top 1/η of a full cohort); before that trials continue.
    public var synchronousCohort: Int?

    public init(minResource: Int = 1, reductionFactor: Int = 3, minEarlyStoppingRate: Int = 0, synchronousCohort: Int? = nil) {
        precondition(minResource >= 1 && reductionFactor >= 2, "ASHA needs minResource ≥ 1 and η ≥ 2")
        self.minResource = minResource
        self.reductionFactor = reductionFactor
        self.minEarlyStoppingRate = minEarlyStoppingRate
        self.synchronousCohort = synchronousCohort
    }

    /// The rung index of `step`, if a rung sits exactly there.
    public func rung(of step: Int) -> Int? {
        var r = minResource
        var k = 0
        while r < step { r *= reductionFactor; k += 1 }
        return r == step ? k : nil
    }

    public func shouldPrune(_ trial: TrialRecord, history: [TrialRecord], direction: Direction) -> Bool {
        guard let (step, value) = trial.lastReport, let k = rung(of: step), k >= minEarlyStoppingRate else { return false }
        let atRung = history.compactMap { $0.number == trial.number ? value : $0.intermediate[step] }
        if let cohort = synchronousCohort {
            let needed = max(1, cohort / Int(pow(Double(reductionFactor), Double(k))))
            guard atRung.count >= needed else { return false }
        }
        let keep = max(1, atRung.count / reductionFactor)
        let ordered = atRung.sorted { direction.better($0, $1) }
        return direction.better(ordered[keep - 1], value)
    }
}

extension ASHAPruner {
    /// Successive halving (Jamieson & Talwalkar 2016): ASHA's rungs with a synchronous cohort of `cohort`
    /// trials, so each rung keeps the top 1/η of a full cohort.
    public static func successiveHalving(cohort: Int, minResource: Int = 1, reductionFactor: Int = 3) -> ASHAPruner {
        ASHAPruner(minResource: minResource, reductionFactor: reductionFactor, synchronousCohort: cohort)
    }
}

/// Hyperband (Li et al. 2018) over ASHA brackets: trial n goes to bracket n mod (s_max + 1); bracket s starts
/// pruning at rung s, so brackets trade many short trials against few long ones.
public struct HyperbandPruner: Pruner {
    public var brackets: [ASHAPruner]

    public init(minResource: Int = 1, maxResource: Int, reductionFactor: Int = 3) {
        var sMax = 0
        while minResource * Int(pow(Double(reductionFactor), Double(sMax + 1))) <= maxResource { sMax += 1 }
        brackets = (0...sMax).map { ASHAPruner(minResource: minResource, reductionFactor: reductionFactor, minEarlyStoppingRate: $0) }
    }

    public func bracket(of trial: Int) -> Int { trial % brackets.count }

    public func shouldPrune(_ trial: TrialRecord, history: [TrialRecord], direction: Direction) -> Bool {
        let b = bracket(of: trial.number)
        let peers = history.filter { bracket(of: $0.number) == b }
        return brackets[b].shouldPrune(trial, history: peers, direction: direction)
    }
}

import Foundation
