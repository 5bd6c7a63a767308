import AutoML
import Foundation
import MLData

/// The model card among a fit's documents (`FitDocuments`): called with what is left of the budget, it
/// returns the evidence and the card's two renderings for the model folder.
public struct CardDocumenter: Sendable {
    public var builder: EvidenceBuilder
    /// The user's notes for the card (Markdown).
    public var notes: String?

    public init(policy: CardPolicy = .standard, sensitive: String? = nil, notes: String? = nil) {
        builder = EvidenceBuilder(policy: policy, sensitive: sensitive)
        self.notes = notes
    }

    public func check(_ training: DataFrame) throws {
        if let sensitive = builder.sensitive, training[sensitive] == nil {
            throw AutoMLError.invalidInput("the sensitive column '\(sensitive)' is not in the training data; its columns are: \(DataError.list(training.columnNames))")
        }
    }

    public func documents(for model: AutoMLModel, record: FitRecord, deadline: ContinuousClock.Instant) throws -> [String: Data] {
        let evidence = try builder.build(model, record: record, deadline: deadline)
        let card = ModelCard(model: model, evidence: evidence, notes: notes)
        var files = card.renderings
        files[ModelCard.evidenceFile] = try CardFolder.encode(evidence)
        if let notes { files[ModelCard.notesFile] = Data(notes.utf8) }
        return files
    }
}
