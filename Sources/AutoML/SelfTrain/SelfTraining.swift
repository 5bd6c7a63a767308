import Foundation
import Learners
import MLData

/// Self-training on unlabeled rows (`fit --unlabeled`): a plain fit on the labelled rows first; then, in
/// rounds, the best model so far labels the unlabeled rows it is confident about (class-balanced) and the
/// search fits again on the labelled rows and those — kept only when its validation score, on the same
/// folds of labelled rows, beats the best so far by more than `SelfTrainingPolicy.keepStandardErrors`
/// standard errors (`PairedGain`). Every round runs under the same budget.
///
/// No label leaks into validation: unlabeled rows never enter a validation fold, and each fold's
/// pseudo-labels come from the models that never saw that fold's validation rows (the fold models of a
/// cross-validated ensemble; a refitted member is fitted again on the fold's training rows), so a round's
/// validation score is as honest as the plain fit's. The refit on all rows learns the whole model's
/// labels. (Yarowsky 1995; Lee 2013, "Pseudo-Label"; AutoGluon's `fit_pseudolabel`.)
public enum SelfTraining {
    /// The best model of the plain fit and the self-training rounds, with its `SelfTrainingRecord`.
    /// Classification only: a regression target is fitted on the labelled rows alone, and the log says so.
    public static func fit(_ input: DataFrame, unlabeled: DataFrame, target: String, options: AutoMLOptions,
                           policy: SelfTrainingPolicy = .standard) throws -> AutoMLModel {
        try policy.validate()
        let start = options.start ?? options.clock.now
        let finalEnd = start + options.budget - options.documentsReserve
        let pool = try Self.pool(input, unlabeled: unlabeled, target: target)
        // Every fit, the first and each round's, may pretrain its networks on the unlabeled rows.
        var options = options
        options.unlabeled = pool
        // One cross-validation repeat in every round: each round's per-fold pseudo-labels are chosen on
        // the folds of the plan below, which every round must share.
        options.validationRepeats = 1
        // … and no fit may trade those folds for a hold-out when they do not fit its share of the budget.
        options.keepsValidationScheme = true
        var first = options
        first.start = start
        first.journal = nil
        first.budget = (finalEnd - start) * policy.firstRoundShare + options.documentsReserve
        var best = try AutoML.fitSynchronously(input, target: target, options: first)
        var record = SelfTrainingRecord(unlabeledRows: pool.rowCount, rounds: [
            .init(pseudoLabelledRows: 0, score: best.leaderboard.ensembleScore, kept: true)])
        guard best.task.isClassification else {
            options.log?(.phase("self-training needs classes: the regression is fitted on the labelled rows alone"))
            return finished(best, record, log: options.log)
        }
        guard pool.rowCount > 0 else {
            options.log?(.phase("self-training: no unlabeled rows; the model is fitted on the labelled rows alone"))
            return finished(best, record, log: options.log)
        }
        let frame = options.excludedColumns.isEmpty ? input : input.dropping(Set(options.excludedColumns))
        let plan = try TrainingPlan(frame: frame, target: target, task: best.task.kind,
                                    seed: options.seed, holdout: options.holdoutFraction, policy: options.policy, memoryLimit: options.memoryLimit)
        let classShares = Self.classShares(plan.target, classes: plan.task.classCount)
        let total = finalEnd - start
        var keptRound = 0
        for round in 1...max(1, policy.maxRounds) where policy.maxRounds > 0 {
            let left = finalEnd - options.clock.now
            guard left >= total * policy.minimumRoundShare else { break }
            let wanted = min(pool.rowCount, Int((Double(round) * policy.shareOfUnlabeledPerRound * Double(pool.rowCount)).rounded()))
            let full = try best.predict(pool)
            let folds = try foldPredictions(best, plan: plan, pool: pool, options: options, deadline: finalEnd)
            let choose = { (p: Predictions) -> RowLabels in
                let rows = Self.confident(p, wanted: wanted, shares: classShares, threshold: policy.confidence)
                return RowLabels(rows: rows, predictions: p.selecting(rows: rows))
            }
            let refit = choose(full)
            guard !refit.rows.isEmpty else {
                options.log?(.phase("self-training: the model is confident (p ≥ \(policy.confidence)) about no unlabeled row; stopping"))
                break
            }
            let labels = TeacherLabels(table: nil, classes: best.classes, synthetic: pool, syntheticPredictions: full,
                                       sources: Array(repeating: [], count: pool.rowCount),
                                       perFold: folds.map(choose),
                                       refit: refit)
            var next = options
            next.start = options.clock.now
            next.journal = nil
            let share = round < policy.maxRounds && (finalEnd - options.clock.now) * 0.5 >= total * policy.minimumRoundShare ? 0.5 : 1.0
            next.budget = (finalEnd - options.clock.now) * share + options.documentsReserve
            next.teacher = labels
            // The round starts from the ensemble before it: its members' configurations first, in their families.
            next.families = best.members.reduce(into: [LearnerFamily]()) { if !$0.contains($1.family) { $0.append($1.family) } }
            next.startingConfigurations = Dictionary(grouping: best.members, by: \.family).mapValues { $0.map(\.configuration) }
            options.log?(.phase("self-training round \(round): \(refit.rows.count) of \(pool.rowCount) unlabeled rows pseudo-labelled"))
            let model: AutoMLModel
            do {
                model = try AutoML.fitSynchronously(input, target: target, options: next)
            } catch AutoMLError.noModel(let why) {
                // A round too short for one whole trial leaves the best model so far as it is.
                record.rounds.append(.init(pseudoLabelledRows: refit.rows.count, score: nil, kept: false))
                options.log?(.phase("self-training round \(round): no model (\(why)); not kept"))
                break
            }
            let score = model.leaderboard.ensembleScore ?? -.infinity
            let bar = (best.leaderboard.ensembleScore ?? -.infinity) + policy.minimumGain
            // The gain must also stand out from the noise of the labelled validation rows.
            let paired = model.validation.flatMap { candidate in
                best.validation.flatMap { PairedGain.measure(candidate, over: $0, metric: best.metric, resamples: policy.keepResamples,
                                                             seed: options.seed &+ UInt64(round)) }
            }
            let kept = score > bar && paired.map { $0.gain > policy.keepStandardErrors * $0.standardError } ?? false
            record.rounds.append(.init(pseudoLabelledRows: refit.rows.count, score: model.leaderboard.ensembleScore, kept: kept,
                                       standardError: paired?.standardError))
            let shown = { (x: Double?) in x.map { String(format: "%.4f", Leaderboard.display($0, best.metric)) } ?? "—" }
            let noise = paired.map { String(format: " (gain %+.4f, standard error %.4f; kept above %g of them)", $0.gain, $0.standardError, policy.keepStandardErrors) } ?? ""
            options.log?(.phase("self-training round \(round): validation \(best.metric.rawValue) \(shown(model.leaderboard.ensembleScore)) against \(shown(best.leaderboard.ensembleScore))\(noise): \(kept ? "kept" : "not kept")"))
            guard kept else { break }
            best = model
            keptRound = record.rounds.count - 1
        }
        // Only the model returned is marked kept.
        for i in record.rounds.indices { record.rounds[i].kept = i == keptRound }
        return finished(best, record, log: options.log)
    }

    /// The model with its record, which says — and the log too — what VIME pretraining gained in the
    /// model's fit: the networks' best validation score with and without it, and its ensemble weight.
    static func finished(_ model: AutoMLModel, _ record: SelfTrainingRecord, log: (@Sendable (AutoMLEvent) -> Void)?) -> AutoMLModel {
        var model = model, record = record
        let entries = model.leaderboard.entries.filter { $0.family.capabilities.pretrainsOnUnlabeled && $0.configuration["pretrain"] != nil }
        let pretrained = entries.filter { $0.configuration["pretrain"] != .string("none") }
        if !pretrained.isEmpty {
            let best = { (e: [LeaderboardEntry]) in e.compactMap(\.score).max() }
            let total = model.leaderboard.entries.map(\.weight).reduce(0, +)
            let p = PretrainingRecord(method: "vime", trials: pretrained.count, completed: pretrained.filter { $0.state == .complete }.count,
                                      bestScore: best(pretrained), bestScoreWithout: best(entries.filter { $0.configuration["pretrain"] == .string("none") }),
                                      ensembleWeight: total > 0 ? pretrained.map(\.weight).reduce(0, +) / total : 0)
            record.pretraining = p
            let shown = { (x: Double?) in x.map { String(format: "%.4f", Leaderboard.display($0, model.metric)) } ?? "—" }
            log?(.phase(String(format: "VIME pretraining: %d networks pretrained on the unlabeled rows (%d complete), best validation %@ %@ against %@ without; %.0f%% of the ensemble's weight",
                               p.trials, p.completed, model.metric.rawValue, shown(p.bestScore), shown(p.bestScoreWithout), 100 * p.ensembleWeight)))
        }
        model.selfTraining = record
        return model
    }

    /// The unlabeled rows with `table`'s columns in its order: those of `unlabeled` (its target, if any,
    /// cleared; columns the table lacks ignored) and the table's own rows whose target is missing.
    package static func pool(_ table: DataFrame, unlabeled: DataFrame, target: String) throws -> DataFrame {
        guard let targetColumn = table[target] else { throw AutoMLError.missingTarget(target, columns: table.columnNames) }
        let missingInputs = table.columnNames.filter { $0 != target && unlabeled[$0] == nil }
        guard missingInputs.isEmpty else {
            throw AutoMLError.invalidInput("the unlabeled rows lack the column\(missingInputs.count == 1 ? "" : "s") \(DataError.list(missingInputs)) of the training table; give them the same columns (the target may be absent or empty)")
        }
        let empty = Column(name: target, storage: targetColumn.storage.missingLike(count: unlabeled.rowCount))
        let aligned = try DataFrame(columns: table.columns.map { $0.name == target ? empty : unlabeled[$0.name]! })
        let unlabelledInTable = (0..<table.rowCount).filter { targetColumn.isMissing($0) }
        guard !unlabelledInTable.isEmpty else { return aligned }
        var own = table.selecting(rows: unlabelledInTable)
        try own.setColumn(Column(name: target, storage: targetColumn.storage.missingLike(count: unlabelledInTable.count)))
        return try aligned.appending(own)
    }

    /// Each class's share of the labels.
    static func classShares(_ target: TargetValues, classes k: Int) -> [Double] {
        guard case .classes(let labels, _) = target, !labels.isEmpty else { return [] }
        var counts = [Double](repeating: 0, count: max(2, k))
        for c in labels where c >= 0 { counts[c] += 1 }
        return counts.map { $0 / Double(labels.count) }
    }

    /// The rows to pseudo-label: for each class, the rows whose most probable class it is with at least
    /// `threshold`, the most confident first, at most its share of `wanted`.
    package static func confident(_ p: Predictions, wanted: Int, shares: [Double], threshold: Double) -> [Int] {
        guard case .probabilities(let q, let k) = p, k > 0 else { return [] }
        var byClass = [[(row: Int, p: Double)]](repeating: [], count: k)
        for r in 0..<(q.count / k) {
            let row = q[(r * k)..<(r * k + k)]
            guard let top = row.indices.max(by: { row[$0] < row[$1] }), row[top] >= threshold else { continue }
            byClass[top - r * k].append((r, row[top]))
        }
        var out: [Int] = []
        for c in 0..<k {
            let quota = Int((Double(wanted) * (c < shares.count ? shares[c] : 0)).rounded())
            out += byClass[c].sorted { $0.p > $1.p || ($0.p == $1.p && $0.row < $1.row) }.prefix(quota).map(\.row)
        }
        return out.sorted()
    }

    /// For each validation fold, the model's predictions of `pool` by models that never saw the fold's
    /// validation rows: each member's fold model where it kept one (cross-validation, or a member that is
    /// not refitted), else its configuration fitted again on the fold's training rows.
    static func foldPredictions(_ model: AutoMLModel, plan: TrainingPlan, pool: DataFrame, options: AutoMLOptions,
                                deadline: ContinuousClock.Instant) throws -> [Predictions] {
        var out: [Predictions] = []
        for i in plan.folds.indices {
            var parts: [Predictions] = []
            for m in model.members {
                let key = "\(m.family.capabilities.preprocessing.name)-\(i)"
                if let part = m.parts.first(where: { $0.key == key }), let preprocessor = model.preprocessors[key] {
                    parts.append(try part.model.predict(preprocessor.transform(pool).features))
                    continue
                }
                let fold = try plan.foldData(for: m.family)[i]
                guard let fitted = m.parts.first?.model else { continue }
                let learner = try m.family.learner(m.configuration, shape: fold.train.shape).forRefit(after: fitted)
                let context = FitContext(seed: options.seed &+ UInt64(m.trial), deadline: deadline, threads: options.threads)
                let refitted = try learner.fitModel(fold.train, validation: nil, context: context)
                parts.append(try refitted.predict(fold.preprocessor.transform(pool).features))
            }
            guard let p = EnsembleSelection.combine(parts, weights: model.members.map(\.weight)) else {
                throw AutoMLError.noModel("the model has no members to label the unlabeled rows with")
            }
            out.append(p)
        }
        return out
    }
}

/// What self-training did (`fit --unlabeled`), in the manifest: the unlabeled rows, and each round's
/// pseudo-labelled rows and validation score (round 0 is the plain fit), and which round's model was kept.
public struct SelfTrainingRecord: Codable, Sendable, Equatable {
    public struct Round: Codable, Sendable, Equatable {
        public var pseudoLabelledRows: Int
        /// The ensemble's validation score (higher is better: losses negated).
        public var score: Double?
        public var kept: Bool
        /// The bootstrap standard error of the round's gain over the best model before it
        /// (`SelfTrainingPolicy.keepStandardErrors`); nil for the plain fit, a round with no model, and
        /// older folders.
        public var standardError: Double?

        public init(pseudoLabelledRows: Int, score: Double?, kept: Bool, standardError: Double? = nil) {
            self.pseudoLabelledRows = pseudoLabelledRows
            self.score = score
            self.kept = kept
            self.standardError = standardError
        }
    }
    public var unlabeledRows: Int
    public var rounds: [Round]
    /// What self-supervised pretraining did in the kept model's fit (nil: no network was pretrained, or
    /// an older folder).
    public var pretraining: PretrainingRecord?

    /// The pseudo-labelled rows of the kept model (0: the plain fit won).
    public var keptPseudoLabelledRows: Int { rounds.first(where: \.kept)?.pseudoLabelledRows ?? 0 }
}

/// Self-supervised pretraining in a fit (`SelfTrainingRecord.pretraining`): the networks pretrained and
/// their best validation score against the networks not pretrained, and their share of the ensemble.
public struct PretrainingRecord: Codable, Sendable, Equatable {
    /// The pretext task: "vime".
    public var method: String
    public var trials: Int
    public var completed: Int
    /// Validation scores, higher is better (losses negated); nil when none completed.
    public var bestScore: Double?
    public var bestScoreWithout: Double?
    /// The pretrained networks' share of the ensemble's weights.
    public var ensembleWeight: Double
}
