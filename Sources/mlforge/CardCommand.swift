import ArgumentParser
import Foundation
import Transparency

struct CardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "card",
        abstract: "Write a model folder's model card (card.html, card.md) again: with figures on a labelled test file, or new notes."
    )

    @Argument(help: "The model folder.")
    var model: String

    @Option(help: "A labelled CSV file: the card adds the model's scores, calibration, confusion, importances and drift on it.")
    var test: String?

    @Option(help: "A Markdown or text file of notes for the card (kept in the folder for later cards).")
    var notes: String?

    @Option(help: "A column of the test file whose groups the card compares.")
    var sensitive: String?

    func run() throws {
        try reportingErrors {
            let folder = URL(fileURLWithPath: model)
            try CardFolder.refresh(folder, testPath: test, notesPath: notes, sensitive: sensitive)
            Terminal.write("model card written: \(folder.appendingPathComponent(ModelCard.htmlFile).path) and \(ModelCard.markdownFile)\n")
        }
    }
}
