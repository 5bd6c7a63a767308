import AutoML
import Foundation
import Learners
import MLData
import Testing
import TestSupport

/// Repeated cross-validation: the repeats the budget buys, and a fit with them end to end (every repeat's
/// fold models kept, one validation prediction a row, the trials replayed fold by fold).
@Suite struct RepeatedValidationTests {
    @Test("One repeat at 10 s, two at 60 s, at most maximumRepeats; one under a trial cap")
    func repeatsByBudget() {
        let policy = ValidationPolicy()
        #expect(policy.repeats(budgetSeconds: 10) == 1)
        #expect(policy.repeats(budgetSeconds: 29) == 1)
        #expect(policy.repeats(budgetSeconds: 60) == 2)
        #expect(policy.repeats(budgetSeconds: 3600) == policy.maximumRepeats)
        var bad = SearchPolicy()
        bad.validation.maximumRepeats = 0
        #expect(throws: (any Error).self) { try bad.validate() }
    }

    @Test("Two repeats: ten fold models a member, each row validated once, its prediction the mean over the repeats; replay reproduces the ten fold scores")
    func twoRepeats() throws {
        let csv = Fixtures.repositoryRoot.appendingPathComponent("examples/iris/train.csv")
        let frame = try CSVReader.read(path: csv.path)
        var options = AutoMLOptions()
        options.budget = .seconds(30)
        options.maxTrials = 4
        options.threads = 1
        options.families = [.linear, .knn]
        options.validationRepeats = 2
        let model = try AutoML.fitSynchronously(frame, target: "species", options: options)
        #expect(model.constraints?.validationRepeats == 2)
        let validation = try #require(model.validation)
        #expect(validation.scheme == "2 × 5-fold cross-validation")
        #expect(validation.rows.sorted() == Array(0..<frame.rowCount))
        #expect(validation.predictions.rows == frame.rowCount)
        for m in model.members { #expect(m.modelCount == 10, "\(m.summary): \(m.modelCount) models") }
        let done = model.leaderboard.entries.filter { $0.state == .complete }
        #expect(!done.isEmpty)
        for e in done { #expect(e.foldScores?.count == 10) }
        // k-NN is exact: its replay gives the recorded fold scores.
        let knn = try #require(done.first { $0.family == .knn })
        let scores = try AutoML.replay(knn, of: model, frame: frame, threads: 1)
        #expect(scores.count == 10)
        for (a, b) in zip(scores, knn.foldScores ?? []) { #expect(abs(a - b) < 1e-12) }

        // Without the option and under the trial cap: one repeat, as before.
        options.validationRepeats = nil
        let single = try AutoML.fitSynchronously(frame, target: "species", options: options)
        #expect(single.constraints?.validationRepeats == nil)
        #expect(single.validation?.scheme == "5-fold cross-validation")
        for m in single.members { #expect(m.modelCount == 5) }
    }
}
