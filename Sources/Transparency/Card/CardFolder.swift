import AutoML
import Foundation
import MLData

/// The model card of a model folder: read its evidence and notes, measure a test file, and write the
/// card again (`mlforge card`). Each file is replaced atomically, so a failed run leaves the old card.
public enum CardFolder {
    /// Writes the card of the model in `folder` again: with figures on the labelled `testPath` when
    /// given, and with `notesPath`'s notes (kept in the folder for the next time) when given.
    @discardableResult
    public static func refresh(_ folder: URL, testPath: String? = nil, notesPath: String? = nil, sensitive: String? = nil,
                               policy: CardPolicy = .standard) throws -> ModelCard {
        let model = try AutoMLModel.load(from: folder)
        var evidence: CardEvidence?
        let evidenceURL = folder.appendingPathComponent(ModelCard.evidenceFile)
        if FileManager.default.fileExists(atPath: evidenceURL.path) {
            do { evidence = try ArtifactJSON.decoder().decode(CardEvidence.self, from: Data(contentsOf: evidenceURL)) } catch {
                throw AutoMLError.unreadableArtifact("\(evidenceURL.path) cannot be read (\(error)); fit the model again to measure it")
            }
            guard evidence!.version <= CardEvidence.currentVersion else {
                throw AutoMLError.unreadableArtifact("the card evidence has version \(evidence!.version); this MLForge reads up to \(CardEvidence.currentVersion): upgrade MLForge")
            }
        }
        var notes: String?
        if let notesPath {
            guard let text = try? String(contentsOfFile: notesPath, encoding: .utf8) else {
                throw AutoMLError.invalidInput("the notes file \(notesPath) cannot be read as UTF-8 text; give a Markdown or text file")
            }
            notes = text
        } else {
            notes = try? String(contentsOf: folder.appendingPathComponent(ModelCard.notesFile), encoding: .utf8)
        }
        if let sensitive, evidence?.sensitive != sensitive, testPath == nil {
            throw AutoMLError.invalidInput("per-group figures for '\(sensitive)' need rows: give --test TEST.csv (the fit measured \(evidence?.sensitive.map { "'\($0)'" } ?? "no sensitive column"))")
        }
        var test: TestEvidence?
        if let testPath {
            let frame = try model.readTable(path: testPath)
            let deadline = ContinuousClock.now + .milliseconds(Int(policy.commandSeconds * 1000))
            test = try TestEvidence.measure(model, test: frame, file: URL(fileURLWithPath: testPath).lastPathComponent, training: evidence?.training,
                                            sensitive: sensitive ?? evidence?.sensitive, policy: policy, deadline: deadline)
        }
        let card = ModelCard(model: model, evidence: evidence, test: test, notes: notes)
        if let notes, notesPath != nil { try replace(folder.appendingPathComponent(ModelCard.notesFile), with: Data(notes.utf8)) }
        let renderings = card.renderings
        for name in [ModelCard.markdownFile, ModelCard.htmlFile] { try replace(folder.appendingPathComponent(name), with: renderings[name]!) }
        return card
    }

    /// Writes `data` beside `url` and renames it into place.
    static func replace(_ url: URL, with data: Data) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url, options: .atomic)
    }

    static func encode(_ evidence: CardEvidence) throws -> Data { try ArtifactJSON.encoder().encode(evidence) }
}
