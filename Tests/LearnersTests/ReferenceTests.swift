import Foundation
import Learners
import MLData
import Testing
import TestSupport

/// Each family with its default configuration scores within a tolerance of its scikit-learn /
/// xgboost-python counterpart with the same hyperparameters, on every shared dataset
/// (reference numbers: scripts/make_learner_references.py → Fixtures/learner_references.json).
@Suite(.serialized) struct ReferenceTests {
    struct Reference: Decodable {
        struct Row: Decodable {
            var test_rows: Int
            var scores: [String: Double]
            init(from decoder: Decoder) throws {
                let c = try decoder.container(keyedBy: AnyKey.self)
                test_rows = try c.decode(Int.self, forKey: AnyKey("test_rows"))
                scores = [:]
                for k in c.allKeys where LearnerFamily(rawValue: k.stringValue) != nil {
                    scores[k.stringValue] = try c.decode(Double.self, forKey: k)
                }
            }
        }
        var datasets: [String: Row]
    }
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Allowed |ours − reference| per family: the same XGBoost on slightly different features, our own
    /// solvers against scikit-learn's, and networks with different initial weights and batch orders.
    /// On small test sets one row moves accuracy by 1/rows, so the tolerance is at least 2 rows' worth.
    static let tolerance: [LearnerFamily: Double] = [.xgboost: 0.03, .randomForest: 0.03, .linear: 0.02, .knn: 0.02, .mlp: 0.05]

    static func reference() throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: Fixtures.url("learner_references.json")))
    }

    func compare(_ family: LearnerFamily) throws {
        let reference = try Self.reference()
        var lines: [String] = []
        for name in reference.datasets.keys.sorted() {
            guard let row = reference.datasets[name], let expected = row.scores[family.rawValue] else { continue }
            let data = try #require(try SharedData.prepare(name, for: family), "\(name) is not in ../shared/datasets")
            let learner = family.defaults(for: data.train.shape)
            // Networks depend on their initial weights: compare the mean of three seeds (as the reference does).
            let seeds: [UInt64] = family == .mlp ? [0, 1, 2] : [0]
            var total = 0.0
            for seed in seeds {
                let model = try learner.fitModel(data.train, validation: nil, context: FitContext(seed: seed, threads: 2))
                total += try data.score(model.predict(data.test.features))
            }
            let got = total / Double(seeds.count)
            let tol = max(Self.tolerance[family] ?? 0.02, data.meta.metric == "accuracy" ? 2.0 / Double(row.test_rows) : 0)
            lines.append(String(format: "%@ %@: ours %.4f, reference %.4f", family.rawValue, name, got, expected))
            #expect(abs(got - expected) <= tol + 1e-9, "\(family) on \(name): ours \(got), reference \(expected), tolerance \(tol)")
        }
        print(lines.joined(separator: "\n"))
    }

    @Test(.enabled(if: Fixtures.sharedDataRunnable, Fixtures.needsShared)) func xgboost() throws { try compare(.xgboost) }
    @Test(.enabled(if: Fixtures.sharedDataRunnable, Fixtures.needsShared)) func randomForest() throws { try compare(.randomForest) }
    @Test(.enabled(if: Fixtures.sharedDataRunnable, Fixtures.needsShared)) func linear() throws { try compare(.linear) }
    @Test(.enabled(if: Fixtures.sharedDataRunnable, Fixtures.needsShared)) func knn() throws { try compare(.knn) }
    @Test(.enabled(if: Fixtures.sharedDataRunnable, Fixtures.needsShared)) func mlp() throws { try compare(.mlp) }
}
