import Foundation
import Learners
import MLData
import Support
import Testing

/// Soft targets (a teacher's class probabilities, `LabeledData.softTargets`): the families that say
/// `learnsSoftTargets` learn the probabilities, not just each row's most probable class.
@Suite struct SoftTargetTests {
    /// Rows whose class probabilities are a smooth function of two features (nowhere near 0 or 1), with
    /// each row's most probable class as its label.
    static func task(classes k: Int, rows n: Int = 600) throws -> LabeledData {
        var rng = SeededGenerator(seed: 11)
        var x: [Double] = [], soft: [Double] = [], labels: [Int] = []
        for _ in 0..<n {
            let a = rng.unitDouble() * 2 - 1, b = rng.unitDouble() * 2 - 1
            x += [a, b]
            // Logits small enough that no class is ever certain.
            let z: [Double] = (0..<k).map { c in
                let angle = Double(c) * 2.1
                return 0.9 * (a * cos(angle) + b * sin(angle))
            }
            let top = z.max()!
            let e = z.map { exp($0 - top) }
            let s = e.reduce(0, +)
            soft += e.map { $0 / s }
            labels.append(z.firstIndex(of: top)!)
        }
        let features = FeatureMatrix(rows: n, columns: 2, values: x, names: ["a", "b"])
        return try LabeledData(features: features, target: .classes(labels, classCount: k), task: .classification(classes: k))
            .withSoftTargets(soft)
    }

    /// The mean absolute difference between predicted and target probabilities.
    static func error(_ p: Predictions, _ target: [Double]) -> Double {
        guard case .probabilities(let q, _) = p else { return .infinity }
        return zip(q, target).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(q.count)
    }

    static func learners() throws -> [(String, any Learner)] {
        var xgb = XGBoostLearner()
        xgb.rounds = 200
        xgb.learningRate = 0.05
        xgb.maxDepth = 3
        var mlp = MLPLearner()
        mlp.epochs = 60
        mlp.width = 32
        mlp.learningRate = 3e-3
        var linear = LinearLearner()
        linear.c = 100
        return [("xgboost", xgb), ("mlp", mlp), ("linear", linear)]
    }

    @Test("xgboost, mlp and linear learn soft targets, binary and 3 classes, far better than the hard labels would teach", arguments: [2, 3])
    func learnsProbabilities(classes k: Int) throws {
        let data = try Self.task(classes: k)
        let soft = try #require(data.softTargets)
        var hard = try LabeledData(features: data.features, target: data.target, task: data.task)
        #expect(hard.softTargets == nil)
        hard = hard.selecting(rows: Array(0..<hard.rows))
        for (name, learner) in try Self.learners() {
            #expect(type(of: learner).capabilities.learnsSoftTargets, "\(name)")
            let context = FitContext(seed: 3, threads: 1)
            let fromSoft = try learner.fitModel(data, validation: nil, context: context).predict(data.features)
            let fromHard = try learner.fitModel(hard, validation: nil, context: context).predict(data.features)
            let softError = Self.error(fromSoft, soft), hardError = Self.error(fromHard, soft)
            #expect(softError < 0.05, "\(name), \(k) classes: soft targets learned with mean error \(softError)")
            #expect(softError < hardError / 2, "\(name), \(k) classes: soft \(softError) against hard \(hardError)")
        }
    }

    @Test("soft targets are checked, and selecting rows keeps each row's probabilities")
    func checkedAndSelected() throws {
        let data = try Self.task(classes: 3, rows: 20)
        let soft = try #require(data.softTargets)
        let picked = data.selecting(rows: [4, 1, 4])
        #expect(picked.softTargets == Array(soft[12..<15] + soft[3..<6] + soft[12..<15]))
        #expect(picked.classProbabilities == picked.softTargets)
        let plain = try LabeledData(features: data.features, target: data.target, task: data.task)
        #expect(plain.classProbabilities[0..<3].reduce(0, +) == 1)
        #expect(throws: LearnerError.self) { try plain.withSoftTargets(Array(soft.dropLast())) }
        var wrong = soft
        wrong[0] += 0.1
        #expect { try plain.withSoftTargets(wrong) } throws: { "\($0)".contains("row 0") }
        let regression = try LabeledData(features: data.features, target: .values(Array(repeating: 1, count: 20)), task: .regression)
        #expect(throws: LearnerError.self) { try regression.withSoftTargets(soft) }
    }
}
