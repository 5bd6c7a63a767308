import Foundation
import Learners
import MLData
import Search
import Support

extension SearchRun {
    /// Fits one configuration on every fold; fold 0 reports to the study so its pruner can stop it.
    ///
    /// A trial may use a share of the search time left (an exempt a-priori configuration, tried before
    /// anything says its family is worth it, a smaller one: a forest or network cut there is still a usable
    /// model). The time is spread over the folds — fold i must end by (i + 1)/k of it — so that a cut
    /// trial's folds are cut alike (a forest of 150 trees in fold 0 and 4 in the others would be judged
    /// unfairly).
    ///
    /// With `trainingRows`, each fold's model is fitted on a seeded subsample of that many of its training
    /// rows (validated on all of its validation rows).
    func evaluate(_ learner: any Learner, family f: FamilySearch, trial: Trial, number: Int, trainingRows: Int? = nil) -> TrialOutcome {
        var entry = LeaderboardEntry(trial: number, family: f.family, summary: learner.description,
                                     configuration: trial.configuration, score: nil, fitSeconds: 0, state: .complete)
        entry.trainingRows = trainingRows
        var predictSeconds = 0.0, predictedRows = 0
        let start = clock.now
        let hits = plan.fitCache.hits
        let left = searchEnd - start
        let exempt = f.isExempt(trial.number)
        let share = exempt ? policy.scheduler.portfolioTrialShareOfTimeLeft : policy.scheduler.trialShareOfTimeLeft
        let allowed = left * share + .seconds(policy.scheduler.trialGraceSeconds)
        var models: [(key: String, model: any FittedModel)] = []
        var parts: [Predictions] = []
        var foldScores: [Double] = []
        let key = f.capabilities.preprocessing.name
        func failed(_ note: String) -> TrialOutcome {
            entry.state = .failed
            entry.note = note
            entry.fitSeconds = seconds(clock.now - start)
            return TrialOutcome(entry: entry, validation: nil, models: [])
        }
        do {
            // Folds are prepared as the trial reaches them, so that the run's first trial can show what one
            // costs before the others are paid for (`holdOutIfFoldsDoNotFit`).
            let foldCount = plan.folds.count
            for i in 0..<foldCount {
                let fold = try plan.fold(i, for: f.family)
                let control = TrialControl()
                let deadline = start + allowed * (Double(i + 1) / Double(foldCount))
                var context = FitContext(seed: options.seed &+ UInt64(number) &+ (shared?.seedSalt ?? 0), deadline: min(deadline, searchEnd),
                                         threads: options.threads, metric: metric.roundMetric)
                // A subsample is this trial's own; the fold's full rows are every trial's.
                if trainingRows == nil { context.cache = fold.cache }
                if f.capabilities.pretrainsOnUnlabeled { context.unlabeled = fold.unlabeled }
                context.monotone = try plan.monotoneFeatures(fold.train.features.names, family: f.family)
                if i == 0 {
                    // An exempt a-priori configuration reports (its curve sets the bar for the others) but is
                    // never pruned: a slow learning rate loses the early rungs to a fast one and wins at the end.
                    let prunable = !exempt
                    let cancellation = options.cancellation
                    context.report = { @Sendable (progress: FitProgress) -> FitControl in
                        if cancellation?.current == true { return .stop }
                        do {
                            try trial.report(progress.score, step: progress.step)
                            if prunable, try trial.shouldPrune() {
                                control.prune()
                                return .stop
                            }
                        } catch {
                            control.fail("its progress could not be recorded: \(error)")
                            return .stop
                        }
                        return .proceed
                    }
                }
                let train = trainingRows.map { Self.subsample(fold.train, rows: $0, seed: options.seed &+ UInt64(number) &+ UInt64(i)) } ?? fold.train
                let model = try learner.fitModel(train, validation: fold.validation, context: context)
                switch control.state {
                case .running: break
                case .pruned:
                    entry.state = .pruned
                    entry.fitSeconds = seconds(clock.now - start)
                    return TrialOutcome(entry: entry, validation: nil, models: [])
                case .failed(let note):
                    return failed(note)
                }
                let predictStart = ContinuousClock.now
                parts.append(try model.predict(fold.validation.features))
                predictSeconds += (ContinuousClock.now - predictStart).inSeconds
                foldScores.append(metric.score(parts[i], fold.validation.target))
                predictedRows += fold.validation.rows
                models.append(("\(key)-\(i)", model))
                if i == 0 && holdOutIfFoldsDoNotFit(trialStart: start, family: f.family) { break }
                if clock.now >= searchEnd && i + 1 < foldCount {
                    throw AutoMLError.noModel("the search time ran out after \(i + 1) of \(foldCount) folds")
                }
            }
            let validation = plan.validationPredictions(parts)
            entry.score = metric.score(validation, validationTarget)
            entry.foldScores = foldScores
            guard entry.score?.isFinite ?? false else { return failed("the validation score is not finite") }
            entry.fitSeconds = seconds(clock.now - start)
            // Each row is predicted by every fold model: the per-row cost of one fold, times the folds.
            if predictedRows > 0 { entry.predictMsPer1000 = predictSeconds / Double(predictedRows) * Double(models.count) * 1e6 }
            return TrialOutcome(entry: entry, validation: validation, models: models, reusedData: plan.fitCache.hits > hits)
        } catch {
            return failed("\(error)")
        }
    }
}

extension SearchRun {
    /// Ends cross-validation after the first fold of the run's first trial when the folds do not fit the
    /// budget: when that fold's preparation and fit, once for each fold left, would take more than
    /// `ValidationPolicy.holdOutFallbackShare` of the search time left, the first fold becomes a hold-out
    /// (`TrainingPlan.holdOutFirstFold`) and the trial is validated on it alone. Only before any trial
    /// completed (every kept outcome is validated on the same rows) and none is stored from a resumed
    /// search's earlier run (their scores are the folds'), not under a trial cap (time is not what binds
    /// there, and one seed gives one run), not in a shared search (its processes share one split) and not
    /// when the run must keep its folds (`AutoMLOptions.keepsValidationScheme`: self-training).
    /// Returns whether it did.
    func holdOutIfFoldsDoNotFit(trialStart: ContinuousClock.Instant, family: LearnerFamily) -> Bool {
        guard plan.isCrossValidation, outcomes.isEmpty, !deterministic, shared == nil, !options.keepsValidationScheme,
              families.allSatisfy({ $0.earlierTrials == 0 }) else { return false }
        let foldsLeft = plan.folds.count - 1
        let perFold = seconds(clock.now - trialStart) + (plan.preparationSeconds(for: family) ?? 0)
        let left = seconds(searchEnd - clock.now)
        guard perFold * Double(foldsLeft) > policy.validation.holdOutFallbackShare * left else { return false }
        let scheme = plan.scheme
        plan.holdOutFirstFold()
        validationTarget = plan.validatedTarget
        log(.plan(String(format: "%@ does not fit the budget: a fold takes about %.1f s to prepare and fit, %d more would take about %.1f s of the %.1f s left; validating on %@ instead",
                         scheme, perFold, foldsLeft, perFold * Double(foldsLeft), left, plan.scheme)))
        return true
    }
}

extension SearchRun {
    /// A seeded subsample of `rows` of the data's rows, in their order.
    static func subsample(_ data: LabeledData, rows: Int, seed: UInt64) -> LabeledData {
        guard rows < data.rows else { return data }
        var rng = SeededGenerator(seed: seed)
        var order = Array(0..<data.rows)
        order.seededShuffle(using: &rng)
        return data.selecting(rows: order.prefix(rows).sorted())
    }
}

/// What a fit's progress callback decided: go on, stop because the pruner said so, or stop because the
/// trial's reports could not be recorded.
final class TrialControl: Sendable {
    enum State: Sendable { case running, pruned, failed(String) }
    private let box = LockedBox(State.running)

    var state: State { box.current }
    func prune() { box.withLock { $0 = .pruned } }
    func fail(_ note: String) { box.withLock { $0 = .failed(note) } }
}
