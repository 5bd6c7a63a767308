import Foundation
import Learners
import MLData

/// The data side of a run: the target as labels or values, the input columns, the validation folds,
/// and features prepared per preprocessing recipe and fold (fitted on each fold's training rows only).
final class TrainingPlan: @unchecked Sendable {
    let frame: DataFrame
    let targetName: String
    let task: PredictionTask
    let classes: [String]
    let target: TargetValues
    /// The rows of the input table that have a target, in order (`frame`'s row i is the input's
    /// `keptRows[i]`).
    let keptRows: [Int]
    /// Validation folds over the rows (one fold for a hold-out split). Under repeated cross-validation
    /// repeat r's folds are `folds[r·k ..< (r+1)·k]`, each repeat validating every row once.
    /// (Cross-validation may end before any trial completed: `holdOutFirstFold`.)
    private(set) var folds: [Fold]
    private(set) var isCrossValidation: Bool
    /// Repeats of the cross-validation (1 under a hold-out).
    private(set) var repeats: Int
    /// For repeat r ≥ 1, where each of `validatedRows` sits in that repeat's validation rows.
    private var repeatPositions: [[Int]]
    let seed: UInt64
    /// How the task was decided; an assumption (whole numbers taken as classes) is logged with its override.
    let taskDecision: TaskDecision
    /// The layout architecture search sees (the shape of a signal or image, and the space to search).
    var inputShape: [Int]?
    /// Columns the model must keep monotone (+1 / −1), for the families that can.
    var monotone: [String: Int] = [:]
    var networkSpace: NetworkSpace?
    /// Each recipe's folds prepared so far, in order (a recipe's first fold is prepared before its others,
    /// so that a run can see what one fold costs before it pays for all of them).
    private let cache = LockedBox<[PreprocessingRecipe: [FoldData]]>([:])
    /// Data learners derived from the folds, kept between trials (scoped per fold and recipe).
    let fitCache: FitCache
    /// Seconds each recipe's folds prepared so far took (about what preparing every row for a refit takes
    /// under a hold-out, where the folds cover every row once).
    private let preparation = LockedBox<[PreprocessingRecipe: Double]>([:])

    struct FoldData {
        var preprocessor: FittedPreprocessor
        var train: LabeledData
        var validation: LabeledData
        /// What fits on this fold's rows with this recipe keep for the next trial (a scope of the plan's
        /// `FitCache`).
        var cache: FitCache
        /// The unlabeled rows, prepared by this fold's preprocessing (nil: none).
        var unlabeled: FeatureMatrix?
    }

    /// Rows without a target, for the families that can pretrain on them (`AutoMLOptions.unlabeled`).
    let unlabeled: DataFrame?

    /// Derives each preprocessing stream from the run's seed.
    let seeds: SeedPolicy
    /// A teacher's targets, learned instead of the table's (distillation), or pseudo-labelled rows learned
    /// beside them (self-training); validation stays on the table's.
    let teacher: TeacherTargets?

    init(frame input: DataFrame, target targetName: String, task override: TaskKind?, seed: UInt64, holdout: Double? = nil,
         policy: SearchPolicy = .standard, memoryLimit: Int? = nil, teacher: TeacherLabels? = nil, unlabeled: DataFrame? = nil,
         repeats: Int = 1) throws {
        self.unlabeled = unlabeled.flatMap { $0.rowCount > 0 ? $0 : nil }
        guard let column = input[targetName] else {
            throw AutoMLError.missingTarget(targetName, columns: input.columnNames)
        }
        let decision = try TaskInference.decide(target: column, override: override)
        guard let kind = decision.task else {
            throw AutoMLError.ambiguousTask(target: targetName, distinctValues: decision.distinctValues)
        }
        taskDecision = decision
        var rows: [Int]
        var classes: [String] = []
        var target: TargetValues
        if kind.isClassification {
            let encoder = LabelEncoder.fit(column)
            classes = encoder.classes
            let labels = encoder.encode(column).labels
            rows = labels.indices.filter { labels[$0] >= 0 }
            target = .classes(rows.map { labels[$0] }, classCount: classes.count)
        } else {
            let values = column.numericView().values
            rows = values.indices.filter { values[$0].isFinite }
            target = .values(rows.map { values[$0] })
        }
        guard rows.count >= 10 else {
            throw AutoMLError.invalidInput("only \(rows.count) rows have a target value; MLForge needs at least 10 to train and validate")
        }
        let frame = rows.count == input.rowCount ? input : input.selecting(rows: rows)
        self.frame = frame
        self.keptRows = rows
        self.targetName = targetName
        self.classes = classes
        self.target = target
        let task: PredictionTask = kind.isClassification ? .classification(classes: classes.count) : .regression
        self.task = task
        self.seed = seed
        self.seeds = policy.seeds
        self.fitCache = FitCache(capacityBytes: policy.budget.fitCacheBytes(memoryLimit: memoryLimit))
        let validation = policy.validation
        var rng = SeededGenerator(seed: seed)
        let foldCount: Int
        let stratify: [Int]? = { if case .classes(let c, _) = target { return c } else { return nil } }()
        // Small data: k-fold cross-validation (every row validated once); larger or wider data: a hold-out.
        let cells = rows.count * max(1, frame.columnCount - 1)
        if holdout == nil && rows.count <= validation.crossValidationMaxRows && cells <= validation.crossValidationMaxCells {
            let smallest = stratify.map { labels in Dictionary(grouping: labels, by: { $0 }).values.map(\.count).min() ?? 0 } ?? rows.count
            let k = smallest >= validation.folds || stratify == nil ? validation.folds : max(2, min(validation.folds, rows.count / 2))
            var all: [Fold] = []
            for _ in 0..<max(1, repeats) { all += try Splits.kFold(count: rows.count, folds: k, stratify: stratify, using: &rng) }
            folds = all
            foldCount = folds.count
            isCrossValidation = true
            self.repeats = max(1, repeats)
        } else {
            let (train, valid) = try Splits.holdout(count: rows.count, testFraction: holdout ?? validation.holdoutFraction, stratify: stratify, using: &rng)
            folds = [Fold(train: train, validation: valid)]
            foldCount = 1
            isCrossValidation = false
            self.repeats = 1
        }
        let (allFolds, repeatCount, rowCount) = (folds, self.repeats, rows.count)
        let perRepeat = allFolds.count / repeatCount
        let first = allFolds.prefix(perRepeat).flatMap(\.validation)
        repeatPositions = (1..<repeatCount).map { r in
            var position = [Int](repeating: 0, count: rowCount)
            for (i, row) in allFolds[(r * perRepeat)..<((r + 1) * perRepeat)].flatMap(\.validation).enumerated() { position[row] = i }
            return first.map { position[$0] }
        }
        self.teacher = try teacher.map { try TeacherTargets($0, keptRows: rows, input: input, classes: classes, task: task, folds: foldCount) }
    }

    var rowCount: Int { frame.rowCount }

    var description: String {
        "\(rowCount) rows, \(frame.columnCount - 1) input columns, \(task); validation by \(scheme)"
    }

    /// The validation scheme in words ("5-fold cross-validation", "2 × 5-fold cross-validation", "a 20%
    /// hold-out (2,000 rows)").
    var scheme: String {
        let share = Int((Double(folds[0].validation.count) / Double(max(1, rowCount)) * 100).rounded())
        return isCrossValidation ? (repeats > 1 ? "\(repeats) × " : "") + "\(foldsPerRepeat)-fold cross-validation"
            : "a \(share)% hold-out (\(folds[0].validation.count) rows)"
    }

    /// `monotone` as feature indices of features named `names`, for a family that keeps monotone
    /// constraints (none for the others).
    func monotoneFeatures(_ names: [String], family: LearnerFamily) throws -> [Int: Int] {
        guard !monotone.isEmpty, family.capabilities.keepsMonotone else { return [:] }
        var out: [Int: Int] = [:]
        for (column, sign) in monotone {
            guard let i = names.firstIndex(of: column) else {
                throw AutoMLError.invalidInput("the monotone column '\(column)' is not among \(family.rawValue)'s features (it may have been left out: constant, or entirely missing)")
            }
            out[i] = sign
        }
        return out
    }

    /// k of the k-fold (1 under a hold-out): the folds of one repeat.
    private var foldsPerRepeat: Int { folds.count / repeats }

    /// Rows that get a validation prediction (all rows under cross-validation), in the order of the first
    /// repeat's folds.
    var validatedRows: [Int] { folds.prefix(foldsPerRepeat).flatMap(\.validation) }

    /// The targets of `validatedRows`, in that order.
    var validatedTarget: TargetValues { target.selecting(rows: validatedRows) }

    /// A trial's validation predictions for `validatedRows` from its per-fold predictions (in `folds`'
    /// order): under repeated cross-validation each row's mean over the repeats.
    func validationPredictions(_ parts: [Predictions]) -> Predictions {
        guard repeats > 1, parts.count == folds.count else { return SearchRun.concatenate(parts) }
        let k = foldsPerRepeat
        let each = (0..<repeats).map { r -> Predictions in
            let joined = SearchRun.concatenate(Array(parts[(r * k)..<((r + 1) * k)]))
            return r == 0 ? joined : joined.selecting(rows: repeatPositions[r - 1])
        }
        return EnsembleSelection.combine(each, weights: [Double](repeating: 1, count: repeats)) ?? each[0]
    }

    /// The shape the learners see (from the first fold's training features).
    func shape(for family: LearnerFamily) throws -> DataShape {
        var shape = try fold(0, for: family).train.shape
        if family.capabilities.pretrainsOnUnlabeled { shape.unlabeledRows = unlabeled?.rowCount }
        if family.capabilities.designsArchitecture {
            shape.inputShape = inputShape
            shape.networkSpace = networkSpace
        }
        return shape
    }

    /// The table's `Landmarks`, on the first fold of the dense preprocessing (nil when none of `families`
    /// uses it, so that no run prepares a recipe only for them, or when they cannot be measured).
    func landmarks(families: [LearnerFamily]) -> Landmarks? {
        guard let family = families.first(where: { $0.capabilities.preprocessing == .dense }),
              let fold = try? fold(0, for: family) else { return nil }
        return try? Landmarks(train: fold.train, validation: fold.validation, seed: seed)
    }

    /// Features for `family`'s preprocessing, per fold (each prepared once per recipe).
    func foldData(for family: LearnerFamily) throws -> [FoldData] {
        try prepared(family.capabilities.preprocessing, through: folds.count - 1)
    }

    /// Fold `index`'s features for `family`'s preprocessing, preparing it (and the folds before it) if
    /// not yet done.
    func fold(_ index: Int, for family: LearnerFamily) throws -> FoldData {
        try prepared(family.capabilities.preprocessing, through: index)[index]
    }

    /// How long `family`'s folds prepared so far took (nil before any was).
    func preparationSeconds(for family: LearnerFamily) -> Double? {
        preparation.withLock { $0[family.capabilities.preprocessing] }
    }

    /// The recipe's folds 0 … `last`, preparing those not yet prepared.
    private func prepared(_ recipe: PreprocessingRecipe, through last: Int) throws -> [FoldData] {
        try cache.withLock { cache in
            var out = cache[recipe] ?? []
            guard out.count <= last else { return out }
            let start = ContinuousClock.now
            defer {
                cache[recipe] = out
                preparation.withLock { $0[recipe, default: 0] += (ContinuousClock.now - start).inSeconds }
            }
            while out.count <= last { out.append(try prepareFold(out.count, recipe: recipe)) }
            return out
        }
    }

    private func prepareFold(_ i: Int, recipe: PreprocessingRecipe) throws -> FoldData {
        // Unlabeled rows are prepared only for the recipes of families that pretrain on them.
        let pretraining = unlabeled.flatMap { frame in
            LearnerFamily.allCases.contains { $0.capabilities.pretrainsOnUnlabeled && $0.capabilities.preprocessing == recipe } ? frame : nil
        }
        let fold = folds[i]
        var rng = SeededGenerator(seed: seed &+ UInt64(i) &+ seeds.foldPreprocessing)
        let (trainFrame, trainTarget, soft) = try trainingPart(fold.train, fold: i)
        let (fitted, x) = try Preprocessor(options: recipe.options)
            .fitTransform(trainFrame, target: trainTarget, excluding: [targetName], using: &rng)
        let xv = try fitted.transform(frame.selecting(rows: fold.validation)).features
        return FoldData(
            preprocessor: fitted, train: try labeled(x, trainTarget, soft),
            validation: try LabeledData(features: xv, target: target.selecting(rows: fold.validation), task: task),
            cache: fitCache.scoped("\(recipe.name).fold\(i)"),
            unlabeled: try pretraining.map { try fitted.transform($0).features })
    }

    /// Ends cross-validation before any trial completed it: the first fold becomes the run's one hold-out
    /// split (its 1/k of the rows validated; a 2 × 5-fold run's first fold too), and the other folds are
    /// neither prepared nor fitted. For a run whose first trial shows that the folds do not fit its budget
    /// (`ValidationPolicy.holdOutFallbackShare`). Call it from the search's thread, which alone reads the
    /// folds while it runs.
    func holdOutFirstFold() {
        guard isCrossValidation else { return }
        folds = [folds[0]]
        isCrossValidation = false
        repeats = 1
        repeatPositions = []
        cache.withLock { cache in
            for (recipe, prepared) in cache { cache[recipe] = Array(prepared.prefix(1)) }
        }
    }

    /// Features of every row for `family`'s preprocessing (for the final refit).
    func fullData(for family: LearnerFamily) throws -> (FittedPreprocessor, LabeledData) {
        var rng = SeededGenerator(seed: seed &+ seeds.fullData)
        let (all, allTarget, soft) = try trainingPart(nil, fold: nil)
        let (fitted, x) = try Preprocessor(options: family.preprocessing)
            .fitTransform(all, target: allTarget, excluding: [targetName], using: &rng)
        return (fitted, try labeled(x, allTarget, soft))
    }

    /// The rows and targets a fit on the plan rows `rows` (nil: all, for the refit) of validation fold
    /// `fold` learns from: the table's, or with a teacher's labels those and the synthetic rows the fit
    /// may use (`TeacherTargets.training`).
    private func trainingPart(_ rows: [Int]?, fold: Int?) throws -> (DataFrame, TargetValues, [Double]?) {
        guard let teacher else {
            guard let rows else { return (frame, target, nil) }
            return (frame.selecting(rows: rows), target.selecting(rows: rows), nil)
        }
        let part = try teacher.training(frame, target: target, rows: rows ?? Array(0..<rowCount), fold: fold)
        return (part.frame, part.target, part.soft)
    }

    private func labeled(_ x: FeatureMatrix, _ target: TargetValues, _ soft: [Double]?) throws -> LabeledData {
        let data = try LabeledData(features: x, target: target, task: task)
        return try soft.map { try data.withSoftTargets($0) } ?? data
    }
}
