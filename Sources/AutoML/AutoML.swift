import Foundation
import Store
import Learners
import MLData
import Search

/// Table in, the best model MLForge can find within a hard time budget out.
///
/// Profile the target → choose the validation scheme by size → a low-cost portfolio, then a cost-aware
/// search over the families (each tuned by TPE with ASHA pruning) → greedy ensemble selection over the
/// validation predictions → refit on all rows when time allows → the model.
public enum AutoML {
    /// Fits a model for `target` within `budget`.
    public static func fit(_ frame: DataFrame, target: String, budget: Duration = .seconds(10)) async throws -> AutoMLModel {
        var options = AutoMLOptions()
        options.budget = budget
        return try await fit(frame, target: target, options: options)
    }

    /// Fits on a thread of its own (the concurrency pool is not blocked for the budget). Cancelling the
    /// calling task stops the search at the next trial or progress report, and the call throws
    /// `CancellationError` without building a model.
    public static func fit(_ frame: DataFrame, target: String, options: AutoMLOptions) async throws -> AutoMLModel {
        let cancelled = LockedBox(false)
        var options = options
        options.cancellation = cancelled
        let run = options
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<AutoMLModel, Error>) in
                Thread.detachNewThread {
                    continuation.resume(with: Result { try fitSynchronously(frame, target: target, options: run) })
                }
            }
        } onCancel: {
            cancelled.withLock { $0 = true }
        }
    }

    /// The same, on the calling thread.
    public static func fitSynchronously(_ input: DataFrame, target: String, options: AutoMLOptions) throws -> AutoMLModel {
        let prepared = try prepare(input, target: target, options: options)
        let (frame, plan, metric, features, run, refits, reserve, start) = (prepared.frame, prepared.plan, prepared.metric, prepared.features,
                                                                            prepared.run, prepared.refits, prepared.reserve, prepared.start)
        let policy = options.policy
        // The study's connections and the coordinator's hold end with the fit, however it ends.
        defer { run.shared?.close() }
        try run.run()
        // On a loaded machine what follows takes longer: the reserves are stretched by the slowdown
        // measured so far, as the search's end was (`SearchRun.stretchSearchEnd`).
        let slowdown = options.maxTrials == nil ? options.clock.slowdown : 1
        let tail = reserve + seconds(options.documentsReserve)
        let stretched = { policy.budget.stretched($0, slowdown: slowdown, tail: tail, total: seconds(options.budget)) }
        let finishEnd = start + options.budget - .milliseconds(Int(stretched(seconds(options.documentsReserve)) * 1000))
        let finishReserve = stretched(reserve)
        if slowdown >= policy.budget.busyLogSlowdown {
            options.log?(.phase(String(format: "the machine is busy (work runs %.1f× slower than on idle cores): %.2f s kept after the search instead of %.2f s",
                                       slowdown, stretched(tail), tail)))
        }
        guard !run.outcomes.isEmpty else {
            let reasons = Set(run.entries.compactMap(\.note)).prefix(3).joined(separator: "; ")
            throw AutoMLError.noModel(run.entries.isEmpty ? "the time budget was too short for even one fit; give more time with --time"
                                                          : "every trial failed (\(reasons))")
        }
        options.log?(.phase("ensemble selection over the best \(run.outcomes.count) trials"))
        let candidates = run.outcomes
        let predictions = candidates.compactMap(\.validation)  // every kept outcome has them
        var weights = EnsembleSelection.select(predictions, target: run.validationTarget,
                                               metric: metric, rounds: policy.ensemble.rounds, minimumRounds: policy.ensemble.minimumRounds)
        // (Under a trial cap the guard has no deadline, so that one seed gives one model.)
        let gateDeadline = options.maxTrials != nil ? nil
            : refits ? run.searchEnd + .milliseconds(Int(policy.budget.gateShareWithRefit * finishReserve * 1000))
                     : finishEnd - .milliseconds(Int(policy.budget.gateMarginWithoutRefit * finishReserve * 1000))
        var pool = Array(candidates.indices)
        if options.searchGate, let prior = priorEnsemble(run, predictions: predictions, weights: weights, metric: metric, options: options,
                                                         deadline: gateDeadline) {
            weights = prior
            pool = pool.filter { candidates[$0].apriori }
        }
        weights = withoutCostlyMembers(weights, pool: pool, run: run, predictions: predictions, metric: metric, options: options,
                                       deadline: gateDeadline)
        if options.maxLatencyMs != nil || options.maxModelBytes != nil {
            weights = try constrained(weights, run: run, predictions: predictions, metric: metric, options: options)
        }
        let ensemblePredictions = EnsembleSelection.combine(predictions, weights: weights)
        var members: [EnsembleMember] = []
        for (outcome, w) in zip(candidates, weights) where w > 0 {
            members.append(EnsembleMember(family: outcome.entry.family, weight: w, summary: outcome.entry.summary,
                                          trial: outcome.entry.trial, configuration: outcome.entry.configuration,
                                          trainingRows: outcome.entry.trainingRows, models: outcome.models))
        }
        var preprocessors: [String: FittedPreprocessor] = [:]
        for family in Set(members.map(\.family)) {
            let key = family.capabilities.preprocessing.name
            for (i, fold) in try plan.foldData(for: family).enumerated() { preprocessors["\(key)-\(i)"] = fold.preprocessor }
        }
        members = refit(members, plan: plan, options: options, preprocessors: &preprocessors,
                        fitSeconds: Dictionary(run.entries.map { ($0.trial, $0.fitSeconds) }, uniquingKeysWith: { a, _ in a }),
                        reusedData: Set(run.outcomes.filter(\.reusedData).map(\.entry.trial)),
                        deadline: finishEnd - .milliseconds(Int(policy.budget.refitMargin * finishReserve * 1000)))
        options.log?(.phase("model ready"))
        var entries = run.entries
        for m in members { if let i = entries.firstIndex(where: { $0.trial == m.trial }) { entries[i].weight = m.weight } }
        let board = Leaderboard(metric: metric, entries: entries,
                                ensembleScore: ensemblePredictions.map { metric.score($0, run.validationTarget) })
        let used = Set(members.flatMap { $0.models.map(\.key) })
        var model = AutoMLModel(
            schema: frame.columns.filter { $0.name != target }.map { InputColumn(name: $0.name, type: $0.type) },
            targetName: target, task: plan.task, classes: plan.classes, metric: metric, seed: options.seed,
            preprocessors: preprocessors.filter { used.contains($0.key) }, members: members, leaderboard: board, dataHash: nil,
            policy: policy, metaFeatures: features, prior: run.advice?.use)
        model.constraints = RunConstraints(options)
        model.constraints?.validationRepeats = plan.repeats > 1 ? plan.repeats : nil
        if let ensemblePredictions {
            model.validation = ValidationRecord(predictions: ensemblePredictions, target: run.validationTarget,
                                                rows: plan.validatedRows.map { plan.keptRows[$0] }, scheme: plan.scheme)
        }
        if let fairness = options.fairness {
            try meet(fairness, model: &model, frame: frame, run: run, options: options)
        } else if policy.ensemble.thresholdsRankedDecisions {
            placeThreshold(&model, options: options)
        }
        return model
    }

    /// What a fit has made before its search: the plan and the search run, with what finishing needs.
    struct PreparedSearch {
        var frame: DataFrame
        var plan: TrainingPlan
        var metric: ValidationMetric
        var features: MetaFeatures
        var run: SearchRun
        /// Whether members may be refitted on all rows, and the seconds kept after the search for that.
        var refits: Bool
        var reserve: Double
        var start: ContinuousClock.Instant
    }

    /// Checks the options against the data and prepares the search: the plan, the families, the metric,
    /// the a-priori advice and the search's end.
    static func prepare(_ input: DataFrame, target: String, options: AutoMLOptions) throws -> PreparedSearch {
        var options = options
        // Columns the user excluded never reach the model (nor its schema: predict does not need them).
        for name in options.excludedColumns {
            guard input[name] != nil else {
                throw AutoMLError.invalidInput("--exclude names '\(name)', which is not a column of the data; its columns are: \(DataError.list(input.columnNames))")
            }
            guard name != target else { throw AutoMLError.invalidInput("--exclude names the target '\(target)'; exclude input columns only") }
        }
        let frame = options.excludedColumns.isEmpty ? input : input.dropping(Set(options.excludedColumns))
        let start = options.start ?? options.clock.now
        // The documents (the model card) take their reserve from the end; the run ends before it.
        let end = start + options.budget - options.documentsReserve
        guard options.budget > .zero else { throw AutoMLError.invalidInput("the time budget must be positive") }
        if let f = options.families, f.isEmpty { throw AutoMLError.invalidInput("no model family is allowed") }
        if let h = options.holdoutFraction, !(0.05...0.5).contains(h) {
            throw AutoMLError.invalidInput("the hold-out fraction must lie between 0.05 and 0.5; got \(h)")
        }
        let policy = options.policy
        try policy.validate()
        let plan = try TrainingPlan(frame: frame, target: target, task: options.task, seed: options.seed,
                                    holdout: options.holdoutFraction, policy: policy, memoryLimit: options.memoryLimit,
                                    teacher: options.teacher, unlabeled: options.unlabeled.map {
                                        $0.dropping(Set(options.excludedColumns).intersection($0.columnNames))
                                    }, repeats: options.repeatsWanted)
        if plan.taskDecision.isAssumption { options.log?(.plan(plan.taskDecision.reason)) }
        var families = options.families ?? AutoMLOptions.standardFamilies
        // The families that design network architectures join when the rows are a signal or an image.
        let designers = LearnerFamily.allCases.filter { $0.capabilities.designsArchitecture }
        // Rows that are a signal or an image: the shape given, or one the column names show.
        if let shape = options.inputShape {
            let inputs = frame.columnCount - 1
            guard shape.reduce(1, *) == inputs else {
                throw AutoMLError.invalidInput("the shape \(InputLayout.describe(shape)) has \(shape.reduce(1, *)) values but the data has \(inputs) input columns; give a shape whose sizes multiply to \(inputs)")
            }
            plan.inputShape = shape
            if options.families == nil { families += designers }
        } else if options.detectsInputLayout, options.networkSpace != .mlp, let (shape, reason) = InputLayout.detect(frame, target: target) {
            plan.inputShape = shape
            if options.families == nil { families += designers }
            if families.contains(where: { $0.capabilities.designsArchitecture }) {
                options.log?(.plan("\(reason): architecture search uses the \(NetworkSpace.forShape(shape)) space on \(InputLayout.describe(shape)) inputs (--shape, --shape none and --space override this)"))
            }
        }
        plan.networkSpace = options.networkSpace
        if !options.monotone.isEmpty {
            families = try monotoneFamilies(families, frame: frame, target: target, options: options)
            plan.monotone = options.monotone
        }
        if plan.networkSpace.map({ $0 != .mlp && $0 != NetworkSpace.forShape(plan.inputShape) }) == true {
            throw AutoMLError.invalidInput("the \(plan.networkSpace!) space needs rows that are \(plan.networkSpace! == .conv1d ? "a signal (--shape LENGTH)" : "an image (--shape HxW)"); the input shape is \(plan.inputShape.map(InputLayout.describe) ?? "not known")")
        }
        if let fairness = options.fairness { try checkFairness(fairness, frame: frame, target: target, task: plan.task, options: options) }
        let metric = options.metric ?? (plan.task.isClassification ? options.classificationMetric : nil) ?? .automlDefault(for: plan.task)
        guard metric.isClassification == plan.task.isClassification else {
            throw AutoMLError.invalidInput("the metric \(metric.rawValue) does not suit \(plan.task); use \(plan.task.isClassification ? "roc_auc, accuracy or log_loss" : "r2, rmse or mae")")
        }
        options.log?(.plan("\(plan.description); metric \(metric.rawValue)"))
        if let line = leftOutLine(frame, target: target, families: families) { options.log?(.plan(line)) }
        // The search gets most of the budget; ensemble selection, refit and saving get the rest.
        let total = seconds(options.budget - options.documentsReserve)
        // Cross-validation keeps its fold models, and networks are never refitted: then nothing is refitted
        // and a small reserve covers ensemble and save.
        let refits = !plan.isCrossValidation && families.contains { $0.capabilities.refitsOnAllRows }
        // (Under cross-validation the reserve is mostly ensemble selection and its guard, which select
        // ensembles thirteen times over the validation predictions.)
        // (A worker of a shared search only searches, to the coordinator's deadline.)
        let reserve = options.sharedRun?.isCoordinator == false ? 0 : (refits ? policy.budget.withRefit : policy.budget.withoutRefit).seconds(of: total)
        let searchEnd = end - .milliseconds(Int(reserve * 1000))
        var features = MetaFeatures(frame: plan.frame, targetName: target, target: plan.target)
        if options.portfolio && (options.prior != nil || options.knowledge != nil) { features.landmarks = plan.landmarks(families: families) }
        let advice = options.portfolio ? try priorAdvice(features, options: options) : nil
        // A coordinator starts its shared study once everything above has been checked.
        if let share = options.sharedStart {
            let spec = SharedRunSpec(options: options, target: target, dataPath: share.dataPath, dataHash: share.dataHash, leaseSeconds: share.search.leaseSeconds)
            options.sharedRun = try SharedRun.coordinator(share.search, spec: spec, resume: options.resume,
                                                          deadline: Date().addingTimeInterval(seconds(searchEnd - options.clock.now)))
        }
        let run = SearchRun(plan: plan, options: options, families: families, metric: metric, start: start, searchEnd: searchEnd,
                            budgetEnd: start + options.budget)
        run.advice = advice
        return PreparedSearch(frame: frame, plan: plan, metric: metric, features: features, run: run, refits: refits, reserve: reserve, start: start)
    }

    /// A worker's part of a shared search (`SearchWorker`): the same plan and search loop as the
    /// coordinator's, to the coordinator's deadline, each trial published on the study. Returns the run.
    static func searchOnly(_ input: DataFrame, target: String, options: AutoMLOptions) throws -> SearchRun {
        let run = try prepare(input, target: target, options: options).run
        try run.run()
        return run
    }

    /// The a-priori configurations from the prior and the local knowledge base, with the plan line that
    /// says where they came from.
    static func priorAdvice(_ features: MetaFeatures, options: AutoMLOptions) throws -> PriorAdvice? {
        let local = try options.knowledge.map { try PriorAdvice.known(in: KnowledgeBase(path: $0.path)) } ?? []
        guard let advice = PriorAdvice.make(prior: options.prior, local: local, features: features, policy: options.policy.prior) else { return nil }
        let lent = advice.use.neighbours.isEmpty ? "no known dataset is near" : "nearest known: " + advice.use.neighbours.joined(separator: ", ")
        options.log?(.plan("a-priori configurations from \(options.prior == nil ? "the local knowledge base" : "the learned prior")\(local.isEmpty ? "" : " and \(local.count) earlier fits"); \(lent)"))
        return advice
    }

    /// The families that can keep `options.monotone`'s columns monotone, with the plan line naming those
    /// left out; the columns must be numeric (or true / false) inputs.
    static func monotoneFamilies(_ families: [LearnerFamily], frame: DataFrame, target: String, options: AutoMLOptions) throws -> [LearnerFamily] {
        for (name, sign) in options.monotone.sorted(by: { $0.key < $1.key }) {
            guard let column = frame[name], name != target else {
                throw AutoMLError.invalidInput("--monotone names '\(name)', which is not an input column of the data; its columns are: \(DataError.list(frame.columnNames.filter { $0 != target }))")
            }
            guard column.type == .numeric || column.type == .boolean else {
                throw AutoMLError.invalidInput("--monotone needs a numeric column; '\(name)' is \(column.type) (its levels have no order)")
            }
            guard sign == 1 || sign == -1 else { throw AutoMLError.invalidInput("--monotone takes +1 or -1 for '\(name)'; got \(sign)") }
        }
        let kept = families.filter { $0.capabilities.keepsMonotone }
        guard !kept.isEmpty else {
            throw AutoMLError.invalidInput("no family of this run can keep a column monotone (--monotone); allow xgboost or random_forest with --families")
        }
        let dropped = families.filter { !$0.capabilities.keepsMonotone }
        if !dropped.isEmpty {
            options.log?(.plan("left out \(dropped.map(\.rawValue).joined(separator: ", ")): they cannot keep \(options.monotone.keys.sorted().joined(separator: ", ")) monotone (--monotone)"))
        }
        return kept
    }

    /// Most columns a plan line names; the rest are counted.
    static let leftOutNamed = 8

    /// The plan line naming the columns the tabular families leave out and why (nil when none is); the
    /// families that keep a signal's or an image's layout keep every column, and the line says so.
    static func leftOutLine(_ frame: DataFrame, target: String, families: [LearnerFamily]) -> String? {
        let tabular = families.map(\.preprocessing).filter { !$0.keepConstant }
        guard let options = tabular.first else { return nil }
        let out = Preprocessor(options: options).leftOut(frame, excluding: [target])
        guard !out.isEmpty else { return nil }
        var text = out.prefix(leftOutNamed).map { "'\($0.column)' (\($0.reason))" }.joined(separator: ", ")
        if out.count > leftOutNamed { text += " and \(out.count - leftOutNamed) more" }
        let kept = tabular.count < families.count ? "; architecture search keeps every column in its place" : ""
        return "left out \(out.count) column\(out.count == 1 ? "" : "s"): \(text)\(kept)"
    }

    /// The a-priori ensemble's weights when the searched configurations do not beat it on held-out halves
    /// of the validation rows (`EnsembleSelection.gate`), with the decision logged; nil to keep `weights`.
    static func priorEnsemble(
        _ run: SearchRun, predictions: [Predictions], weights: [Double], metric: ValidationMetric, options: AutoMLOptions, deadline: ContinuousClock.Instant?
    ) -> [Double]? {
        guard let gate = EnsembleSelection.gate(weights, candidates: predictions, apriori: run.outcomes.map(\.apriori),
                                                target: run.validationTarget, metric: metric, rounds: options.policy.ensemble.rounds,
                                                minimumRounds: options.policy.ensemble.minimumRounds,
                                                seed: options.seed &+ options.policy.seeds.ensembleGate, splits: options.policy.ensemble.gateSplits,
                                                standardErrors: options.policy.ensemble.gateStandardErrors, deadline: deadline,
                                                clock: options.clock) else { return nil }
        options.log?(.phase(String(format: "searched configurations in the ensemble: %+.4f ± %.4f on held-out halves of the validation rows against the portfolio's ensemble, %@",
                                   gate.gain, gate.standardError, gate.kept ? "kept" : "not kept")))
        return gate.kept ? nil : gate.priorWeights
    }

    /// With a hold-out split, refits each member whose family refits on all rows when the time left
    /// allows it (`Learner.refitted(after:)`: boosted trees keep the number of rounds early stopping
    /// chose); with cross-validation the fold models are kept (their average is a bagged model, and it is
    /// what the ensemble weights were chosen for).
    /// A refit is started only when its estimate — the trial's fit time scaled by rows (all rows against
    /// the fold's training rows), plus the time the family's folds took to prepare — fits before
    /// `deadline`: a learner's deadline checks come between its steps, and preparing all rows comes first.
    static func refit(
        _ members: [EnsembleMember], plan: TrainingPlan, options: AutoMLOptions,
        preprocessors: inout [String: FittedPreprocessor], fitSeconds: [Int: Double], reusedData: Set<Int>,
        deadline: ContinuousClock.Instant
    ) -> [EnsembleMember] {
        guard !plan.isCrossValidation else { return members }
        var out = members
        for (i, m) in members.enumerated() where m.family.capabilities.refitsOnAllRows {
            guard let trialFit = m.models.first, options.clock.now < deadline else { continue }
            if let spent = fitSeconds[m.trial], let fold = try? plan.foldData(for: m.family).first?.train, fold.rows > 0 {
                // A trial that reused its fold's derived data (`FitCache`) did not pay for it; the refit derives
                // its own from all rows.
                var shape = fold.shape
                shape.rows = plan.rowCount
                let setup = reusedData.contains(m.trial)
                    ? (try? m.family.learner(m.configuration, shape: shape).estimatedReusableCost(for: shape)) ?? 0 : 0
                let estimate = spent * Double(plan.rowCount) / Double(fold.rows) + setup + (plan.preparationSeconds(for: m.family) ?? 0)
                let left = (deadline - options.clock.now).inSeconds
                guard estimate <= left else {
                    options.log?(.phase(String(format: "no refit of %@ (trial %d): it would take about %.1f s, %.1f s are left; keeping its validated model",
                                               m.family.rawValue, m.trial, estimate, left)))
                    continue
                }
            }
            options.log?(.phase("refit \(m.family) on all \(plan.rowCount) rows"))
            do {
                let shapeData = try plan.fullData(for: m.family)
                let key = "\(m.family.capabilities.preprocessing.name)-all"
                let learner = try m.family.learner(m.configuration, shape: shapeData.1.shape).forRefit(after: trialFit.model)
                var context = FitContext(seed: options.seed &+ UInt64(m.trial), deadline: deadline, threads: options.threads)
                context.monotone = try plan.monotoneFeatures(shapeData.1.features.names, family: m.family)
                // A trial that ran on a subsample of its fold's rows is refitted on the same share of all rows.
                var all = shapeData.1
                if let rows = m.trainingRows, let foldRows = try plan.foldData(for: m.family).first?.train.rows, foldRows > 0 {
                    let share = Double(rows) / Double(foldRows)
                    all = SearchRun.subsample(all, rows: Int((share * Double(all.rows)).rounded()), seed: options.seed &+ UInt64(m.trial))
                }
                let model = try learner.fitModel(all, validation: nil, context: context)
                guard options.clock.now < deadline else { continue }  // cut short: keep the validated model
                preprocessors[key] = shapeData.0
                out[i].models = [(key, model)]
            } catch {
                options.log?(.phase("refit of \(m.family) failed (\(error)); keeping its validated model"))
            }
        }
        return out
    }
}
