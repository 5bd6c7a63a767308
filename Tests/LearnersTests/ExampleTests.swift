import Foundation
import Learners
import MLData
import Search
import Testing
import TestSupport

/// The example in docs/learners.md runs: TPE tunes XGBoost on titanic, ASHA prunes some fits through
/// the learner's progress reports, and the best validation AUC is that of a real model.
@Suite struct ExampleTests {
    @Test func tuningExample() async throws {
        let path = Fixtures.repositoryRoot.appendingPathComponent("examples/titanic/train.csv").path
        let frame = try CSVReader.read(path: path)
        let labels = LabelEncoder.fit(try frame.column(named: "survived"))
        #expect(labels.classes == ["died", "survived"])
        let y = TargetValues.classes(labels.encode(try frame.column(named: "survived")).labels, classCount: 2)
        var rng = SeededGenerator(seed: 7)
        let (fitRows, validRows) = try Splits.holdout(count: frame.rowCount, testFraction: 0.25, using: &rng)
        let (prep, xFit) = try Preprocessor(options: LearnerFamily.xgboost.preprocessing).fitTransform(
            frame.selecting(rows: fitRows), target: y.selecting(rows: fitRows), excluding: ["survived"], using: &rng)
        let train = try LabeledData(features: xFit, target: y.selecting(rows: fitRows), task: .binary)
        let valid = try LabeledData(features: try prep.transform(frame.selecting(rows: validRows)).features,
                                    target: y.selecting(rows: validRows), task: .binary)

        let space = XGBoostLearner.searchSpace(for: train.shape)
        let study = Study(space: space, directions: [.maximize], strategy: TPESampler(seed: 7),
                          pruner: ASHAPruner(minResource: 4, reductionFactor: 3))
        try study.enqueue(space.lowCostPoint)
        // The trial count ends the study; the timeout only guards against a hang (the suites run in parallel,
        // and on 2 cores a study's tasks can wait a long time for a thread while other suites compute).
        try await study.optimize(trials: 25, timeout: .seconds(600)) { trial in
            let learner = try XGBoostLearner(configuration: trial.configuration, shape: train.shape)
            let context = FitContext(seed: 7, deadline: trial.deadline, metric: .rocAUC) { progress in
                try? trial.report(progress.score, step: progress.step)
                return (try? trial.shouldPrune()) == true ? .stop : .proceed
            }
            let model = try learner.fit(train, validation: valid, context: context)
            if try trial.shouldPrune() { throw TrialPruned() }
            return [ValidationMetric.rocAUC.score(try model.predict(valid.features), valid.target)]
        }
        let trials = study.trials
        #expect(trials.count == 25)
        #expect(trials.contains { $0.state == .pruned }, "ASHA should stop some fits through their reports")
        #expect(trials.allSatisfy { $0.state != .failed }, "\(trials.compactMap(\.error))")
        let best = try #require(study.bestTrial?.values?.first)
        #expect(best > 0.8 && best <= 1, "best validation AUC \(best)")
        // The low-cost point came first and already gives a real model.
        let first = try #require(trials.first { $0.number == 0 })
        #expect(first.configuration == space.lowCostPoint)
        #expect((first.values?.first ?? 0) > 0.75)
    }
}
