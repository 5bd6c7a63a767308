import Foundation
import Learners
import MLData

/// Distillation into a small student (`mlforge distill`): a saved model — the teacher — labels its
/// training table's rows and synthetic rows made from them (MUNGE by default), and the search fits one
/// family to the teacher's labels (soft ones, class probabilities, for the families that learn them)
/// within the budget, validated on a hold-out of the table's own targets, under the user's limits on
/// parameters and latency. The result is one model in a normal model folder, whose manifest names its
/// teacher (`DistillationRecord`).
///
/// Anchors: Buciluǎ, Caruana and Niculescu-Mizil (2006), "Model Compression" (MUNGE); Fakoor et al.
/// (2020), "Fast, Accurate, and Simple Models for Tabular Data via Augmented Distillation" (AutoGluon).
public struct Distillation: Sendable {
    /// The teacher's model folder.
    public var teacher: URL
    /// The training table (the teacher's, or one like it with the same target).
    public var dataPath: String
    public var output: URL
    /// The student's family.
    public var student: LearnerFamily
    public var sampler: SyntheticSampler = .munge
    public var budget: Duration = .seconds(10)
    public var start: ContinuousClock.Instant?
    public var seed: UInt64 = 0
    public var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    /// The student's limits: trainable parameters (configurations over it are not fitted) and the
    /// latency of predicting one row (checked before fitting and on the final model).
    public var maxParameters: Int?
    public var maxLatencyMs: Double?
    /// The student must predict at least this many times faster than its teacher: the latency limit is
    /// the teacher's measured latency per row (`teacherLatencyMs`) divided by it, or `maxLatencyMs` where
    /// that is tighter. Nil: no such limit.
    public var speedup: Double?
    public var maxTrials: Int?
    public var policy: DistillationPolicy = .standard
    /// The student's documents (the model card); nil: none.
    public var documenter: (any FitDocumenter)?
    public var log: (@Sendable (AutoMLEvent) -> Void)?

    public init(teacher: URL, dataPath: String, output: URL, student: LearnerFamily) {
        self.teacher = teacher
        self.dataPath = dataPath
        self.output = output
        self.student = student
    }

    /// The search's settings for the student: its family alone, the teacher's metric, a hold-out, the
    /// single best configuration (no ensemble), and nothing recorded in the knowledge base (the student
    /// learned a teacher's labels, not the table's).
    func options(teacher model: AutoMLModel, columns: [String]) -> AutoMLOptions {
        var o = AutoMLOptions()
        o.budget = budget
        o.start = start
        o.seed = seed
        o.threads = threads
        o.families = [student]
        o.metric = model.metric
        o.task = model.task.kind
        o.holdoutFraction = policy.holdoutFraction
        o.policy.ensemble.rounds = 1
        o.searchGate = false
        o.knowledge = nil
        o.maxParameters = maxParameters
        o.maxLatencyMs = maxLatencyMs
        o.maxTrials = maxTrials
        o.detectsInputLayout = false
        // The student reads the teacher's inputs only.
        let inputs = Set(model.schema.map(\.name))
        o.excludedColumns = columns.filter { !inputs.contains($0) && $0 != model.targetName }
        o.log = log
        return o
    }

    /// The teacher's latency per row in milliseconds, measured as the student's is: each member's prediction
    /// cost from its trial (`LeaderboardEntry.predictMsPer1000`, every fold model counted) scaled to the
    /// models the member kept (one for a member refitted on all rows), added up over the members (each
    /// predicts every row). Nil when its folder does not record them.
    public static func teacherLatencyMs(_ teacher: AutoMLModel) -> Double? {
        guard !teacher.members.isEmpty else { return nil }
        var total = 0.0
        for member in teacher.members {
            guard let entry = teacher.leaderboard.entries.first(where: { $0.trial == member.trial }),
                  let perThousand = entry.predictMsPer1000 else { return nil }
            let folds = max(1, entry.foldScores?.count ?? 1)
            total += perThousand / 1000 * Double(member.modelCount) / Double(folds)
        }
        return total
    }

    /// Distils the teacher into the student and writes the student's folder; returns the student.
    public func run() throws -> AutoMLModel {
        let begun = start ?? ContinuousClock.now
        try policy.validate()
        if let maxParameters, maxParameters < 1 { throw AutoMLError.invalidInput("--max-params must be at least 1; got \(maxParameters)") }
        if let maxLatencyMs, !(maxLatencyMs > 0) { throw AutoMLError.invalidInput("--max-latency-ms must be positive; got \(maxLatencyMs)") }
        if let speedup, !(speedup >= 1) { throw AutoMLError.invalidInput("--speedup must be at least 1 (times faster than the teacher); got \(speedup)") }
        let model = try AutoMLModel.load(from: teacher)
        guard model.task == .regression || student.capabilities.learnsSoftTargets else {
            throw AutoMLError.invalidInput("the \(student.rawValue) family cannot learn a teacher's class probabilities; choose a student among \(LearnerFamily.allCases.filter { $0.capabilities.learnsSoftTargets }.map(\.rawValue).joined(separator: ", "))")
        }
        if output.standardizedFileURL == teacher.standardizedFileURL {
            throw AutoMLError.invalidInput("--out is the teacher's folder; write the student to another folder")
        }
        let header = try CSVReader.columnNames(path: dataPath)
        guard header.contains(model.targetName) else {
            throw AutoMLError.missingTarget(model.targetName, columns: header)
        }
        var options = options(teacher: model, columns: header)
        options.start = begun
        if let speedup {
            guard let teacherMs = Self.teacherLatencyMs(model) else {
                throw AutoMLError.invalidInput("the teacher's folder does not record what its members cost to predict (it was saved by an older MLForge); give --max-latency-ms instead of --speedup")
            }
            let limit = teacherMs / speedup
            options.maxLatencyMs = min(limit, maxLatencyMs ?? .infinity)
            log?(.phase(String(format: "the student must predict a row within %.4g ms: the teacher's %.4g ms / %g%@", options.maxLatencyMs!,
                               teacherMs, speedup, (maxLatencyMs ?? .infinity) < limit ? " (--max-latency-ms is tighter)" : "")))
        }
        var fit = FolderFit(dataPath: dataPath, target: model.targetName, output: output, options: options)
        fit.journaled = false
        fit.documenter = documenter
        fit.teacher = Teacher(model: model, folder: teacher.path, sampler: sampler, policy: policy)
        return try fit.run()
    }
}
