import Foundation
import Learners
import MLData

/// A saved model that teaches a student (`mlforge distill`): it labels the training table's rows and
/// synthetic rows made from them, and says what the student took from it.
public struct Teacher: Sendable {
    public var model: AutoMLModel
    /// The teacher's folder, as given.
    public var folder: String
    public var sampler: SyntheticSampler
    public var policy: DistillationPolicy

    public init(model: AutoMLModel, folder: String, sampler: SyntheticSampler = .munge, policy: DistillationPolicy = .standard) {
        self.model = model
        self.folder = folder
        self.sampler = sampler
        self.policy = policy
    }

    /// The teacher's labels for `table` and for synthetic rows made from it: as many as
    /// `policy.syntheticPerRow` per row allows, cut to `policy.maxSyntheticRows` and to what the teacher —
    /// timed on the table's rows — labels within `policy.labellingShareOfBudget` of `budget`.
    public func labels(for table: DataFrame, target: String, budget: Duration, seed: UInt64,
                       log: (@Sendable (AutoMLEvent) -> Void)? = nil) throws -> TeacherLabels {
        guard target == model.targetName else {
            throw AutoMLError.invalidInput("the teacher predicts '\(model.targetName)', not '\(target)'; give --target \(model.targetName) or the teacher of '\(target)'")
        }
        let start = ContinuousClock.now
        let tableLabels = try model.predict(table)
        let perRow = (ContinuousClock.now - start).inSeconds / Double(max(1, table.rowCount))
        var count = min(Int(Double(table.rowCount) * policy.syntheticPerRow), policy.maxSyntheticRows)
        if perRow > 0 { count = min(count, Int(policy.labellingShareOfBudget * budget.inSeconds / perRow)) }
        if sampler == .none { count = 0 }
        let rows = SyntheticRows.make(from: table, target: target, count: count, sampler: sampler, policy: policy, seed: seed)
        let synthetic = rows.frame.rowCount > 0 ? try model.predict(rows.frame) : tableLabels.selecting(rows: [])
        log?(.plan(String(format: "distillation: the teacher (%d member%@) labelled the %d table rows and %d %@ rows in %.2f s",
                          model.members.count, model.members.count == 1 ? "" : "s", table.rowCount, rows.frame.rowCount,
                          sampler.rawValue, (ContinuousClock.now - start).inSeconds)))
        return TeacherLabels(table: tableLabels, classes: model.classes, synthetic: rows.frame, syntheticPredictions: synthetic,
                             sources: rows.sources)
    }

    /// What `student`, fitted on `labels`, took from this teacher, with how often the two agree on the
    /// student's validation rows.
    public func record(for student: AutoMLModel, labels: TeacherLabels) -> DistillationRecord {
        var record = DistillationRecord(teacher: folder, teacherDataHash: model.dataHash,
                                        teacherMembers: model.members.map(\.summary), sampler: sampler,
                                        tableRows: labels.table?.rows ?? 0, syntheticRows: labels.synthetic.rowCount)
        if let validation = student.validation, let table = labels.table {
            record.agreement = Self.agreement(student: validation.predictions, classes: student.classes,
                                              teacher: table.selecting(rows: validation.rows), teacherClasses: labels.classes)
        }
        return record
    }

    /// The share of rows on which the two give the same class, or for values R² of the student's
    /// against the teacher's.
    static func agreement(student: Predictions, classes: [String], teacher: Predictions, teacherClasses: [String]) -> Double? {
        if let s = student.classes, let t = teacher.classes {
            guard !s.isEmpty, s.count == t.count else { return nil }
            return Double(zip(s, t).filter { classes[$0] == teacherClasses[$1] }.count) / Double(s.count)
        }
        guard case .values(let t) = teacher, t.count == student.rows else { return nil }
        return ValidationMetric.r2.score(student, .values(t))
    }
}

/// What a distilled model's manifest says about its teacher.
public struct DistillationRecord: Codable, Sendable, Equatable {
    /// The teacher's model folder, as given to `distill`.
    public var teacher: String
    /// The checksum of the teacher's training file.
    public var teacherDataHash: String?
    /// The teacher's ensemble members.
    public var teacherMembers: [String]
    public var sampler: SyntheticSampler
    /// The table rows and synthetic rows the teacher labelled.
    public var tableRows: Int
    public var syntheticRows: Int
    /// On the student's validation rows: the share on which student and teacher give the same class
    /// (for values: R² of the student's against the teacher's). Nil when not measured.
    public var agreement: Double?

    public init(teacher: String, teacherDataHash: String?, teacherMembers: [String], sampler: SyntheticSampler,
                tableRows: Int, syntheticRows: Int, agreement: Double? = nil) {
        self.teacher = teacher
        self.teacherDataHash = teacherDataHash
        self.teacherMembers = teacherMembers
        self.sampler = sampler
        self.tableRows = tableRows
        self.syntheticRows = syntheticRows
        self.agreement = agreement
    }
}
