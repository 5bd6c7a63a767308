import Foundation
import Learners
import MLData
import Search

/// What a worker needs to run the coordinator's search: the data (by its checksum), the target, and
/// every option that shapes the plan, the folds and the trials. The coordinator writes it on the study;
/// a worker reads it and refuses a data file whose checksum differs.
public struct SharedRunSpec: Codable, Sendable, Equatable {
    /// 1: this form.
    public static let formatVersion = 1
    public var version = SharedRunSpec.formatVersion
    public var target: String
    /// The training file's checksum (`DataHash.format`) and the coordinator's path to it.
    public var dataHash: String
    public var dataPath: String
    public var seed: UInt64
    public var task: TaskKind?
    public var metric: ValidationMetric?
    public var classificationMetric: ValidationMetric?
    public var holdoutFraction: Double?
    /// The coordinator's cross-validation repeats (its budget decides them; absent in older studies: one).
    public var validationRepeats: Int?
    public var families: [LearnerFamily]?
    public var excludedColumns: [String]
    public var monotone: [String: Int]
    public var inputShape: [Int]?
    public var detectsInputLayout: Bool
    public var networkSpace: NetworkSpace?
    public var nasStrategy: SearchStrategyKind
    public var maxParameters: Int?
    public var maxLatencyMs: Double?
    public var memoryLimit: Int?
    public var costAllowance: Bool
    public var policy: SearchPolicy
    public var leaseSeconds: Double

    init(options: AutoMLOptions, target: String, dataPath: String, dataHash: String, leaseSeconds: Double) {
        self.target = target
        self.dataHash = dataHash
        self.dataPath = dataPath
        seed = options.seed
        task = options.task
        metric = options.metric
        classificationMetric = options.classificationMetric
        holdoutFraction = options.holdoutFraction
        validationRepeats = options.repeatsWanted
        families = options.families
        excludedColumns = options.excludedColumns
        monotone = options.monotone
        inputShape = options.inputShape
        detectsInputLayout = options.detectsInputLayout
        networkSpace = options.networkSpace
        nasStrategy = options.nasStrategy
        maxParameters = options.maxParameters
        maxLatencyMs = options.maxLatencyMs
        memoryLimit = options.memoryLimit
        costAllowance = options.costAllowance
        policy = options.policy
        self.leaseSeconds = leaseSeconds
    }

    /// Sets the options the specification holds.
    func apply(to options: inout AutoMLOptions) {
        options.seed = seed
        options.task = task
        options.metric = metric
        options.classificationMetric = classificationMetric
        options.holdoutFraction = holdoutFraction
        options.validationRepeats = validationRepeats ?? 1
        options.families = families
        options.excludedColumns = excludedColumns
        options.monotone = monotone
        options.inputShape = inputShape
        options.detectsInputLayout = detectsInputLayout
        options.networkSpace = networkSpace
        options.nasStrategy = nasStrategy
        options.maxParameters = maxParameters
        options.maxLatencyMs = maxLatencyMs
        options.memoryLimit = memoryLimit
        options.costAllowance = costAllowance
        options.policy = policy
    }

    /// What differs from `other` in what shapes the search (a resumed coordinator must not change it).
    func differences(from other: SharedRunSpec) -> [String] {
        var out: [String] = []
        if target != other.target { out.append("target '\(other.target)' → '\(target)'") }
        if dataHash != other.dataHash { out.append("data \(other.dataHash) → \(dataHash)") }
        if seed != other.seed { out.append("seed \(other.seed) → \(seed)") }
        var a = self, b = other
        for s in [\SharedRunSpec.target, \.dataHash, \.dataPath] { a[keyPath: s] = ""; b[keyPath: s] = "" }
        a.seed = 0; b.seed = 0
        a.leaseSeconds = 0; b.leaseSeconds = 0
        if a != b && out.isEmpty { out.append("the search options (task, metric, families, constraints or policy)") }
        return out
    }
}
