import Foundation
import MLData
import Search
import Tensor

/// Linear regression and (multinomial) logistic regression with L1, L2 or elastic-net penalties, solved
/// in Double on standardised one-hot features: least squares by coordinate descent on the Gram matrix,
/// logistic losses by L-BFGS when the penalty is pure L2, otherwise by proximal Newton steps solved by
/// coordinate descent (glmnet's method).
///
/// Objective: mean loss + λ (ρ‖w‖₁ + ½(1−ρ)‖w‖²), with λ = 1 / (C · rows), the intercept unpenalised.
/// The loss is ½(y − ŷ)² for regression (so ρ = 0, C = 1 is scikit-learn's `Ridge(alpha=1)`) and the
/// log loss for classification (C is `LogisticRegression`'s C). References: Liu & Nocedal 1989
/// (L-BFGS); Friedman, Hastie & Tibshirani 2010 (coordinate descent, proximal Newton).
public struct LinearLearner: Learner {
    public static let family = LearnerFamily.linear
    /// Iterative solvers stop at the deadline with their iterate, judged after 50 iterations.
    public static let capabilities = LearnerCapabilities(stopsAtDeadline: true, prunable: true, firstRung: 50,
                                                         refitsOnAllRows: true, preprocessing: .dense, exports: true,
                                                         learnsSoftTargets: true)

    /// Inverse regularisation strength, scikit-learn's C.
    public var c = 1.0
    /// Share of the penalty that is L1 (0: ridge / L2, 1: lasso / L1).
    public var l1Ratio = 0.0
    /// L-BFGS iterations (pure L2 classification); least squares sweeps at most 50× this.
    public var maxIterations = 2000
    /// Relative change of the coefficients below which least squares stops.
    public var tolerance = 1e-7

    public init() {}

    public static func defaults(for shape: DataShape) -> LinearLearner { LinearLearner() }

    public static func searchSpace(for shape: DataShape) -> SearchSpace {
        fixedSpace([
            .init("C", .float(1.0 / 32, 32768, log: true), lowCost: .double(1)),
            .init("l1_ratio", .float(0, 1), lowCost: .double(0)),
        ])
    }

    public init(configuration: Configuration, shape: DataShape) throws {
        let r = ConfigurationReader(configuration, learner: "linear")
        c = try r.double("C")
        l1Ratio = try r.double("l1_ratio")
    }

    public var configuration: Configuration { ["C": .double(c), "l1_ratio": .double(l1Ratio)] }

    public var description: String {
        let kind = l1Ratio == 0 ? "L2" : l1Ratio == 1 ? "L1" : "elastic net \(XGBoostLearner.short(l1Ratio))"
        return "linear: \(kind), C \(XGBoostLearner.short(c))"
    }

    public func estimatedCost(for shape: DataShape) -> Double {
        // Pure L2: L-BFGS, `lbfgsSecondsPerValue` per value of rows × features × outputs (its iterations
        // included). With an L1 share: proximal Newton steps per output, each forming a weighted Gram
        // matrix (rows × features², in blocks through BLAS) and sweeping it (`ElasticNetCost`). Least
        // squares forms the Gram matrix once and sweeps it.
        let rows = Double(shape.rows), features = Double(max(1, shape.features))
        let outputs = Double(shape.task.scoreCount)
        if shape.task == .regression { return 0.0005 + 3e-9 * rows * features * features / 8 }
        if l1Ratio > 0 {
            let c = ElasticNetCost.self
            let steps = shape.task.scoreCount > 1 ? c.multiclassStepFactor : 1
            return 0.0005 + (c.secondsPerValue * rows * features + c.secondsPerGramValue * rows * features * features
                             + c.secondsPerSweepValue * features * features * features) * outputs * steps
        }
        return 0.0005 + Self.lbfgsSecondsPerValue * rows * features * outputs
    }

    /// Seconds an L2 classification fit takes per value of rows × features × outputs, its iterations
    /// included: measured on 2026-12-05 (AMD EPYC Zen 4, 2 threads; BENCHMARKS.md, "cost model at both
    /// ends") at 4–18e-8 on six shared datasets (credit_data the slowest), 3.3e-8 on a generated
    /// 1,000,000 × 20 table and 2.1e-8 on 20,000 × 500 (2026-12-06). Iterations depend on the data, not
    /// the shape, so no constant holds them all: 6e-8 keeps the generated tables within 3× (9e-8 was
    /// 4.4× over on the wide one), and the runner calibrates by the ratios it measures, and cuts an L2
    /// fit at its deadline, where a slower table's first trial is under. It was 1.1e-6 before
    /// 2026-12-05 (120 iterations of three products at 3 ns), 6–33 times the measured fits.
    static let lbfgsSecondsPerValue = 6e-8

    /// L-BFGS stops when every component of the objective's gradient (mean loss plus the L2 term) is at
    /// most this. Measured 2026-12-07 on 17 classification tables (BENCHMARKS.md, "The L-BFGS tolerance"):
    /// 1e-5 gave the test log loss of 1e-6 within 0.0001 on all 17, the fits above 0.1 s in 0.43–0.94 of
    /// the time (portal_rodents 6.5 s against 9.7 s); 1e-4 was up to 0.0006 worse. It was 1e-6 before.
    static let lbfgsGradientTolerance = 1e-5

    /// Seconds of a classification fit with an L1 share, per output: a term per value (the weighted rows
    /// and the gradient of each Newton step), a term per Gram entry built (rows × features²) and a term
    /// per features³ (the coordinate sweeps over the Gram matrix). Measured with `mlforge-bench memory
    /// linear --set l1_ratio=0.5` (which times the trial too) on 1,000 to 1,000,000 rows of 20 to 2,000
    /// features (BENCHMARKS.md, "memory and time estimates checked at scale"): 0.9–1.7× of the fits from
    /// 10,000 rows on. The 8e-9 per rows × features² it replaces was 20–40× over on 500 and 2,000 features.
    ///
    /// A multiclass fit takes `multiclassStepFactor` times as long: its Newton steps cycle over the classes
    /// and its classes share each row's normaliser, so it takes more steps than a binary fit (often all 50).
    /// Measured 2026-12-07 on eight multiclass tables of the corpus and the shared datasets (3 to 37
    /// classes, 270 to 26,074 rows; C 1, l1_ratio 0.5): 3.8–4.8 times the per-output estimate, 11 times on
    /// movement_libras (270 rows, 90 columns).
    enum ElasticNetCost {
        static let secondsPerValue = 7.5e-8, secondsPerGramValue = 2e-10, secondsPerSweepValue = 4e-10
        static let multiclassStepFactor = 4.0
    }

    /// A weight per feature and output and an intercept per output; a row is one pass over its features
    /// (about 1 ns a multiply–add in a batch).
    public func sizeProfile(for shape: DataShape) -> SizeProfile? {
        let outputs = shape.task.scoreCount
        let parameters = (shape.features + 1) * outputs
        return SizeProfile(parameters: parameters, latencyMs: Double(parameters) * 1e-6)
    }

    public func estimatedMemory(for shape: DataShape) -> Int {
        8 * shape.rows * max(1, shape.features) * 2 + 8 * shape.rows * max(1, shape.task.classCount) * 6
    }

    public func fit(_ data: LabeledData, validation: LabeledData?, context: FitContext) throws -> FittedLinear {
        guard c > 0, c.isFinite else { throw LearnerError.invalidConfiguration("C must be positive; got \(c)") }
        guard (0...1).contains(l1Ratio) else { throw LearnerError.invalidConfiguration("l1_ratio must lie in [0, 1]; got \(l1Ratio)") }
        guard data.rows > 0 else { throw LearnerError.invalidData("no training rows") }
        let lambda = 1 / (c * Double(data.rows))
        let metric = context.metric(for: data.task)
        func report(_ step: Int, _ weights: [Double], _ intercept: [Double]) -> FitControl {
            if context.isPastDeadline { return .stop }
            guard let validation, step % 25 == 0 else { return .proceed }
            let fitted = FittedLinear(task: data.task, featureCount: data.features.columns, weights: weights, intercept: intercept)
            guard let p = try? fitted.predict(validation.features) else { return .proceed }
            return context.report?(FitProgress(step: step, score: metric.score(p, validation.target))) ?? .proceed
        }
        if data.task == .regression {
            // Squared loss: coordinate descent on the Gram matrix (exact ridge / lasso / elastic net).
            let solver = GramCoordinateDescent(l2: lambda * (1 - l1Ratio), l1: lambda * l1Ratio,
                                               maxSweeps: 50 * maxIterations, tolerance: tolerance)
            let latest = solver.solve(x: data.features.values, y: data.values, rows: data.rows, columns: data.features.columns,
                                      interrupt: { context.isPastDeadline }) { _ in context.isPastDeadline }
            _ = report(25, latest.weights, [latest.intercept])
            return FittedLinear(task: data.task, featureCount: data.features.columns, weights: latest.weights, intercept: [latest.intercept])
        }
        var problem = LinearProblem(data)
        if l1Ratio == 0 {
            // Smooth objective: quasi-Newton.
            let solver = LBFGS(l2: lambda, maxIterations: maxIterations, gradientTolerance: Self.lbfgsGradientTolerance)
            let model = solver.solve(&problem, progress: report)
            return FittedLinear(task: data.task, featureCount: data.features.columns, weights: model.weights, intercept: model.intercept)
        }
        let solver = ProximalNewton(l2: lambda * (1 - l1Ratio), l1: lambda * l1Ratio)
        let model = solver.solve(&problem, shouldStop: { context.isPastDeadline }, progress: report)
        return FittedLinear(task: data.task, featureCount: data.features.columns, weights: model.weights, intercept: model.intercept)
    }
}

/// A trained linear model: weights (features × outputs, row-major) and intercepts.
public struct FittedLinear: FittedModel, Codable, Equatable {
    public static let family = LearnerFamily.linear
    public let task: PredictionTask
    public let featureCount: Int
    public let weights: [Double]
    public let intercept: [Double]

    var outputs: Int { intercept.count }

    /// Raw scores (n × outputs).
    func scores(_ x: FeatureMatrix) -> [Double] {
        var z = LinearProblem.product(x.values, rows: x.rows, columns: x.columns, weights, outputs: outputs)
        for r in 0..<x.rows { for k in 0..<outputs { z[r * outputs + k] += intercept[k] } }
        return z
    }

    public var portable: PortableModel? { .linear(PortableLinear(weights: weights, intercept: intercept)) }

    public func predict(_ x: FeatureMatrix) throws -> Predictions {
        try checkFeatures(x)
        let z = scores(x)
        return Predictions.fromScores(z, rows: x.rows, task: task)
    }

    public func bundle() throws -> ModelBundle {
        var b = ModelBundle(family: Self.family, parts: [:])
        try b.setJSON(self, as: "model.json")
        return b
    }

    public init(bundle: ModelBundle) throws {
        guard bundle.family == Self.family else { throw LearnerError.unreadableModel("this is a \(bundle.family) model, not linear") }
        self = try bundle.json(FittedLinear.self, "model.json")
        guard weights.count == featureCount * outputs, outputs == max(1, task == .binary ? 1 : task.classCount) else {
            throw LearnerError.unreadableModel("the linear model's weights do not match its feature and class counts")
        }
    }

    init(task: PredictionTask, featureCount: Int, weights: [Double], intercept: [Double]) {
        self.task = task
        self.featureCount = featureCount
        self.weights = weights
        self.intercept = intercept
    }
}

extension LearnerFamily {
    public static let linear = LearnerFamily(named: "linear")
}
