import Foundation
import Learners
import MLData
import Testing
import TestSupport

/// Every family passes the learner conformance suite on a binary task with categorical columns and
/// missing values (titanic), a multiclass task (iris) and a regression task (diabetes).
@Suite(.serialized) struct ConformanceTests {
    static let datasets = ["titanic", "iris", "diabetes"]

    func run<L: Learner>(_ learner: L, slow: L) throws {
        for name in Self.datasets {
            let prepared = try #require(try SharedData.prepare(name, for: L.family))
            let problems = try LearnerConformance.check(learner, slow: slow, on: prepared.train)
            #expect(problems.isEmpty, "\(L.family) on \(name): \(problems.joined(separator: "; "))")
        }
    }

    @Test func xgboost() throws {
        var slow = XGBoostLearner()
        slow.rounds = 200_000
        slow.learningRate = 0.001
        slow.earlyStoppingRounds = 200_000
        try run(XGBoostLearner(), slow: slow)
    }

    @Test func randomForest() throws {
        var slow = RandomForestLearner()
        slow.trees = 400_000
        try run(RandomForestLearner(), slow: slow)
    }

    @Test func linear() throws {
        var elastic = LinearLearner()
        elastic.l1Ratio = 0.5
        var slow = LinearLearner()
        slow.maxIterations = 10_000_000
        slow.tolerance = 0
        slow.c = 1e6
        try run(elastic, slow: slow)
    }

    @Test func knn() throws {
        var k = KNNLearner()
        k.weights = .distance
        // The costliest configuration: many neighbours, weighted by distance. (k-NN says it cannot stop at a
        // deadline, so the suite does not give it one; the search only starts it when its estimate fits.)
        var slow = KNNLearner()
        slow.neighbors = 50
        slow.weights = .distance
        try run(k, slow: slow)
    }

    @Test func mlp() throws {
        var m = MLPLearner()
        m.epochs = 20
        m.categorical = .embedding
        m.normalization = .batch
        m.dropout = 0.1
        var slow = MLPLearner()
        slow.epochs = 1_000_000
        slow.patience = 1_000_000
        slow.batchSize = 8
        try run(m, slow: slow)
    }
}
