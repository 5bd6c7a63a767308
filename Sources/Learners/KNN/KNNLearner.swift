import Foundation
import MLData
import Search
import Tensor

/// k-nearest neighbours on standardised features, Euclidean distance computed through BLAS
/// (‖a−b‖² = ‖a‖² + ‖b‖² − 2a·b, in blocks of query rows), votes or averages weighted uniformly or by
/// inverse distance (an exact match then takes all the weight, as in scikit-learn).
public struct KNNLearner: Learner {
    public static let family = LearnerFamily.knn
    /// k-NN cannot be cut (its work is the distance computation) and reports once, after it.
    public static let capabilities = LearnerCapabilities(stopsAtDeadline: false, prunable: false, firstRung: 1,
                                                         refitsOnAllRows: true, preprocessing: .dense)

    public enum Weights: String, Codable, Sendable, CaseIterable { case uniform, distance }

    public var neighbors = 5
    public var weights = Weights.uniform

    public init() {}

    public static func defaults(for shape: DataShape) -> KNNLearner { KNNLearner() }

    public static func searchSpace(for shape: DataShape) -> SearchSpace {
        fixedSpace([
            .init("n_neighbors", .int(1, max(2, min(100, shape.rows / 2)), log: true), lowCost: .int(min(5, max(1, shape.rows / 2)))),
            .init("weights", .categorical(Weights.allCases.map(\.rawValue)), lowCost: .string("uniform")),
        ])
    }

    /// More neighbours, weighted by distance.
    public static func portfolio(for shape: DataShape) -> [Configuration] {
        [["n_neighbors": .int(min(15, max(2, min(100, shape.rows / 2)))), "weights": .string("distance")]]
    }

    public init(configuration: Configuration, shape: DataShape) throws {
        let r = ConfigurationReader(configuration, learner: "knn")
        neighbors = try r.int("n_neighbors")
        weights = try r.choice("weights", as: Weights.self)
    }

    public var configuration: Configuration { ["n_neighbors": .int(neighbors), "weights": .string(weights.rawValue)] }

    public var description: String { "k-NN: k \(neighbors), \(weights.rawValue) weights" }

    /// Fitting stores the rows; scoring the validation rows (a quarter as many, as a 20% hold-out or
    /// 5-fold cross-validation give) is the cost: a pair of rows costs `pairSeconds` for the neighbour
    /// selection plus `pairFeatureSeconds` per feature for the distance, after a fixed `baseSeconds`.
    /// Measured with `mlforge-bench cost knn` (1,000 to 60,000 rows, 8 to 128 features, 2 threads;
    /// BENCHMARKS.md, "cost model") and taken `safety` times over: k-NN cannot be cut at a deadline.
    public func estimatedCost(for shape: DataShape) -> Double {
        estimatedPredictCost(queries: shape.rows / 4 + 1, trainingRows: shape.rows, features: shape.features)
    }

    /// Seconds to predict `queries` rows against `trainingRows` stored rows of `features` features.
    public func estimatedPredictCost(queries: Int, trainingRows: Int, features: Int) -> Double {
        Self.safety * (Self.baseSeconds + Self.pairCost(queries: queries, trainingRows: trainingRows, features: features))
    }

    static let baseSeconds = 0.005, pairSeconds = 1.9e-9, pairFeatureSeconds = 3e-11, safety = 1.5

    /// The distances and the neighbour selection alone: `pairSeconds` plus `pairFeatureSeconds` per feature
    /// for each pair of a query row and a stored row.
    static func pairCost(queries: Int, trainingRows: Int, features: Int) -> Double {
        Double(trainingRows) * Double(queries) * (pairSeconds + pairFeatureSeconds * Double(max(1, features)))
    }

    /// Scoring the validation rows (a quarter as many): the stored rows' norms, a block of distances of at
    /// most `FittedKNN.blockValues` and its copy, and the query block and output. The stored rows are the
    /// training rows' own array, shared and not copied. Measured with `mlforge-bench memory knn`
    /// (BENCHMARKS.md, "memory and time estimates checked at scale"): 33–34 MB at 40,000 × 20,
    /// 200,000 × 20 and 20,000 × 500.
    public func estimatedMemory(for shape: DataShape) -> Int {
        let rows = shape.rows, queries = shape.rows / 4 + 1, features = max(1, shape.features)
        let block = max(1, min(queries, FittedKNN.blockValues / max(1, rows)))
        return 8 * rows + 16 * min(queries * rows, max(rows, FittedKNN.blockValues)) + 8 * block * features
            + 8 * queries * max(1, shape.task.classCount)
    }

    public func fit(_ data: LabeledData, validation: LabeledData?, context: FitContext) throws -> FittedKNN {
        guard neighbors >= 1 else { throw LearnerError.invalidConfiguration("k-NN needs at least 1 neighbour; got \(neighbors)") }
        guard data.rows > 0 else { throw LearnerError.invalidData("no training rows") }
        if data.features.values.contains(where: { !$0.isFinite }) {
            throw LearnerError.invalidData("k-NN needs finite features; impute missing values first")
        }
        let model = FittedKNN(task: data.task, featureCount: data.features.columns, neighbors: min(neighbors, data.rows),
                              weights: weights, x: data.features.values, labels: data.labels, values: data.values)
        if let validation, let report = context.report {
            let p = try model.predict(validation.features)
            _ = report(FitProgress(step: 1, score: context.metric(for: data.task).score(p, validation.target)))
        }
        return model
    }
}

/// A fitted k-NN model: the training rows themselves.
public struct FittedKNN: FittedModel, Equatable {
    public static let family = LearnerFamily.knn
    public let task: PredictionTask
    public let featureCount: Int
    public let neighbors: Int
    public let weights: KNNLearner.Weights
    let x: [Double]
    let labels: [Int]
    let values: [Double]

    var rows: Int { task == .regression ? values.count : labels.count }

    /// Distances computed at a time (query rows × stored rows, at least one query row): 32 MB of them.
    static let blockValues = 1 << 22

    /// The measured cost per pair of rows (`KNNLearner.estimatedPredictCost` without its fixed cost and
    /// safety margin, which are there so that the scheduler never starts a fit it cannot finish).
    public func estimatedPredictSeconds(rows queries: Int) -> Double {
        KNNLearner.pairCost(queries: queries, trainingRows: rows, features: featureCount)
    }

    public func predict(_ query: FeatureMatrix) throws -> Predictions {
        try checkFeatures(query)
        let n = rows, f = featureCount, m = query.rows
        let k = neighbors
        let classes = task.classCount
        var out = [Double](repeating: 0, count: m * max(1, classes))
        guard m > 0 else { return task == .regression ? .values([]) : .probabilities([], classes: classes) }
        let trainNorms = (0..<n).map { r in (0..<f).reduce(0.0) { $0 + x[r * f + $1] * x[r * f + $1] } }
        let train = Tensor(shape: [n, max(f, 1)], doubles: f > 0 ? x : [Double](repeating: 0, count: n))
        let block = max(1, min(m, Self.blockValues / max(1, n)))
        for start in stride(from: 0, to: m, by: block) {
            let end = min(m, start + block)
            let q = Array(query.values[(start * f)..<(end * f)])
            let dots = f > 0
                ? Tensor(shape: [end - start, f], doubles: q).matmul(train, transposeOther: true).doubles
                : [Double](repeating: 0, count: (end - start) * n)
            // Neighbour selection, rows split over the cores (each writes only its own output row).
            let width = max(1, classes)
            let count = end - start
            let blockOut = UnsafeMutableBufferPointer<Double>.allocate(capacity: count * width)
            blockOut.initialize(repeating: 0)
            defer { blockOut.deallocate() }
            nonisolated(unsafe) let shared = blockOut
            dots.withUnsafeBufferPointer { dotBuffer in
                trainNorms.withUnsafeBufferPointer { normBuffer in
                    nonisolated(unsafe) let dots = dotBuffer, norms = normBuffer
                    DispatchQueue.concurrentPerform(iterations: count) { i in
                        var qn = 0.0
                        for c in 0..<f { qn += q[i * f + c] * q[i * f + c] }
                        // The k smallest squared distances, kept sorted (ties: lower row index first): a row
                        // enters only when closer than the k-th, and is placed by insertion.
                        withUnsafeTemporaryAllocation(of: (d: Double, row: Int).self, capacity: k) { best in
                            var count = 0
                            let row = dots.baseAddress! + i * n
                            for r in 0..<n {
                                let d = max(0, qn + norms[r] - 2 * row[r])
                                if count == k, d >= best[k - 1].d { continue }
                                var pos = count == k ? k - 1 : count
                                while pos > 0 && best[pos - 1].d > d {
                                    best[pos] = best[pos - 1]
                                    pos -= 1
                                }
                                best[pos] = (d, r)
                                if count < k { count += 1 }
                            }
                            let out = combine(Array(best[0..<count]))
                            for j in 0..<width { shared[i * width + j] = out[j] }
                        }
                    }
                }
            }
            for j in 0..<(count * width) { out[start * width + j] = blockOut[j] }
        }
        return task == .regression ? .values(out) : .probabilities(out, classes: classes)
    }

    /// Votes (or the average) of the neighbours of one query row.
    private func combine(_ best: [(d: Double, row: Int)]) -> [Double] {
        var w = [Double](repeating: 1, count: best.count)
        if weights == .distance {
            let exact = best.map { $0.d == 0 }
            if exact.contains(true) {
                w = exact.map { $0 ? 1 : 0 }
            } else {
                w = best.map { 1 / $0.d.squareRoot() }
            }
        }
        let total = w.reduce(0, +)
        if task == .regression {
            return [zip(best, w).reduce(0) { $0 + values[$1.0.row] * $1.1 } / total]
        }
        // Votes first, then one division each: a unanimous vote is exactly 1.
        var out = [Double](repeating: 0, count: task.classCount)
        for (nb, weight) in zip(best, w) { out[labels[nb.row]] += weight }
        return out.map { $0 / total }
    }

    struct Metadata: Codable { var task: PredictionTask; var featureCount: Int; var neighbors: Int; var weights: KNNLearner.Weights; var labels: [Int] }

    /// Metadata and labels as JSON; the training rows (and regression targets) as little-endian Float64.
    public func bundle() throws -> ModelBundle {
        var b = ModelBundle(family: Self.family, parts: ["rows.f64": BinaryDoubles.encode(x), "targets.f64": BinaryDoubles.encode(values)])
        try b.setJSON(Metadata(task: task, featureCount: featureCount, neighbors: neighbors, weights: weights, labels: labels), as: "model.json")
        return b
    }

    public init(bundle: ModelBundle) throws {
        guard bundle.family == Self.family else { throw LearnerError.unreadableModel("this is a \(bundle.family) model, not k-NN") }
        let meta = try bundle.json(Metadata.self, "model.json")
        self.init(task: meta.task, featureCount: meta.featureCount, neighbors: meta.neighbors, weights: meta.weights,
                  x: try BinaryDoubles.decode(try bundle.part("rows.f64")), labels: meta.labels,
                  values: try BinaryDoubles.decode(try bundle.part("targets.f64")))
        guard x.count == rows * featureCount, neighbors >= 1, neighbors <= max(1, rows),
              labels.allSatisfy({ $0 >= 0 && $0 < max(1, task.classCount) }) else {
            throw LearnerError.unreadableModel("the k-NN model's stored rows do not match its sizes")
        }
    }

    init(task: PredictionTask, featureCount: Int, neighbors: Int, weights: KNNLearner.Weights, x: [Double], labels: [Int], values: [Double]) {
        self.task = task
        self.featureCount = featureCount
        self.neighbors = neighbors
        self.weights = weights
        self.x = x
        self.labels = labels
        self.values = values
    }
}

extension LearnerFamily {
    public static let knn = LearnerFamily(named: "knn")
}
