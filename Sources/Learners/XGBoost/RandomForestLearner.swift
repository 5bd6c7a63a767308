import Foundation
import MLData
import Search

/// A random forest through XGBoost's random-forest mode (one boosting round of `num_parallel_tree`
/// trees, learning rate 1, row and per-node column sampling).
///
/// The forest is grown in chunks, each an independent XGBoost forest with its own seed; the model
/// averages the chunks' raw scores weighted by their tree counts, which is the forest of all their
/// trees. Chunks let a fit report progress, be pruned and stop at its deadline with the trees it has.
public struct RandomForestLearner: Learner {
    public static let family = LearnerFamily.randomForest
    /// A forest grows in chunks of trees, stops at the deadline and is judged from 16 trees.
    public static let capabilities = LearnerCapabilities(stopsAtDeadline: true, prunable: true, firstRung: 16,
                                                         refitsOnAllRows: true, preprocessing: .trees, keepsMonotone: true, exports: true,
                                                         learnsSoftTargets: true)

    public var trees = 100
    /// Depth limit; 0 limits each tree by `maxLeaves` alone (grown level by level up to a depth of
    /// ⌈log₂ maxLeaves⌉ + 2, stopping at `maxLeaves` leaves).
    public var maxDepth = 6
    public var maxLeaves = 0
    public var subsample = 0.8
    public var colsampleByNode = 0.8
    public var minChildWeight = 1.0
    public var regLambda = 1e-5

    public init() {}

    public static func defaults(for shape: DataShape) -> RandomForestLearner { RandomForestLearner() }

    public static func searchSpace(for shape: DataShape) -> SearchSpace {
        let rows = max(5, shape.rows)
        return fixedSpace([
            .init("n_estimators", .int(4, max(5, min(1024, rows)), log: true), lowCost: .int(4)),
            // Leaves capped at 4096: deeper forests gain little and their saved JSON grows to hundreds of MB.
            .init("max_leaves", .int(4, max(5, min(4096, rows)), log: true), lowCost: .int(4)),
            .init("colsample_bynode", .float(0.1, 1), lowCost: .double(1)),
            .init("subsample", .float(0.5, 1), lowCost: .double(0.8)),
            .init("min_child_weight", .float(0.001, 32, log: true), lowCost: .double(1)),
        ])
    }

    /// A forest of deep trees with per-node column sampling (scikit-learn's random forest in spirit, with
    /// its default of 100 trees: 200 trees took a third of a 10 s budget under 5-fold validation on 3,000
    /// rows, and the search adds trees when they pay).
    public static func portfolio(for shape: DataShape) -> [Configuration] {
        let rows = max(5, shape.rows)
        return [["n_estimators": .int(max(5, min(min(1024, rows), 100))), "max_leaves": .int(max(4, min(min(1024, rows), rows / 4))),
                 "colsample_bynode": .double(0.5), "subsample": .double(0.8), "min_child_weight": .double(1)]]
    }

    public init(configuration c: Configuration, shape: DataShape) throws {
        let r = ConfigurationReader(c, learner: "random_forest")
        trees = try r.int("n_estimators")
        maxLeaves = try r.int("max_leaves")
        maxDepth = 0
        colsampleByNode = try r.double("colsample_bynode")
        subsample = try r.double("subsample")
        minChildWeight = try r.double("min_child_weight")
    }

    public var configuration: Configuration {
        ["n_estimators": .int(trees), "max_leaves": .int(maxLeaves), "colsample_bynode": .double(colsampleByNode),
         "subsample": .double(subsample), "min_child_weight": .double(minChildWeight)]
    }

    public var description: String {
        "random forest: \(trees) trees, " + (maxDepth > 0 ? "depth \(maxDepth)" : "\(maxLeaves) leaves")
    }

    public func estimatedCost(for shape: DataShape) -> Double {
        0.002 + DMatrix.estimatedSetupSeconds(for: shape) + estimatedSecondsPerTree(for: shape) * Double(trees)
    }

    /// Seconds a forest's tree costs whatever its size: sampling its rows, and its share of its chunk's
    /// booster, model text and validation pass. Measured (`mlforge-bench cost random_forest`,
    /// 2026-12-07): 100 trees of depth 6 took 0.029 s on 100 rows where `TreeCost` alone says 0.0067 s,
    /// and 0.12 s on 1,000 × 8 where it says 0.057 s; from 5,000 rows on the growth dominates.
    static let fixedSecondsPerTree = 2.2e-4

    /// One tree's estimated seconds, the DMatrix's setup aside: grown level by level to `depth` (below),
    /// on the sampled rows, evaluating the sampled share of the features at each node.
    func estimatedSecondsPerTree(for shape: DataShape) -> Double {
        let perTree = TreeCost.secondsPerTree(rows: Int(Double(shape.rows) * subsample), features: shape.features, featureShare: colsampleByNode,
                                              levels: Double(depth), leaves: TreeCost.leaves(maxDepth: maxDepth, maxLeaves: maxLeaves))
        return (Self.fixedSecondsPerTree + perTree) * Double(shape.task.scoreCount)
    }

    /// The depth a tree grows to: `maxDepth`, or for a leaf limit alone a little deeper than a balanced
    /// tree of that many leaves (grown level by level, stopping at `maxLeaves`; see `fit`).
    var depth: Int { maxDepth > 0 ? maxDepth : min(20, Int(log2(Double(max(2, maxLeaves))).rounded(.up)) + 2) }

    public func estimatedReusableCost(for shape: DataShape) -> Double { DMatrix.estimatedSetupSeconds(for: shape) }

    public func estimatedMemory(for shape: DataShape) -> Int {
        TreeMemory.fitBytes(for: shape, maxDepth: maxDepth, maxLeaves: maxLeaves, trees: trees)
    }

    /// Trees in chunk `i`: 4, 4, 8, 16, then 32 at most (a fixed schedule, so one seed gives one forest;
    /// small chunks first, so a deadline or the pruner can stop a forest early).
    static func chunkSize(_ i: Int) -> Int { i == 0 ? 4 : min(32, 4 << (i - 1)) }

    public func fit(_ data: LabeledData, validation: LabeledData?, context: FitContext) throws -> FittedRandomForest {
        guard trees >= 1 else { throw LearnerError.invalidConfiguration("a forest needs at least 1 tree; got \(trees)") }
        guard maxDepth > 0 || maxLeaves > 1 else { throw LearnerError.invalidConfiguration("set max_depth > 0 or max_leaves > 1") }
        guard subsample > 0, subsample <= 1, colsampleByNode > 0, colsampleByNode <= 1 else {
            throw LearnerError.invalidConfiguration("sampling rates must lie in (0, 1]")
        }
        let xt = XGBoostTask(task: data.task)
        let train = try xt.matrix(data, threads: context.threads, role: "train", in: context.cache)
        let valid = try validation.map {
            try xt.matrix($0, threads: context.threads, role: "validation", in: context.cache)
        }
        var common: [(String, String)] = [
            ("tree_method", "hist"), ("nthread", "\(context.threads)"), ("verbosity", "0"), ("eta", "1"),
            ("subsample", "\(subsample)"), ("colsample_bynode", "\(colsampleByNode)"),
            ("min_child_weight", "\(minChildWeight)"), ("lambda", "\(regLambda)"),
        ]
        // A leaf limit alone: grown level by level (XGBoost's leaf-wise growth took 2–3× as long for
        // the same number of leaves on the shared datasets, for forests of about the same accuracy),
        // a little deeper than a balanced tree of that many leaves, stopping at the limit.
        common += [("max_depth", "\(depth)")] + (maxDepth > 0 ? [] : [("max_leaves", "\(maxLeaves)")])
        common += xt.parameters(for: data) + XGBoostTask.monotoneParameter(context.monotone, features: data.features.columns)
        let metric = context.metric(for: data.task)
        var chunks: [FittedRandomForest.Chunk] = []
        var validMargins: [Double] = []
        var built = 0
        // Seconds per tree: estimated before the first chunk (whose trees cannot be stopped once begun:
        // four deep trees on 80,000 × 500 took longer than a trial's share of a 60 s search), then
        // measured on the chunks so far.
        var perTree: Double? = context.deadline == nil ? nil : estimatedSecondsPerTree(for: data.shape)
        while built < trees {
            if built > 0 && context.isPastDeadline { break }
            var size = min(Self.chunkSize(chunks.count), trees - built)
            // Near a deadline, a smaller chunk that can finish before it (the schedule is kept otherwise,
            // so that without a deadline one seed gives one forest).
            if let deadline = context.deadline, let perTree {
                let left = deadline - ContinuousClock.now
                let fits = left.inSeconds / max(perTree, 1e-9)
                size = max(1, min(size, Int(max(0, min(fits, 1e6)))))
            }
            let chunkStart = ContinuousClock.now
            let seed = (context.seed &+ UInt64(chunks.count) &* 0x9E37_79B9) % (1 << 31)
            let booster = try Booster(cache: [train], parameters: common + [("num_parallel_tree", "\(size)"), ("seed", "\(seed)")])
            try booster.update(iteration: 0, train: train)
            let took = ContinuousClock.now - chunkStart
            perTree = took.inSeconds / Double(size)
            chunks.append(try .init(trees: size, json: try booster.json()))
            if let valid, let validation {
                let m = try booster.predict(valid, margin: true).map { Double($0) }
                if validMargins.isEmpty { validMargins = [Double](repeating: 0, count: m.count) }
                let w = Double(size) / Double(built + size)
                for i in m.indices { validMargins[i] = validMargins[i] * (1 - w) + m[i] * w }
                let score = metric.score(xt.predictions(margins: validMargins, rows: validation.rows), validation.target)
                built += size
                if context.report?(FitProgress(step: built, score: score)) == .stop { break }
            } else {
                built += size
            }
        }
        return FittedRandomForest(task: data.task, featureCount: data.features.columns, chunks: chunks)
    }
}

/// A trained forest: chunks of trees, each an XGBoost model (`forest-N.json`), averaged by tree count,
/// predicting through their trees in Swift (`TreeEnsemble`).
public struct FittedRandomForest: FittedModel {
    public static let family = LearnerFamily.randomForest
    package struct Chunk: Sendable {
        package var trees: Int
        package var json: [UInt8]
        package var model: TreeEnsemble

        package init(trees: Int, json: [UInt8]) throws {
            self.trees = trees
            self.json = json
            do { model = try TreeEnsemble(xgboostJSON: json) } catch { throw LearnerError.unreadableModel("\(error)") }
        }
    }
    public let task: PredictionTask
    public let featureCount: Int
    package let chunks: [Chunk]

    public var trees: Int { chunks.reduce(0) { $0 + $1.trees } }

    public func predict(_ x: FeatureMatrix) throws -> Predictions {
        try checkFeatures(x)
        let xt = XGBoostTask(task: task)
        guard x.rows > 0 else { return xt.predictions(margins: [], rows: 0) }
        var margins: [Double] = []
        let total = Double(trees)
        for chunk in chunks {
            let m = chunk.model.margins(x)
            if margins.isEmpty { margins = [Double](repeating: 0, count: m.count) }
            let w = Double(chunk.trees) / total
            for i in m.indices { margins[i] += Double(m[i]) * w }
        }
        return xt.predictions(margins: margins, rows: x.rows)
    }

    /// The chunks' margins averaged by tree count, then the task's link, as `predict` computes.
    public var portable: PortableModel? {
        let total = Double(trees)
        return .trees(PortableTrees(combination: .meanMargin, ensembles: chunks.map(\.model.portable),
                                    weights: chunks.map { Double($0.trees) / total }))
    }

    public func estimatedPredictSeconds(rows: Int) -> Double { chunks.reduce(0) { $0 + $1.model.estimatedSeconds(rows: rows) } }

    /// TreeSHAP through XGBoost's `pred_contribs` on each chunk, averaged by tree count as the margins are.
    public func contributions(_ x: FeatureMatrix) throws -> Contributions? {
        try checkFeatures(x)
        let parts = try chunks.map { try Booster.contributions(json: $0.json, x, margins: $0.model.margins(x)) }
        return Contributions.average(parts, weights: chunks.map { Double($0.trees) })
    }

    struct Metadata: Codable { var task: PredictionTask; var featureCount: Int; var chunkTrees: [Int]; var xgboostVersion: String }

    public func bundle() throws -> ModelBundle {
        var b = ModelBundle(family: Self.family, parts: [:])
        for (i, c) in chunks.enumerated() { b.parts["forest-\(i).json"] = c.json }
        try b.setJSON(Metadata(task: task, featureCount: featureCount, chunkTrees: chunks.map(\.trees), xgboostVersion: XGB.version),
                      as: "model.json")
        return b
    }

    init(task: PredictionTask, featureCount: Int, chunks: [Chunk]) {
        self.task = task
        self.featureCount = featureCount
        self.chunks = chunks
    }

    public init(bundle: ModelBundle) throws {
        guard bundle.family == Self.family else { throw LearnerError.unreadableModel("this is a \(bundle.family) model, not a random forest") }
        let meta = try bundle.json(Metadata.self, "model.json")
        guard !meta.chunkTrees.isEmpty else { throw LearnerError.unreadableModel("the forest has no trees") }
        let chunks = try meta.chunkTrees.enumerated().map { i, n in try Chunk(trees: n, json: try bundle.part("forest-\(i).json")) }
        guard chunks.allSatisfy({ $0.model.featureCount == meta.featureCount }) else {
            throw LearnerError.unreadableModel("the forest's trees do not match its feature count")
        }
        self.init(task: meta.task, featureCount: meta.featureCount, chunks: chunks)
    }
}

extension LearnerFamily {
    public static let randomForest = LearnerFamily(named: "random_forest")
}
