import AutoML
import Foundation
import MLData
import Testing
import TestSupport
import Transparency

/// What the card's summary says of the ways a model was taught.
@Suite struct CardSummaryTests {
    @Test("self-training and VIME pretraining appear in the summary with what they gained")
    func selfTrainingAndPretraining() throws {
        let frame = try CSVReader.read(path: Fixtures.repositoryRoot.appendingPathComponent("examples/titanic/train.csv").path)
        var options = AutoMLOptions()
        options.families = [.linear]
        options.maxTrials = 2
        options.threads = 1
        options.knowledge = nil
        options.budget = .seconds(30)
        var model = try AutoML.fitSynchronously(frame, target: "survived", options: options)
        model.selfTraining = try JSONDecoder().decode(SelfTrainingRecord.self, from: Data("""
            {"unlabeledRows": 300, "rounds": [{"pseudoLabelledRows": 0, "score": 0.85, "kept": true}],
             "pretraining": {"method": "vime", "trials": 3, "completed": 2, "bestScore": 0.84, "bestScoreWithout": 0.83, "ensembleWeight": 0.25}}
            """.utf8))
        let card = try #require(ModelCard(model: model, evidence: nil).renderings[ModelCard.markdownFile])
        let text = String(decoding: card, as: UTF8.self)
        #expect(text.contains("300 unlabeled rows"))
        #expect(text.contains("3 networks pretrained on the unlabeled rows by VIME (2 complete)"), "\(text)")
        #expect(text.contains("0.8400 against 0.8300") && text.contains("25.0% of the ensemble's weight"), "\(text)")
        // A record without pretraining (and one from an older folder) says nothing of it.
        model.selfTraining?.pretraining = nil
        let plain = String(decoding: try #require(ModelCard(model: model, evidence: nil).renderings[ModelCard.markdownFile]), as: UTF8.self)
        #expect(!plain.contains("pretrained"))
    }
}
