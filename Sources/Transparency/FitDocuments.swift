import AutoML
import Foundation
import MLData

/// What `mlforge fit` and `nas` write beside the model: the audit trail always, and the model card
/// unless told not to (`--no-card`), which then has its share of the budget.
public struct FitDocuments: FitDocumenter {
    public var card: CardDocumenter?

    public init(card: CardDocumenter?) { self.card = card }

    public var needsTime: Bool { card != nil }

    public func check(_ training: DataFrame) throws { try card?.check(training) }

    public func documents(for model: AutoMLModel, record: FitRecord, deadline: ContinuousClock.Instant) throws -> [String: Data] {
        var files = try card?.documents(for: model, record: record, deadline: deadline) ?? [:]
        files[AuditTrail.file] = try AuditTrail.make(model, record: record)
        return files
    }
}
