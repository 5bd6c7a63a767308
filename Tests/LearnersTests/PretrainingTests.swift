import Foundation
import Learners
import MLData
import Search
import Support
import Testing

/// VIME pretraining of the MLP on rows without a target: offered by the search space only with unlabeled
/// rows, learned (its pretext loss falls), and used by a fit given unlabeled rows.
@Suite struct PretrainingTests {
    /// Rows of 8 features made from 3 hidden factors (so that a feature can be restored from the others),
    /// the class the sign of the first factor.
    static func rows(_ n: Int, seed: UInt64) throws -> LabeledData {
        var rng = SeededGenerator(seed: seed)
        var values: [Double] = [], labels: [Int] = []
        for _ in 0..<n {
            let z = (0..<3).map { _ in rng.unitDouble() * 2 - 1 }
            let x = [z[0], z[1], z[2], z[0] + z[1], z[1] - z[2], 0.5 * z[0] - z[2], z[0] * 0.8, z[2] + 0.3 * z[1]]
            values += x.map { $0 + (rng.unitDouble() - 0.5) * 0.05 }
            labels.append(z[0] > 0 ? 1 : 0)
        }
        let x = FeatureMatrix(rows: n, columns: 8, values: values, names: (0..<8).map { "x\($0)" })
        return try LabeledData(features: x, target: .classes(labels, classCount: 2), task: .binary)
    }

    @Test("the space offers pretrain (none or vime) only with unlabeled rows; the portfolio tries both; configurations round-trip")
    func space() throws {
        var shape = DataShape(rows: 500, features: 8, task: .binary)
        #expect(!MLPLearner.searchSpace(for: shape).names.contains("pretrain"))
        #expect(MLPLearner.portfolio(for: shape).count == 1)
        shape.unlabeledRows = 2000
        let space = MLPLearner.searchSpace(for: shape)
        #expect(space.names.contains("pretrain"))
        let portfolio = MLPLearner.portfolio(for: shape)
        #expect(portfolio.map { $0["pretrain"] } == [.string("none"), .string("vime")])
        for c in portfolio { try space.validate(c) }
        #expect(try MLPLearner(configuration: portfolio[1], shape: shape).pretraining == .vime)
        let plain = try MLPLearner(configuration: portfolio[0], shape: shape)
        #expect(plain.pretraining == nil && plain.configuration["pretrain"] == nil)
        // A configuration from the space without the parameter completes to the one with it, and back.
        let completed = space.completing(MLPLearner.portfolio(for: DataShape(rows: 500, features: 8, task: .binary))[0])
        #expect(completed["pretrain"] == .string("none"))
        try space.validate(completed)
        let smaller = MLPLearner.searchSpace(for: DataShape(rows: 500, features: 8, task: .binary))
        #expect(smaller.completing(portfolio[1])["pretrain"] == nil)
    }

    @Test("the pretext loss falls: the encoder learns to tell replaced features and restore them")
    func pretextLearns() throws {
        let data = try Self.rows(1500, seed: 1)
        var learner = MLPLearner()
        learner.epochs = 1
        learner.width = 64
        let model = try learner.fit(data, validation: nil, context: FitContext(seed: 3, threads: 1))
        let losses = model.pretrain([data.features], policy: .standard, epochs: 12, batchSize: 64, learningRate: 3e-3, seed: 5, stop: nil)
        #expect(losses.count == 12)
        #expect(losses.allSatisfy { $0.isFinite })
        #expect(losses.last! < 0.85 * losses.first!, "pretext losses by epoch: \(losses)")
    }

    @Test("a fit with pretrain vime pretrains on the unlabeled rows it is given (and only then), and predicts")
    func fitUsesUnlabeled() throws {
        let data = try Self.rows(200, seed: 2), unlabeled = try Self.rows(2000, seed: 3).features, test = try Self.rows(500, seed: 4)
        var learner = MLPLearner()
        learner.epochs = 30
        learner.pretraining = .vime
        var context = FitContext(seed: 7, threads: 1)
        let without = try learner.fit(data, validation: nil, context: context)
        context.unlabeled = unlabeled
        let with = try learner.fit(data, validation: nil, context: context)
        let a = try without.predict(test.features), b = try with.predict(test.features)
        #expect(a != b, "the unlabeled rows changed nothing: pretraining did not run")
        #expect(EnsembleValues.all(b).allSatisfy { $0.isFinite })
        #expect(with.design.description.contains("VIME"))
        // Unlabeled rows prepared otherwise (another feature count) are refused.
        context.unlabeled = FeatureMatrix(rows: 1, columns: 3, values: [0, 0, 0], names: ["a", "b", "c"])
        #expect(throws: (any Error).self) { try learner.fit(data, validation: nil, context: context) }
    }
}

extension PretrainingTests {
    @Test("architecture search offers pretrain too: its space and portfolio with unlabeled rows only, configurations round-trip, and a convolutional network pretrains on raw values and predicts")
    func architectureSearchPretrains() throws {
        var shape = DataShape(rows: 200, features: 8, task: .binary)
        shape.inputShape = [8]
        #expect(!NASLearner.searchSpace(for: shape).names.contains("pretrain"))
        #expect(NASLearner.portfolio(for: shape).count == 1)
        shape.unlabeledRows = 2000
        let space = NASLearner.searchSpace(for: shape)
        #expect(space.names.contains("pretrain"))
        let portfolio = NASLearner.portfolio(for: shape)
        #expect(portfolio.map { $0["pretrain"] } == [.string("none"), .string("vime")])
        for c in portfolio { try space.validate(c) }
        var learner = try NASLearner(configuration: portfolio[1], shape: shape)
        #expect(learner.pretraining == .vime && learner.configuration == portfolio[1])
        #expect(try NASLearner(configuration: portfolio[0], shape: shape).pretraining == nil)
        #expect(learner.estimatedCost(for: shape) > (try NASLearner(configuration: portfolio[0], shape: shape)).estimatedCost(for: shape))
        // Raw values on a large scale (the raw recipe is not standardised): the restored values are
        // standardised, so the pretext loss stays of the order of one.
        let scaled = { (d: LabeledData) throws -> LabeledData in
            try LabeledData(features: FeatureMatrix(rows: d.rows, columns: 8, values: d.features.values.map { 300 + 100 * $0 }, names: d.features.names),
                            target: d.target, task: .binary)
        }
        let data = try scaled(Self.rows(200, seed: 2)), unlabeled = try scaled(Self.rows(2000, seed: 3)).features
        let test = try scaled(Self.rows(300, seed: 4))
        learner.epochs = 8
        var context = FitContext(seed: 7, threads: 1)
        let without = try learner.fit(data, validation: nil, context: context)
        context.unlabeled = unlabeled
        let with = try learner.fit(data, validation: nil, context: context)
        let a = try without.predict(test.features), b = try with.predict(test.features)
        #expect(a != b, "the unlabeled rows changed nothing: pretraining did not run")
        #expect(EnsembleValues.all(b).allSatisfy { $0.isFinite })
        #expect(with.design.description.contains("VIME"))
        let losses = with.pretrain([data.features, unlabeled], policy: .standard, epochs: 3, batchSize: 64, learningRate: 3e-3, seed: 5,
                                   stop: nil, standardizing: ([300], [100]))
        #expect(losses.count == 3 && losses.allSatisfy { $0.isFinite && $0 < 10 }, "pretext losses: \(losses)")
    }
}

/// The flat values of predictions (for checks).
enum EnsembleValues {
    static func all(_ p: Predictions) -> [Double] {
        switch p {
        case .probabilities(let v, _): return v
        case .values(let v): return v
        }
    }
}
