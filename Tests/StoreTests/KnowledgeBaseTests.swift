import Foundation
import Search
import Store
import Testing
import TestSupport

@Suite("Knowledge base")
struct KnowledgeBaseTests {
    @Test("Datasets and results round-trip, with out-of-fold predictions only when asked for; a result replaces its own")
    func roundTrip() throws {
        let path = try Fixtures.temporaryPath("mlforge-kb", file: "kb.sqlite")
        let base = try KnowledgeBase(path: path)
        try base.put(.init(name: "a", source: "corpus", task: "binary", features: ["rows": 100], metric: "roc_auc"))
        let r = KnowledgeBase.Result(dataset: "a", family: "xgboost", entry: "xgboost#low", configuration: ["n_estimators": .int(4)],
                                     score: 0.8, foldScores: [0.7, 0.9], fitSeconds: 0.5, predictions: [0.25, 0.75])
        let failed = KnowledgeBase.Result(dataset: "a", family: "knn", configuration: ["k": .int(3)], score: nil, fitSeconds: 0.1, note: "boom")
        try base.add([r, failed])
        #expect(try base.resultKeys(dataset: "a") == ["xgboost#low", "knn|k=3"])
        let again = try KnowledgeBase(path: path)
        #expect(try again.datasets().map(\.name) == ["a"])
        #expect(try again.datasets()[0].finished == false)
        let bare = try again.results(dataset: "a")
        #expect(bare.count == 2 && bare.allSatisfy { $0.predictions.isEmpty })
        let full = try again.results(dataset: "a", withPredictions: true)
        #expect(full.first { $0.entry == "xgboost#low" } == r)
        var better = r
        better.score = 0.9
        try again.add([better])
        #expect(try again.results(dataset: "a").count == 2)
        #expect(try again.results(dataset: "a").first { $0.entry == "xgboost#low" }?.score == 0.9)
        try again.finish("a")
        #expect(try again.datasets()[0].finished)
    }

    @Test("A file that is not a database is refused with a message that says how to go on")
    func notADatabase() throws {
        let path = try Fixtures.temporaryPath("mlforge-kb", file: "kb.sqlite")
        try Data("not sqlite at all, just text".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: SearchError.self) { _ = try KnowledgeBase(path: path).datasets() }
    }
}
