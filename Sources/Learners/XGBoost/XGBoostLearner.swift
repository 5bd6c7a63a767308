import Foundation
import MLData
import Search

/// Gradient-boosted trees through XGBoost's C API: histogram method, native missing values (NaN),
/// early stopping on validation rows (the model keeps its best round), all the threads it is given.
///
/// The search space follows FLAML's: leaf-wise growth with `max_leaves`, rounds and leaves that grow
/// with the row count, log scales for rates and penalties, and a low-cost start of 4 trees of 4 leaves.
public struct XGBoostLearner: Learner {
    public static let family = LearnerFamily.xgboost
    /// Boosting rounds stop at the deadline and are pruned from 16 rounds (early rounds say little about
    /// a slow learning rate); refitted with the rounds early stopping chose.
    public static let capabilities = LearnerCapabilities(stopsAtDeadline: true, prunable: true, firstRung: 16,
                                                         refitsOnAllRows: true, preprocessing: .trees, keepsMonotone: true, exports: true,
                                                         learnsSoftTargets: true)

    public var rounds = 100
    public var learningRate = 0.3
    /// Depth limit for depth-wise growth; 0 grows leaf-wise up to `maxLeaves`.
    public var maxDepth = 6
    public var maxLeaves = 0
    public var minChildWeight = 1.0
    public var subsample = 1.0
    public var colsampleByTree = 1.0
    public var colsampleByLevel = 1.0
    public var regAlpha = 0.0
    public var regLambda = 1.0
    /// Rounds without a better validation score before stopping (used only with validation rows).
    public var earlyStoppingRounds = 20

    public init() {}

    public static func defaults(for shape: DataShape) -> XGBoostLearner { XGBoostLearner() }

    /// On all rows, as many rounds as early stopping kept on the hold-out.
    public func refitted(after model: FittedXGBoost) -> XGBoostLearner {
        var x = self
        x.rounds = max(1, model.rounds)
        return x
    }

    public static func searchSpace(for shape: DataShape) -> SearchSpace {
        let upper = max(5, min(32768, shape.rows))
        let leaves = max(5, min(8192, shape.rows))  // FLAML allows 32768; beyond a few thousand the JSON balloons
        return fixedSpace([
            .init("n_estimators", .int(4, upper, log: true), lowCost: .int(4)),
            .init("max_leaves", .int(4, leaves, log: true), lowCost: .int(4)),
            .init("min_child_weight", .float(0.001, 128, log: true), lowCost: .double(1)),
            .init("learning_rate", .float(1.0 / 1024, 1, log: true), lowCost: .double(0.1)),
            .init("subsample", .float(0.1, 1), lowCost: .double(1)),
            .init("colsample_bylevel", .float(0.01, 1), lowCost: .double(1)),
            .init("colsample_bytree", .float(0.01, 1), lowCost: .double(1)),
            .init("reg_alpha", .float(1.0 / 1024, 1024, log: true), lowCost: .double(1.0 / 1024)),
            .init("reg_lambda", .float(1.0 / 1024, 1024, log: true), lowCost: .double(1)),
        ])
    }

    /// Moderate boosting with row and column sampling (early stopping trims the rounds), and a slower,
    /// smaller-leaved variant.
    public static func portfolio(for shape: DataShape) -> [Configuration] {
        let upper = max(5, min(32768, shape.rows))
        func point(_ trees: Int, _ leaves: Int, _ eta: Double, _ sample: Double, _ childWeight: Double) -> Configuration {
            ["n_estimators": .int(min(upper, trees)), "max_leaves": .int(min(upper, leaves)), "min_child_weight": .double(childWeight),
             "learning_rate": .double(eta), "subsample": .double(sample), "colsample_bylevel": .double(1),
             "colsample_bytree": .double(0.8), "reg_alpha": .double(1.0 / 1024), "reg_lambda": .double(1)]
        }
        return [point(400, 31, 0.1, 0.8, 1), point(1000, 8, 0.05, 0.7, 2)]
    }

    public init(configuration c: Configuration, shape: DataShape) throws {
        let r = ConfigurationReader(c, learner: "xgboost")
        rounds = try r.int("n_estimators")
        maxLeaves = try r.int("max_leaves")
        maxDepth = 0
        minChildWeight = try r.double("min_child_weight")
        learningRate = try r.double("learning_rate")
        subsample = try r.double("subsample")
        colsampleByLevel = try r.double("colsample_bylevel")
        colsampleByTree = try r.double("colsample_bytree")
        regAlpha = try r.double("reg_alpha")
        regLambda = try r.double("reg_lambda")
    }

    public var configuration: Configuration {
        [
            "n_estimators": .int(rounds), "max_leaves": .int(maxLeaves), "min_child_weight": .double(minChildWeight),
            "learning_rate": .double(learningRate), "subsample": .double(subsample),
            "colsample_bylevel": .double(colsampleByLevel), "colsample_bytree": .double(colsampleByTree),
            "reg_alpha": .double(regAlpha), "reg_lambda": .double(regLambda),
        ]
    }

    public var description: String {
        let shape = maxDepth > 0 ? "depth \(maxDepth)" : "\(maxLeaves) leaves"
        return "xgboost: \(rounds) trees, \(shape), eta \(Self.short(learningRate))"
    }

    static func short(_ x: Double) -> String { String(format: "%.3g", x) }

    public func estimatedCost(for shape: DataShape) -> Double {
        // Depth-limited trees grow level by level; leaf-limited ones (lossguide) about 1.5 levels a
        // doubling, as `sizeProfile` counts them.
        let leaves = TreeCost.leaves(maxDepth: maxDepth, maxLeaves: maxLeaves)
        let levels = maxDepth > 0 ? Double(maxDepth) : 1.5 * log2(Double(leaves))
        let perTree = TreeCost.secondsPerTree(rows: shape.rows, features: shape.features, featureShare: colsampleByTree * colsampleByLevel,
                                              levels: levels, leaves: leaves)
        return 0.002 + DMatrix.estimatedSetupSeconds(for: shape) + perTree * Double(rounds) * Double(shape.task.scoreCount)
    }

    public func estimatedReusableCost(for shape: DataShape) -> Double { DMatrix.estimatedSetupSeconds(for: shape) }

    /// At most every tree full: `rounds` trees per output of `2^(depth+1) − 1` nodes (or `2·leaves − 1`),
    /// each node a parameter; a row walks one path per tree, about 5 ns a level in a batch
    /// (`TreeEnsemble`'s walk). Early stopping usually keeps fewer trees, so both are upper bounds.
    public func sizeProfile(for shape: DataShape) -> SizeProfile? {
        let trees = rounds * shape.task.scoreCount
        let nodes = maxDepth > 0 ? (1 << (min(maxDepth, 20) + 1)) - 1 : max(1, 2 * maxLeaves - 1)
        let levels = maxDepth > 0 ? Double(maxDepth) : log2(Double(max(2, maxLeaves))) * 1.5
        return SizeProfile(parameters: trees * nodes, latencyMs: Double(trees) * levels * 5e-6)
    }

    public func estimatedMemory(for shape: DataShape) -> Int {
        TreeMemory.fitBytes(for: shape, maxDepth: maxDepth, maxLeaves: maxLeaves, trees: rounds)
    }

    func validate() throws {
        guard rounds >= 1 else { throw LearnerError.invalidConfiguration("xgboost needs at least 1 round; got \(rounds)") }
        guard learningRate > 0 else { throw LearnerError.invalidConfiguration("the learning rate must be positive; got \(learningRate)") }
        guard maxDepth > 0 || maxLeaves > 1 else {
            throw LearnerError.invalidConfiguration("set max_depth > 0 or max_leaves > 1 (got \(maxDepth) and \(maxLeaves))")
        }
        guard subsample > 0, subsample <= 1, colsampleByTree > 0, colsampleByTree <= 1, colsampleByLevel > 0, colsampleByLevel <= 1 else {
            throw LearnerError.invalidConfiguration("sampling rates must lie in (0, 1]")
        }
    }

    func parameters(threads: Int, seed: UInt64) -> [(String, String)] {
        var p: [(String, String)] = [
            ("tree_method", "hist"), ("nthread", "\(threads)"), ("seed", "\(seed % (1 << 31))"), ("verbosity", "0"),
            ("eta", "\(learningRate)"), ("min_child_weight", "\(minChildWeight)"), ("subsample", "\(subsample)"),
            ("colsample_bytree", "\(colsampleByTree)"), ("colsample_bylevel", "\(colsampleByLevel)"),
            ("alpha", "\(regAlpha)"), ("lambda", "\(regLambda)"),
        ]
        if maxDepth > 0 {
            p += [("max_depth", "\(maxDepth)"), ("max_leaves", "\(maxLeaves)")]
        } else {
            p += [("grow_policy", "lossguide"), ("max_depth", "0"), ("max_leaves", "\(maxLeaves)")]
        }
        return p
    }

    public func fit(_ data: LabeledData, validation: LabeledData?, context: FitContext) throws -> FittedXGBoost {
        try validate()
        let xt = XGBoostTask(task: data.task)
        let train = try xt.matrix(data, threads: context.threads, role: "train", in: context.cache)
        let valid = try validation.map {
            try xt.matrix($0, threads: context.threads, role: "validation", in: context.cache)
        }
        let booster = try Booster(cache: [train] + (valid.map { [$0] } ?? []),
                                  parameters: parameters(threads: context.threads, seed: context.seed) + xt.parameters(for: data)
                                      + XGBoostTask.monotoneParameter(context.monotone, features: data.features.columns))
        var eval: (name: String, score: (Double) -> Double)?
        if let validation {
            eval = xt.evalMetric(context.metric(for: data.task), validation: validation.target)
            try booster.setParameter("eval_metric", eval!.name)
        }
        var best = (round: 0, score: -Double.infinity)
        var built = 0
        for round in 0..<rounds {
            if built > 0 && context.isPastDeadline { break }
            try booster.update(iteration: round, train: train)
            built = round + 1
            guard let valid, let eval else { continue }
            let score = eval.score(try booster.evaluate(iteration: round, valid))
            if score > best.score || best.score.isNaN { best = (built, score) }
            if context.report?(FitProgress(step: built, score: score)) == .stop { break }
            if built - best.round >= earlyStoppingRounds { break }
        }
        let keep = validation != nil && best.round > 0 ? best.round : built
        let final = keep < built ? try booster.sliced(rounds: keep) : booster
        return try FittedXGBoost(task: data.task, featureCount: data.features.columns, rounds: keep, json: try final.json())
    }
}

/// A trained XGBoost model; saved as XGBoost JSON (`booster.json`), which xgboost-python loads as is,
/// and predicting through its trees in Swift (`TreeEnsemble`, XGBoost's own arithmetic without a call into it).
public struct FittedXGBoost: FittedModel {
    public static let family = LearnerFamily.xgboost
    public let task: PredictionTask
    public let featureCount: Int
    /// Boosting rounds kept (the best validation round when there was validation data).
    public let rounds: Int
    package let trees: TreeEnsemble
    /// The model as XGBoost JSON.
    public let json: [UInt8]

    init(task: PredictionTask, featureCount: Int, rounds: Int, json: [UInt8]) throws {
        self.task = task
        self.featureCount = featureCount
        self.rounds = rounds
        self.json = json
        do { trees = try TreeEnsemble(xgboostJSON: json) } catch { throw LearnerError.unreadableModel("\(error)") }
        guard trees.featureCount == featureCount, trees.groupCount == XGBoostTask(task: task).outputsPerRow else {
            throw LearnerError.unreadableModel("the XGBoost model's features or outputs do not match its metadata")
        }
    }

    /// One ensemble through its objective, as `predict` computes.
    public var portable: PortableModel? { .trees(PortableTrees(combination: .objective, ensembles: [trees.portable], weights: [1])) }

    public func predict(_ x: FeatureMatrix) throws -> Predictions {
        try checkFeatures(x)
        return XGBoostTask(task: task).predictions(trees.outputs(x), rows: x.rows)
    }

    public func estimatedPredictSeconds(rows: Int) -> Double { trees.estimatedSeconds(rows: rows) }

    /// TreeSHAP through XGBoost's own `pred_contribs` on the saved trees.
    public func contributions(_ x: FeatureMatrix) throws -> Contributions? {
        try checkFeatures(x)
        return try Booster.contributions(json: json, x, margins: trees.margins(x))
    }

    struct Metadata: Codable { var task: PredictionTask; var featureCount: Int; var rounds: Int; var xgboostVersion: String }

    public func bundle() throws -> ModelBundle {
        var b = ModelBundle(family: Self.family, parts: ["booster.json": json])
        try b.setJSON(Metadata(task: task, featureCount: featureCount, rounds: rounds, xgboostVersion: XGB.version), as: "model.json")
        return b
    }

    public init(bundle: ModelBundle) throws {
        guard bundle.family == Self.family else { throw LearnerError.unreadableModel("this is a \(bundle.family) model, not xgboost") }
        let meta = try bundle.json(Metadata.self, "model.json")
        try self.init(task: meta.task, featureCount: meta.featureCount, rounds: meta.rounds, json: try bundle.part("booster.json"))
    }
}

extension LearnerFamily {
    public static let xgboost = LearnerFamily(named: "xgboost")
}
