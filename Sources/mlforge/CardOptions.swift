import ArgumentParser
import AutoML
import Foundation
import MLData
import Transparency

/// The model-card options that `fit` and `nas` share.
struct CardOptions: ParsableArguments {
    @Flag(help: "Do not write the model card (card.html, card.md); the whole budget goes to the model.")
    var noCard = false

    @Option(help: "A Markdown or text file of notes for the model card: what the model is for, and what not.")
    var notes: String?

    @Option(help: "A column whose groups the model card compares (per-group metrics, demographic parity and equalized odds).")
    var sensitive: String?

    /// A fit's documents: the audit trail, and the card unless --no-card; the notes file is read now, so
    /// that a wrong path stops the command before the fit.
    /// With `fairness`, --sensitive also names the groups of the fairness bound, so --no-card may keep it.
    func documenter(fairness: Bool = false) throws -> any FitDocumenter {
        if noCard {
            guard notes == nil, sensitive == nil || fairness else { throw DataError.invalidArgument("--no-card leaves no card for --notes or --sensitive; drop one") }
            return FitDocuments(card: nil)
        }
        let text = try notes.map { path in
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw DataError.invalidArgument("the notes file \(path) cannot be read as UTF-8 text; give a Markdown or text file")
            }
            return text
        }
        return FitDocuments(card: CardDocumenter(sensitive: sensitive, notes: text))
    }
}
