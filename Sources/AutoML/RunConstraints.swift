import Learners
import MLData

/// What the user set for a run, as the manifest and the model card record it: the budget and every limit
/// or choice that overrode a default (nil: the default was used).
public struct RunConstraints: Codable, Sendable, Equatable {
    public var budgetSeconds: Double
    public var seed: UInt64
    public var trials: Int?
    public var threads: Int
    /// The metric the user named (nil: the task's default was used).
    public var metric: ValidationMetric?
    public var task: TaskKind?
    /// The families the user allowed (nil: the standard ones).
    public var families: [LearnerFamily]?
    /// Input columns the user excluded (`--exclude`; absent in older folders).
    public var excluded: [String]?
    /// Columns kept monotone, +1 or −1 (`--monotone`; absent when none or in older folders).
    public var monotone: [String: Int]?
    /// The fairness bound (`--fairness`; absent when none or in older folders).
    public var fairness: FairnessConstraint?
    public var memoryBytes: Int?
    public var maxLatencyMs: Double?
    public var maxModelBytes: Int?
    public var maxParameters: Int?
    public var holdoutFraction: Double?
    /// Repeats of the cross-validation the run used (`ValidationPolicy.repeats`; absent: one).
    public var validationRepeats: Int?
    public var inputShape: [Int]?
    /// False when the user said `--shape none`.
    public var detectsInputLayout: Bool
    /// The policy differed from the standard one (the manifest holds the policy itself).
    public var customPolicy: Bool
    /// Where the a-priori configurations came from: "shipped prior", "a prior file" or "hand-set portfolios".
    public var prior: String

    public init(_ options: AutoMLOptions) {
        budgetSeconds = options.budget.inSeconds
        seed = options.seed
        trials = options.maxTrials
        threads = options.threads
        self.metric = options.metric
        task = options.task
        families = options.families
        excluded = options.excludedColumns.isEmpty ? nil : options.excludedColumns
        monotone = options.monotone.isEmpty ? nil : options.monotone
        fairness = options.fairness
        memoryBytes = options.memoryLimit
        maxLatencyMs = options.maxLatencyMs
        maxModelBytes = options.maxModelBytes
        maxParameters = options.maxParameters
        holdoutFraction = options.holdoutFraction
        inputShape = options.inputShape
        detectsInputLayout = options.detectsInputLayout
        customPolicy = options.policy != .standard
        prior = options.prior == nil ? "hand-set portfolios" : options.prior == LearnedPrior.shipped ? "shipped prior" : "a prior file"
    }

    /// Each setting as a (name, value) line for people, the defaults said as such.
    public var lines: [(String, String)] {
        var out: [(String, String)] = [("time budget", Column.format(budgetSeconds) + " s"), ("seed", "\(seed)")]
        out.append(("metric", metric?.rawValue ?? "the task's default"))
        out.append(("task", task.map { "\($0)" } ?? "inferred from the target"))
        out.append(("families", families?.map(\.rawValue).joined(separator: ", ") ?? "standard"))
        out.append(("excluded columns", excluded?.joined(separator: ", ") ?? "none"))
        out.append(("fairness", fairness.map { "\($0)" } ?? "none"))
        out.append(("monotone columns", monotone.map { m in m.keys.sorted().map { "\($0) \(m[$0]! > 0 ? "increasing" : "decreasing")" }.joined(separator: ", ") } ?? "none"))
        out.append(("memory limit", memoryBytes.map { Column.format(Double($0) / 1_073_741_824) + " GB" } ?? "none"))
        out.append(("max latency", maxLatencyMs.map { Column.format($0) + " ms per row" } ?? "none"))
        out.append(("max model size", maxModelBytes.map { Column.format(Double($0) / 1_048_576) + " MB" } ?? "none"))
        if let maxParameters { out.append(("max network parameters", "\(maxParameters)")) }
        if let trials { out.append(("trial cap", "\(trials)")) }
        if let holdoutFraction { out.append(("hold-out fraction", Column.format(holdoutFraction))) }
        if let validationRepeats { out.append(("cross-validation repeats", "\(validationRepeats)")) }
        if let inputShape { out.append(("input shape", inputShape.map(String.init).joined(separator: "x"))) }
        if !detectsInputLayout { out.append(("input layout", "tabular (--shape none)")) }
        out.append(("threads", "\(threads)"))
        out.append(("search policy", customPolicy ? "custom (see manifest.json)" : "standard"))
        out.append(("a-priori configurations", prior))
        return out
    }
}
