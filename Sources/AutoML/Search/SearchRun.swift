import Foundation
import Learners
import MLData
import Search
import Store

/// The search loop: a low-cost portfolio first, then a cost-aware choice of family (`SearchScheduler`),
/// each family tuned by its own study (TPE; a family that designs architectures by the strategy chosen in
/// the options) with ASHA pruning on its learner's progress reports; every trial is validated the same
/// way (k-fold or hold-out) so that their predictions can be ensembled. Every number comes from
/// `options.policy`; every family-specific decision from the family's `LearnerCapabilities`.
final class SearchRun {
    let plan: TrainingPlan
    let options: AutoMLOptions
    let policy: SearchPolicy
    let clock: any RunClock
    let metric: ValidationMetric
    /// When the search stops: the budget's end less what follows the search, stretched by the machine's
    /// load as the run measures it (`stretchSearchEnd`).
    var searchEnd: ContinuousClock.Instant
    /// The budget's end, and the seconds kept after the search on an idle machine.
    let budgetEnd: ContinuousClock.Instant
    let tailSeconds: Double
    let runStart: ContinuousClock.Instant
    let familyList: [LearnerFamily]
    var families: [FamilySearch] = []
    var outcomes: [TrialOutcome] = []
    var entries: [LeaderboardEntry] = []
    /// Preprocessing recipes whose folds' derived data the `FitCache` holds (a trial on all their rows
    /// kept or reused some): a learner's next fit there costs its estimate less `estimatedReusableCost`.
    var warmRecipes: Set<String> = []
    /// The a-priori configurations learned from other datasets (nil: each family's hand-set portfolio).
    var advice: PriorAdvice?

    /// Whether the family's recipe is in `warmRecipes`: its fits reuse what the `FitCache` holds.
    func isWarm(_ f: FamilySearch) -> Bool { warmRecipes.contains(f.capabilities.preprocessing.name) }

    init(plan: TrainingPlan, options: AutoMLOptions, families: [LearnerFamily], metric: ValidationMetric,
         start: ContinuousClock.Instant, searchEnd: ContinuousClock.Instant, budgetEnd: ContinuousClock.Instant) {
        self.plan = plan
        self.options = options
        self.policy = options.policy
        self.clock = options.clock
        self.familyList = families
        self.metric = metric
        self.runStart = start
        self.searchEnd = searchEnd
        self.budgetEnd = budgetEnd
        tailSeconds = seconds(budgetEnd - searchEnd)
        validationTarget = plan.validatedTarget
    }

    func log(_ e: AutoMLEvent) { options.log?(e) }

    /// Moves the search's end earlier when the machine runs slower than idle, so that what follows the
    /// search (kept for an idle machine) still ends within the budget. Never later than planned (the
    /// stretched tail is never shorter); the slowdown is the run's so far, so the end moves smoothly. Not
    /// under a trial cap, where one seed must give one sequence of trials.
    func stretchSearchEnd() {
        guard !deterministic, shared?.isCoordinator != false else { return }
        let total = seconds(budgetEnd - runStart)
        let tail = policy.budget.stretched(tailSeconds, slowdown: clock.slowdown, tail: tailSeconds, total: total)
        searchEnd = budgetEnd - .milliseconds(Int(tail * 1000))
    }

    /// The plan's `validatedTarget`, kept (read by every trial; set again when the plan ends its
    /// cross-validation, `holdOutIfFoldsDoNotFit`).
    var validationTarget: TargetValues

    /// Under a trial cap the scheduler counts estimated seconds, not measured ones, so that one seed
    /// gives one sequence of trials.
    var deterministic: Bool { options.maxTrials != nil }

    func run() throws {
        if let journal = options.journal {
            try FileManager.default.createDirectory(at: journal, withIntermediateDirectories: true)
        }
        // The advice's `use` lists what is queued (by `apriori`), not what it offered.
        advice?.use.entries = [:]
        for (i, family) in familyList.enumerated() {
            let shape: DataShape
            do { shape = try plan.shape(for: family) } catch {
                log(.skipped(family, "its features could not be prepared: \(error)"))
                continue
            }
            let store: TrialStore = try shared?.store(for: family) ?? options.journal.map {
                try JournaledTrialStore(path: $0.appendingPathComponent("\(family.rawValue).sqlite").path, resume: options.resume)
            } ?? InMemoryTrialStore()
            let seed = options.seed &+ UInt64(i) &* policy.seeds.familyStride &+ (shared?.seedSalt ?? 0)
            // In a shared search only a coordinator that starts the study queues the a-priori
            // configurations; the others take them from the queue.
            let queues = shared.map { $0.isCoordinator && !options.resume } ?? true
            let f = try FamilySearch(family: family, shape: shape, store: store, resume: shared == nil && options.resume, queues: queues,
                                     strategy: family.capabilities.designsArchitecture ? options.nasStrategy.make(seed: seed, policy: policy.scheduler) : TPESampler(seed: seed),
                                     policy: policy.scheduler, apriori: apriori(family, shape: shape),
                                     skipped: { [weak self] in self?.log(.skipped(family, $0)) })
            if let shared {
                if queues {
                    try shared.publishApriori(family, lowCost: f.lowCostTrial, portfolio: f.portfolio, earning: f.earning)
                } else {
                    (f.lowCostTrial, f.portfolio, f.earning) = try shared.apriori(family)
                }
            }
            let folds = plan.folds.count
            f.allowance = SearchScheduler.initialAllowance(lowCostSeconds: f.lowCostEstimate, folds: folds, budgetSeconds: seconds(options.budget), policy: policy.scheduler)
            // Architecture search beside other families: when even its smallest network would take more
            // than a share of the search, the time is better spent on the others.
            let cheapest = f.lowCostEstimate * Double(folds), searchSeconds = seconds(searchEnd - clock.now)
            if f.capabilities.designsArchitecture && familyList.count > 1 && cheapest > policy.scheduler.architectureSearchMaximumShare * searchSeconds {
                log(.skipped(family, String(format: "its smallest network would take about %.1f s of the %.1f s search; give more --time to design networks", cheapest, searchSeconds)))
                continue
            }
            families.append(f)
        }
        let earlier = families.reduce(0) { $0 + $1.earlierTrials }
        if options.resume && shared == nil {
            log(.phase(earlier > 0 ? "resuming a search of \(earlier) stored trials" : "nothing stored to resume: starting afresh"))
        }
        var number = earlier
        stretchSearchEnd()
        // Stop when too little time is left for anything useful.
        while searchEnd - clock.now > .seconds(policy.scheduler.minimumSecondsLeft) {
            defer { stretchSearchEnd() }
            try options.checkCancellation()
            guard try syncShared() else { break }
            if let cap = options.maxTrials, number - earlier >= cap { break }
            guard let choice = SearchScheduler.next(families.map { $0.standing(measured: !deterministic) }, policy: policy.scheduler) else { break }
            let f = families[choice]
            let iterationStart = clock.now
            // Everything a trial costs counts toward its family: sampling and bookkeeping too.
            defer { f.measuredSpent += seconds(clock.now - iterationStart) }
            guard let (trial, learner, estimate) = try nextCandidate(f) else {
                f.skips += 1
                log(.skipped(f.family, String(format: "no sampled configuration fits its cost allowance of %.2f s", f.allowance)))
                // When no other family can use the time, the allowance rises to the cheapest configuration
                // it deferred: waiting for a completed trial to raise it would leave the time unused.
                if !families.contains(where: { $0 !== f && SearchScheduler.isActive($0.standing(measured: !deterministic), policy: policy.scheduler) }) {
                    f.allowance = max(f.allowance, f.cheapestDeferred)
                }
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
                try skip(f, trial, "needs about \(learner.estimatedMemory(for: f.shape) >> 20) MB, over the memory limit")
                continue
            }
            let profile = learner.sizeProfile(for: f.shape)
            if let p = profile, let limit = options.maxParameters, p.parameters > limit {
                try skip(f, trial, "has \(p.parameters) parameters, over the limit of \(limit)")
                continue
            }
            if let p = profile, let limit = options.maxLatencyMs, p.latencyMs > limit {
                try skip(f, trial, String(format: "predicts a row in %.3f ms, over the limit of %g ms", p.latencyMs, limit))
                continue
            }
            let left = seconds(searchEnd - clock.now)
            // Families that stop at a deadline with a usable model (trees, networks, iterative solvers)
            // run anyway, cut at their deadline. One that cannot be cut (k-NN) must fit its share of the
            // time left, its first trial too: on a seeded subsample of the training rows if need be.
            let cuttable = f.capabilities.stopsAtDeadline
            let cost = estimate * (deterministic ? 1 : f.slowdown)
            var trainingRows: Int?
            if cuttable {
                // What a fit derives before its first round (XGBoost's DMatrix) cannot be cut: when that
                // alone passes the time left, no configuration of the family can finish, its first neither.
                let setup = isWarm(f) ? 0
                    : learner.estimatedReusableCost(for: f.shape) * Double(plan.folds.count) * (deterministic ? 1 : f.slowdown)
                if setup > left {
                    try skip(f, trial, String(format: "would spend about %.1f s preparing its data before it could stop, %.1f s are left", setup, left))
                    f.finished = true
                    continue
                }
                if f.trials > 0, !f.isExempt(trial.number), cost > policy.scheduler.cuttableOverrun * left {
                    try skip(f, trial, String(format: "would take about %.1f s, %.1f s are left", cost, left))
                    continue
                }
            } else {
                let allowed = policy.scheduler.uncuttableShareOfTimeLeft * left
                guard let rows = SearchScheduler.trainingRows(rows: f.shape.rows, cost: cost, allowed: allowed,
                                                              minimumRows: policy.scheduler.subsampleMinimumRows) else {
                    try skip(f, trial, String(format: "would take about %.1f s on %d rows, and cannot stop early; %.1f s are left", cost, f.shape.rows, left))
                    // Time only shrinks: when even the cheapest configuration no longer fits, the family is done.
                    let cheapest = f.lowCostEstimate * Double(plan.folds.count) * (deterministic ? 1 : f.slowdown)
                    if SearchScheduler.trainingRows(rows: f.shape.rows, cost: cheapest, allowed: allowed,
                                                    minimumRows: policy.scheduler.subsampleMinimumRows) == nil {
                        f.finished = true
                    }
                    continue
                }
                if rows < f.shape.rows {
                    trainingRows = rows
                    log(.phase(String(format: "%@ trial %d on a seeded subsample of %d of %d training rows: all of them would take about %.1f s, and it cannot stop early (%.1f s left)",
                                      f.family.rawValue, number, rows, f.shape.rows, cost, left)))
                }
            }
            f.trials += 1
            let kept = plan.fitCache.keptBytes
            var outcome = evaluate(learner, family: f, trial: trial, number: number, trainingRows: trainingRows)
            if trainingRows == nil, outcome.reusedData || plan.fitCache.keptBytes > kept { warmRecipes.insert(f.capabilities.preprocessing.name) }
            outcome.entry.parameters = profile?.parameters
            outcome.entry.latencyMs = profile?.latencyMs
            outcome.entry.finishedAt = seconds(clock.now - runStart)
            outcome.apriori = f.portfolio.contains(trial.number) || trial.number == f.lowCostTrial
            outcome.entry.worker = shared?.runStore.worker
            do {
                try tellOutcome(outcome, of: trial, family: f,
                                estimate: SearchScheduler.estimate(estimate, onRows: trainingRows, of: f.shape.rows))
            } catch SearchError.leaseLost(let n) where shared != nil {
                // Its lease ran out (this process paused past it): the trial went back to the queue and
                // another process runs it; this result is dropped.
                log(.skipped(f.family, "trial \(n) of the shared study was taken back (its lease ran out); its result is dropped"))
                continue
            }
            record(outcome)
            publish(outcome, family: f.family, trial: trial.number)
        }
        try options.checkCancellation()
        try collectShared()
    }

    /// Ends the trial in the family's study with its outcome, and updates the family's bookkeeping.
    private func tellOutcome(_ outcome: TrialOutcome, of trial: Trial, family f: FamilySearch, estimate: Double) throws {
        switch (outcome.entry.state, outcome.entry.score) {
        case (.complete, let score?):
            try f.study.tell(trial.number, values: [score])
            f.best = max(f.best ?? -.infinity, score)
            if f.first == nil { f.first = score }
            if outcome.entry.fitSeconds > policy.scheduler.calibrationMinimumSeconds {
                f.calibration.append(outcome.entry.fitSeconds / max(estimate, 1e-4))
            }
            f.allowance = SearchScheduler.grownAllowance(f.allowance, afterCost: deterministic ? estimate : outcome.entry.fitSeconds, policy: policy.scheduler)
        case (.pruned, _):
            try f.study.tell(trial.number, state: .pruned)
        default:
            try f.study.tell(trial.number, state: .failed, error: outcome.entry.note)
        }
    }

    /// The configurations queued after the family's low-cost point: the options' starting ones, then the
    /// advice's (after the hand-set portfolio under `PriorPolicy.handPortfolioFirst`), when it has some
    /// for the family, else the family's hand-set portfolio; no more than the starting ones when the
    /// options turn portfolios off. What is queued from the advice is written back to its `use`, for the
    /// manifest.
    ///
    /// Each is marked exempt (from the cost allowance and the pruner) or not: the starting configurations
    /// and the hand-set portfolio are; the learned ones as `PriorPolicy.exemptLearnedEntries` says.
    func apriori(_ family: LearnerFamily, shape: DataShape) -> [AprioriConfiguration] {
        let starting = (options.startingConfigurations[family] ?? []).map { AprioriConfiguration(configuration: $0, exempt: true) }
        guard options.portfolio else { return starting }
        let given = aprioriGiven(family, shape: shape)
        return starting + given.filter { g in !starting.contains { $0.configuration == g.configuration } }
    }

    /// The a-priori configurations of the prior or the hand-set portfolio (see `apriori`).
    private func aprioriGiven(_ family: LearnerFamily, shape: DataShape) -> [AprioriConfiguration] {
        let hand = family.portfolio(for: shape)
        guard let learned = advice?.perFamily[family], !learned.isEmpty else { return hand.map { AprioriConfiguration(configuration: $0, exempt: true) } }
        // The learned prior was built without unlabeled rows: with them, a family that can pretrain on them
        // starts from its hand-set portfolio too, which tries pretraining.
        let pretrains = family.capabilities.pretrainsOnUnlabeled && (shape.unlabeledRows ?? 0) > 0
        let out = policy.prior.apriori(hand: hand.enumerated().map { ("\(family.rawValue)#p\($0.offset)", $0.element) },
                                       learned: learned.compactMap { e in e.configuration(for: shape).map { (e.name, $0) } },
                                       handFirst: pretrains)
        advice?.use.entries[family.rawValue] = out.map(\.name)
        return out.map { AprioriConfiguration(configuration: $0.configuration, exempt: policy.prior.exemptLearnedEntries || hand.contains($0.configuration)) }
    }

    /// The family's next configuration whose cost fits its allowance. The allowance starts at a few
    /// times the low-cost point and grows with what completes, so each family climbs from cheap to
    /// expensive configurations as FLAML's do. A sample over it is recorded as deferred, and the same
    /// configuration moved toward the low-cost point (`CostShrink.candidates`) is tried instead — never
    /// one the family has fitted already. Nil when nothing fits; `f.cheapestDeferred` is then the least
    /// estimated cost among what was deferred.
    func nextCandidate(_ f: FamilySearch) throws -> (Trial, any Learner, Double)? {
        let space = f.study.space
        let warm = isWarm(f)
        func cost(_ learner: any Learner) -> (estimate: Double, cost: Double) {
            let reused = warm ? learner.estimatedReusableCost(for: f.shape) : 0
            let estimate = (learner.estimatedCost(for: f.shape) - reused) * Double(plan.folds.count)
            return (estimate, estimate * (deterministic ? 1 : f.slowdown))
        }
        f.cheapestDeferred = .infinity
        for _ in 0..<policy.scheduler.proposalsPerChoice {
            let trial = try f.study.ask()
            let learner: any Learner
            do { learner = try f.family.learner(trial.configuration, shape: f.shape) } catch {
                try f.study.tell(trial.number, state: .failed, error: "invalid configuration: \(error)")
                continue
            }
            let (estimate, c) = cost(learner)
            if !options.costAllowance || f.trials == 0 || c <= f.allowance || f.isExempt(trial.number) { return (trial, learner, estimate) }
            // Too costly for now: move the sample toward the low-cost point until it fits, and try that.
            try f.study.tell(trial.number, state: .failed, error: String(format: "deferred: about %.2f s, over the allowance of %.2f s", c, f.allowance))
            f.cheapestDeferred = min(f.cheapestDeferred, c)
            for shrunk in CostShrink.candidates(toward: space.lowCostPoint, from: trial.configuration, in: space, ladder: policy.scheduler.shrinkLadder) {
                guard f.fitted[shrunk] == nil, let l = try? f.family.learner(shrunk, shape: f.shape), cost(l).cost <= f.allowance else { continue }
                _ = try f.study.enqueue(shrunk)
                let queued = try f.study.ask()
                guard let ql = try? f.family.learner(queued.configuration, shape: f.shape) else { break }
                return (queued, ql, cost(ql).estimate)
            }
        }
        return nil
    }

    func skip(_ f: FamilySearch, _ trial: Trial, _ reason: String) throws {
        f.skips += 1
        try f.study.tell(trial.number, state: .failed, error: "skipped: \(reason)")
        log(.skipped(f.family, reason))
    }

    /// The incumbent's score and tie-break (see `record`).
    var incumbentKey = (-Double.infinity, -Double.infinity)

    func record(_ outcome: TrialOutcome) {
        entries.append(outcome.entry)
        let best = outcomes.compactMap(\.entry.score).max() ?? -.infinity
        log(.trial(outcome.entry, best: max(best, outcome.entry.score ?? -.infinity),
                   left: max(.zero, searchEnd - clock.now)))
        guard outcome.entry.state == .complete, let score = outcome.entry.score, let validation = outcome.validation else { return }
        // The incumbent is the model ensemble selection would pick alone: the best score, and under
        // accuracy, of equal scores the better log loss.
        let key = (score, metric == .accuracy ? ValidationMetric.logLoss.score(validation, validationTarget) : 0)
        if key > incumbentKey {
            incumbentKey = key
            // (Another process's trial, whose models are read only if it stays a candidate, is not offered.)
            if let onIncumbent = options.onIncumbent, !outcome.models.isEmpty {
                do { onIncumbent(try incumbent(outcome, score: score)) } catch {
                    log(.skipped(outcome.entry.family, "trial \(outcome.entry.trial) could not be offered as the new best model: \(error)"))
                }
            }
        }
        outcomes.append(outcome)
        // Keep predictions and models only for the best trials and the a-priori ones (the ensemble's
        // candidates).
        outcomes.sort { ($0.entry.score ?? -.infinity) > ($1.entry.score ?? -.infinity) }
        let keep = policy.ensemble.candidates
        if outcomes.count > keep {
            outcomes = outcomes.enumerated().filter { $0.offset < keep || $0.element.apriori }.map(\.element)
        }
    }

    /// The outcome as a predictor of new tables (through the preprocessing its fold models were fitted with).
    func incumbent(_ outcome: TrialOutcome, score: Double) throws -> Incumbent {
        let family = outcome.entry.family
        let preprocessors = try plan.foldData(for: family).map(\.preprocessor)
        let models = outcome.models.map(\.model)
        guard !models.isEmpty, models.count <= preprocessors.count else {
            throw AutoMLError.noModel("trial \(outcome.entry.trial) has \(models.count) fold models for \(preprocessors.count) folds")
        }
        let predict: @Sendable (DataFrame) throws -> Predictions = { frame in
            var parts: [Predictions] = []
            for (i, m) in models.enumerated() {
                parts.append(try m.predict(try preprocessors[i].transform(frame).features))
            }
            guard let mean = EnsembleSelection.combine(parts, weights: [Double](repeating: 1, count: parts.count)) else {
                throw AutoMLError.noModel("the incumbent has no models")
            }
            return mean
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

func seconds(_ d: Duration) -> Double {
    d.inSeconds
}
