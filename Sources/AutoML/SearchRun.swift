import Foundation
import Learners
import MLData
import Search

/// One trial's result with what the ensemble needs: validation predictions and the fold models.
struct TrialOutcome {
    var entry: LeaderboardEntry
    /// Predictions for `plan.validatedRows`, in that order.
    var validation: Predictions?
    /// One model per fold, with the key of the preprocessing it expects.
    var models: [(key: String, model: any FittedModel)]
    /// Chosen before any score was seen (a family's low-cost point or portfolio), so its validation
    /// score is an unbiased estimate; a searched configuration's is the best of many noisy draws.
    var apriori = false
}

/// A family's share of the search: its own study (strategy over its space) and its bookkeeping.
final class FamilySearch {
    let family: LearnerFamily
    let shape: DataShape
    let study: Study
    var trials = 0
    var estimatedSpent = 0.0
    var measuredSpent = 0.0
    var best: Double?
    /// The score of the family's first completed trial (its low-cost point, usually).
    var first: Double?
    var skips = 0
    /// Measured seconds ÷ estimated seconds, for skipping what cannot finish in time.
    var calibration: [Double] = []
    /// Trials stored by an earlier, interrupted run (when resuming).
    var earlierTrials = 0
    /// The estimated cost (seconds, all folds) a configuration may have now; grows as trials complete.
    var allowance = 0.0

    init(family: LearnerFamily, shape: DataShape, seed: UInt64, pruned: Bool, store: TrialStore, resume: Bool,
         strategy: any Strategy, portfolio usePortfolio: Bool = true) throws {
        self.family = family
        self.shape = shape
        let space = family.searchSpace(for: shape)
        study = Study(space: space, directions: [.maximize], store: store, strategy: strategy,
                      pruner: pruned && family != .knn ? ASHAPruner(minResource: Self.firstRung(family), reductionFactor: 3) : nil)
        let earlier = try store.records()
        if resume && !earlier.isEmpty {
            earlierTrials = earlier.count
            // The best stored configurations are evaluated again first: their predictions rebuild the
            // ensemble's candidates, and the strategy continues from the whole stored history.
            let done = earlier.filter { $0.state == .complete && $0.values?.first?.isFinite == true }
                .sorted { ($0.values?.first ?? 0) > ($1.values?.first ?? 0) }
            for record in done.prefix(3) { _ = try? study.enqueue(record.configuration) }
            if done.isEmpty { _ = try? study.enqueue(space.lowCostPoint) }
        } else {
            lowCostTrial = try study.enqueue(space.lowCostPoint)
            // Then the family's portfolio of strong configurations (exempt from the cost allowance).
            for c in (usePortfolio ? family.portfolio(for: shape) : []) {
                if let n = try? study.enqueue(c) { portfolio.insert(n) }
            }
        }
    }

    /// Trial numbers of the portfolio configurations queued at the start.
    var portfolio: Set<Int> = []
    /// The trial number of the low-cost point queued at the start.
    var lowCostTrial: Int?
    /// Configurations fitted so far, with their run-wide trial numbers.
    var fitted: [Configuration: Int] = [:]

    /// (k-NN reports once, after its work is done: it is never pruned.)
    /// The first ASHA rung, in the family's own steps: early boosting rounds say little about a slow
    /// learning rate, so trees are judged after 16 rounds; networks after 5 epochs.
    static func firstRung(_ family: LearnerFamily) -> Int {
        switch family {
        case .xgboost, .randomForest: return 16
        case .mlp: return 5
        case .nas: return 3
        case .linear: return 50
        case .knn: return 1
        }
    }

    var slowdown: Double {
        guard !calibration.isEmpty else { return 1 }
        return calibration.sorted()[calibration.count / 2]
    }
}

/// The search loop: a low-cost portfolio first, then a cost-aware choice of family, each family tuned by
/// its own study (TPE; the architecture-search family by the strategy chosen in the options) with ASHA
/// pruning on its learner's progress reports; every trial is validated the same way (k-fold or hold-out)
/// so that their predictions can be ensembled.
final class SearchRun {
    let plan: TrainingPlan
    let options: AutoMLOptions
    let metric: ValidationMetric
    let searchEnd: ContinuousClock.Instant
    let runStart: ContinuousClock.Instant
    let familyList: [LearnerFamily]
    var families: [FamilySearch] = []
    var outcomes: [TrialOutcome] = []
    var entries: [LeaderboardEntry] = []
    let keepBest = 24

    init(plan: TrainingPlan, options: AutoMLOptions, families: [LearnerFamily], metric: ValidationMetric,
         start: ContinuousClock.Instant, searchEnd: ContinuousClock.Instant) {
        self.plan = plan
        self.options = options
        self.familyList = families
        self.metric = metric
        self.runStart = start
        self.searchEnd = searchEnd
    }

    func log(_ e: AutoMLEvent) { options.log?(e) }

    var validationTarget: TargetValues { plan.target.selecting(rows: plan.validatedRows) }

    func run() throws {
        if let journal = options.journal {
            try FileManager.default.createDirectory(at: journal, withIntermediateDirectories: true)
        }
        for (i, family) in familyList.enumerated() {
            let shape: DataShape
            do { shape = try plan.shape(for: family) } catch {
                log(.skipped(family, "its features could not be prepared: \(error)"))
                continue
            }
            let store: TrialStore = try options.journal.map {
                try JournaledTrialStore(path: $0.appendingPathComponent("\(family.rawValue).sqlite").path, resume: options.resume)
            } ?? InMemoryTrialStore()
            let seed = options.seed &+ UInt64(i) &* 7919
            families.append(try FamilySearch(family: family, shape: shape, seed: seed, pruned: true, store: store, resume: options.resume,
                                             strategy: family == .nas ? options.nasStrategy.make(seed: seed) : TPESampler(seed: seed),
                                             portfolio: options.portfolio))
            let f = families[families.count - 1]
            f.allowance = max(4 * lowCost(f) * Double(plan.folds.count), 0.03 * seconds(options.budget))
            // Architecture search beside other families: when even its smallest network would take more
            // than a fifth of the search, the time is better spent on the others.
            let cheapest = lowCost(f) * Double(plan.folds.count), searchSeconds = seconds(searchEnd - ContinuousClock.now)
            if family == .nas && familyList.count > 1 && cheapest > 0.2 * searchSeconds {
                families.removeLast()
                log(.skipped(family, String(format: "its smallest network would take about %.1f s of the %.1f s search; give more --time to design networks", cheapest, searchSeconds)))
            }
        }
        let earlier = families.reduce(0) { $0 + $1.earlierTrials }
        if options.resume {
            log(.phase(earlier > 0 ? "resuming a search of \(earlier) stored trials" : "nothing stored to resume: starting afresh"))
        }
        var number = earlier
        // Stop when too little time is left for anything useful.
        while searchEnd - ContinuousClock.now > .milliseconds(40) {
            if let cap = options.maxTrials, number - earlier >= cap { break }
            guard let f = chooseFamily() else { break }
            let iterationStart = ContinuousClock.now
            // Everything a trial costs counts toward its family: sampling and bookkeeping too.
            defer { f.measuredSpent += seconds(ContinuousClock.now - iterationStart) }
            guard let (trial, learner, estimate) = try nextCandidate(f) else {
                f.skips += 1
                log(.skipped(f.family, String(format: "no sampled configuration fits its cost allowance of %.2f s", f.allowance)))
                continue
            }
            // A configuration this family has already fitted (a small space revisited, or a sample shrunk
            // all the way to the low-cost point) would give the same model again: not fitted twice.
            if let earlier = f.fitted[trial.configuration] {
                try f.study.tell(trial.number, state: .failed, error: "the same configuration as trial \(earlier)")
                continue
            }
            number += 1
            f.fitted[trial.configuration] = number
            f.estimatedSpent += estimate
            if let limit = options.memoryLimit, learner.estimatedMemory(for: f.shape) > limit {
                skip(f, trial, "needs about \(learner.estimatedMemory(for: f.shape) >> 20) MB, over the memory limit")
                continue
            }
            var profile: (parameters: Int, latencyMs: Double)?
            if let nas = learner as? NASLearner {
                let p = nas.profile(features: f.shape.features, outputs: max(1, f.shape.task.classCount))
                profile = p
                if let limit = options.maxParameters, p.parameters > limit {
                    skip(f, trial, "has \(p.parameters) parameters, over the limit of \(limit)")
                    continue
                }
                if let limit = options.maxLatencyMs, p.latencyMs > limit {
                    skip(f, trial, String(format: "predicts a row in %.3f ms, over the limit of %g ms", p.latencyMs, limit))
                    continue
                }
            }
            let left = seconds(searchEnd - ContinuousClock.now)
            // Families that stop at a deadline with a usable model (trees, networks, iterative solvers)
            // run anyway, cut at their deadline; k-NN cannot be cut, so it is skipped.
            let cuttable = f.family != .knn
            if f.trials > 0, !(cuttable && f.portfolio.contains(trial.number)), estimate * f.slowdown > (cuttable ? 3 : 1) * left {
                skip(f, trial, String(format: "would take about %.1f s, %.1f s are left", estimate * f.slowdown, left))
                continue
            }
            f.trials += 1
            var outcome = evaluate(learner, family: f, trial: trial, number: number)
            outcome.entry.parameters = profile?.parameters
            outcome.entry.latencyMs = profile?.latencyMs
            outcome.entry.finishedAt = seconds(ContinuousClock.now - runStart)
            outcome.apriori = f.portfolio.contains(trial.number) || trial.number == f.lowCostTrial
            if let score = outcome.entry.score, outcome.entry.state == "complete" {
                try f.study.tell(trial.number, values: [score])
                f.best = max(f.best ?? -.infinity, score)
                if f.first == nil { f.first = score }
                if outcome.entry.fitSeconds > 0.05 { f.calibration.append(outcome.entry.fitSeconds / max(estimate, 1e-4)) }
                f.allowance = max(f.allowance, 3 * (options.maxTrials != nil ? estimate : outcome.entry.fitSeconds))
            } else if outcome.entry.state == "pruned" {
                try f.study.tell(trial.number, state: .pruned)
            } else {
                try f.study.tell(trial.number, state: .failed, error: outcome.entry.note)
            }
            record(outcome)
        }
    }

    /// The family's next configuration whose cost fits its allowance. The allowance starts at a few
    /// times the low-cost point and grows with what completes (to 3× the costliest completed trial), so
    /// each family climbs from cheap to expensive configurations as FLAML's do. A sample over it is
    /// recorded as deferred, and the same configuration moved part of the way toward the low-cost
    /// point (in the space's unit scale) is tried instead.
    func nextCandidate(_ f: FamilySearch) throws -> (Trial, any Learner, Double)? {
        let deterministic = options.maxTrials != nil
        let space = f.study.space
        func cost(_ learner: any Learner) -> (estimate: Double, cost: Double) {
            let estimate = learner.estimatedCost(for: f.shape) * Double(plan.folds.count)
            return (estimate, estimate * (deterministic ? 1 : f.slowdown))
        }
        for _ in 0..<4 {
            let trial = try f.study.ask()
            guard let learner = try? f.family.learner(trial.configuration, shape: f.shape) else {
                try f.study.tell(trial.number, state: .failed, error: "invalid configuration")
                continue
            }
            let (estimate, c) = cost(learner)
            if !options.costAllowance || f.trials == 0 || c <= f.allowance || f.portfolio.contains(trial.number) { return (trial, learner, estimate) }
            // Too costly for now: move the sample toward the low-cost point until it fits, and try that.
            try f.study.tell(trial.number, state: .failed, error: String(format: "deferred: about %.2f s, over the allowance of %.2f s", c, f.allowance))
            for t in [0.5, 0.25, 0.125, 0.0625, 0] {
                let shrunk = CostShrink.toward(space.lowCostPoint, from: trial.configuration, in: space, by: t)
                guard let l = try? f.family.learner(shrunk, shape: f.shape), cost(l).cost <= f.allowance else { continue }
                _ = try f.study.enqueue(shrunk)
                let queued = try f.study.ask()
                guard let ql = try? f.family.learner(queued.configuration, shape: f.shape) else { break }
                return (queued, ql, cost(ql).estimate)
            }
        }
        return nil
    }

    func skip(_ f: FamilySearch, _ trial: Trial, _ reason: String) {
        f.skips += 1
        try? f.study.tell(trial.number, state: .failed, error: "skipped: \(reason)")
        log(.skipped(f.family, reason))
    }

    /// The next family: each family's low-cost point first (cheapest first); then the family that has
    /// used the least of its share of the time, where the family with the best score so far gets a share
    /// of 3, the runner-up 2 and the others 1 — FLAML's idea of spending where the good models are, while
    /// every family keeps climbing from its cheap start (a family whose low-cost model is weak, boosted
    /// trees with 4 rounds say, still gets its time). A family below the top two that has had four
    /// trials and is still further behind the leader than a quarter of the spread between the leader and
    /// the weakest first score gets a quarter of its share (k-NN at 0.87 AUC beside boosted trees at 0.93, say: its time
    /// is better spent on the leaders). The time is measured, except under a trial cap, where the
    /// estimates are used so that one seed gives one sequence.
    func chooseFamily() -> FamilySearch? {
        // A family that keeps proposing what cannot be afforded is set aside, unless it is the only one.
        let active = families.count == 1 ? families : families.filter { $0.skips < 6 }
        if let fresh = active.filter({ $0.trials == 0 && $0.skips == 0 })
            .min(by: { lowCost($0) < lowCost($1) }) { return fresh }
        let ranked = active.sorted { ($0.best ?? -.infinity) > ($1.best ?? -.infinity) }
        let deterministic = options.maxTrials != nil
        let leader = ranked.first?.best ?? -.infinity
        let spread = leader - (active.compactMap(\.first).min() ?? leader)
        func load(_ f: FamilySearch) -> Double {
            let rank = ranked.firstIndex { $0 === f } ?? ranked.count
            var share = rank == 0 ? 3.0 : rank == 1 ? 2.0 : 1.0
            if rank >= 2, f.trials >= 4, spread > 0, leader - (f.best ?? -.infinity) > 0.25 * spread { share *= 0.25 }
            return ((deterministic ? f.estimatedSpent : f.measuredSpent) + 1e-3) / share
        }
        return active.min { load($0) < load($1) }
    }

    func lowCost(_ f: FamilySearch) -> Double {
        (try? f.family.learner(f.study.space.lowCostPoint, shape: f.shape).estimatedCost(for: f.shape)) ?? .infinity
    }

    /// Fits one configuration on every fold; fold 0 reports to the study so its pruner can stop it.
    func evaluate(_ learner: any Learner, family f: FamilySearch, trial: Trial, number: Int) -> TrialOutcome {
        var entry = LeaderboardEntry(trial: number, family: f.family, summary: learner.description,
                                     configuration: trial.configuration, score: nil, fitSeconds: 0, state: "complete")
        let start = ContinuousClock.now
        let left = searchEnd - start
        // A trial may use 60% of the time left; a portfolio configuration, tried before anything says
        // its family is worth it, 35% (a forest or network cut there is still a usable model). The time
        // is spread over the folds — fold i must end by (i + 1)/k of it — so that a cut trial's folds are
        // cut alike (a forest of 150 trees in fold 0 and 4 in the others would be judged unfairly).
        let allowed = left * (f.portfolio.contains(trial.number) ? 0.35 : 0.6) + .milliseconds(100)
        var models: [(key: String, model: any FittedModel)] = []
        var parts: [Predictions] = []
        let key = TrainingPlan.recipeKey(f.family.preprocessing)
        do {
            let data = try plan.foldData(for: f.family)
            for (i, fold) in data.enumerated() {
                let pruned = PruneFlag()
                let deadline = start + allowed * (Double(i + 1) / Double(data.count))
                var context = FitContext(seed: options.seed &+ UInt64(number), deadline: min(deadline, searchEnd),
                                         threads: options.threads, metric: metric.roundMetric)
                if i == 0 {
                    // A portfolio configuration reports (its curve sets the bar for the others) but is never
                    // pruned: a slow learning rate loses the early rungs to a fast one and wins at the end.
                    let prunable = !f.portfolio.contains(trial.number)
                    context.report = { @Sendable (progress: FitProgress) -> FitControl in
                        try? trial.report(progress.score, step: progress.step)
                        if prunable, (try? trial.shouldPrune()) == true {
                            pruned.set()
                            return .stop
                        }
                        return .proceed
                    }
                }
                let model = try learner.fitModel(fold.train, validation: fold.validation, context: context)
                if pruned.value {
                    entry.state = "pruned"
                    entry.fitSeconds = seconds(ContinuousClock.now - start)
                    return TrialOutcome(entry: entry, validation: nil, models: [])
                }
                parts.append(try model.predict(fold.validation.features))
                models.append(("\(key)-\(i)", model))
                if ContinuousClock.now >= searchEnd && i + 1 < data.count {
                    throw AutoMLError.noModel("the search time ran out after \(i + 1) of \(data.count) folds")
                }
            }
            let validation = Self.concatenate(parts)
            entry.score = metric.score(validation, validationTarget)
            if !(entry.score?.isFinite ?? false) { entry.state = "failed"; entry.note = "the validation score is not finite" }
            entry.fitSeconds = seconds(ContinuousClock.now - start)
            return TrialOutcome(entry: entry, validation: validation, models: models)
        } catch {
            entry.state = "failed"
            entry.note = "\(error)"
            entry.fitSeconds = seconds(ContinuousClock.now - start)
            return TrialOutcome(entry: entry, validation: nil, models: [])
        }
    }

    /// The incumbent's score and tie-break (see `record`).
    var incumbentKey = (-Double.infinity, -Double.infinity)

    func record(_ outcome: TrialOutcome) {
        entries.append(outcome.entry)
        let best = outcomes.compactMap(\.entry.score).max() ?? -.infinity
        log(.trial(outcome.entry, best: max(best, outcome.entry.score ?? -.infinity),
                   left: max(.zero, searchEnd - ContinuousClock.now)))
        guard outcome.entry.state == "complete", outcome.validation != nil else { return }
        // The incumbent is the model ensemble selection would pick alone: the best score, and under
        // accuracy, of equal scores the better log loss.
        if let score = outcome.entry.score, let validation = outcome.validation {
            let key = (score, metric == .accuracy ? ValidationMetric.logLoss.score(validation, validationTarget) : 0)
            if key > incumbentKey {
                incumbentKey = key
                options.onIncumbent?(incumbent(outcome, score: score))
            }
        }
        outcomes.append(outcome)
        // Keep predictions and models only for the best trials and the a-priori ones (the ensemble's
        // candidates).
        outcomes.sort { ($0.entry.score ?? -.infinity) > ($1.entry.score ?? -.infinity) }
        if outcomes.count > keepBest {
            outcomes = outcomes.enumerated().filter { $0.offset < keepBest || $0.element.apriori }.map(\.element)
        }
    }

    /// The outcome as a predictor of new tables (through the preprocessing its fold models were fitted with).
    func incumbent(_ outcome: TrialOutcome, score: Double) -> Incumbent {
        let family = outcome.entry.family
        let preprocessors = ((try? plan.foldData(for: family)) ?? []).map(\.preprocessor)
        let models = outcome.models.map(\.model)
        let predict: @Sendable (DataFrame) throws -> Predictions = { frame in
            var parts: [Predictions] = []
            for (i, m) in models.enumerated() where i < preprocessors.count {
                parts.append(try m.predict(try preprocessors[i].transform(frame).features))
            }
            return EnsembleSelection.combine(parts, weights: [Double](repeating: 1, count: parts.count))
                ?? { preconditionFailure("an incumbent has no models") }()
        }
        return Incumbent(trial: outcome.entry.trial, family: family, summary: outcome.entry.summary, score: score,
                         elapsed: outcome.entry.finishedAt ?? 0, predict: predict)
    }

    static func concatenate(_ parts: [Predictions]) -> Predictions {
        guard let first = parts.first else { return .values([]) }
        switch first {
        case .values: return .values(parts.flatMap { EnsembleSelection.values($0) })
        case .probabilities(_, let k): return .probabilities(parts.flatMap { EnsembleSelection.values($0) }, classes: k)
        }
    }
}

/// Set from a progress callback when the pruner stopped a fit.
final class PruneFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    func set() { lock.lock(); flag = true; lock.unlock() }
    var value: Bool { lock.lock(); defer { lock.unlock() }; return flag }
}

func seconds(_ d: Duration) -> Double {
    d.inSeconds
}
