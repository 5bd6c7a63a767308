import AutoML
import Foundation
import Learners
import MLData
import Support
import Testing
import TestSupport

/// Self-training (`fit --unlabeled`): which rows are pseudo-labelled, where unlabeled rows come from, and
/// unlabeled rows that measurably help on a generated task.
@Suite struct SelfTrainingTests {
    /// Rows whose class is the side of a plane in six dimensions: a hundred labels draw it roughly, and
    /// unlabeled rows fill the space between them.
    static func plane(rows n: Int, seed: UInt64, labelled: Bool = true) throws -> DataFrame {
        var rng = SeededGenerator(seed: seed)
        var columns = [[Double]](repeating: [], count: 6), y: [Int32] = []
        for _ in 0..<n {
            let x = (0..<6).map { _ in (rng.unitDouble() * 2 - 1) * 1.7 }
            for i in 0..<6 { columns[i].append(x[i]) }
            y.append(x[0] + 0.8 * x[1] - 0.5 * x[2] > 0 ? 1 : 0)
        }
        var out = columns.enumerated().map { Column(name: "x\($0.offset)", storage: .double($0.element)) }
        if labelled { out.append(Column(name: "y", storage: .categorical(codes: y, levels: ["a", "b"]))) }
        return try DataFrame(columns: out)
    }

    @Test("the most confident rows of each class, in the labelled rows' class shares, above the floor")
    func confidentRows() {
        let p = Predictions.probabilities([0.9, 0.1, 0.6, 0.4, 0.2, 0.8, 0.45, 0.55, 0.05, 0.95, 0.99, 0.01], classes: 2)
        // Class a: rows 5 (0.99), 0 (0.9), 1 (0.6); class b: rows 4 (0.95), 2 (0.8), 3 (0.55).
        #expect(SelfTraining.confident(p, wanted: 4, shares: [0.5, 0.5], threshold: 0.5) == [0, 2, 4, 5])
        #expect(SelfTraining.confident(p, wanted: 4, shares: [0.75, 0.25], threshold: 0.5) == [0, 1, 4, 5])
        #expect(SelfTraining.confident(p, wanted: 6, shares: [0.5, 0.5], threshold: 0.85) == [0, 4, 5])
    }

    @Test("a round's gain is measured on the rows both models validated, with a paired bootstrap standard error")
    func pairedGain() throws {
        var rng = SeededGenerator(seed: 7)
        let n = 400
        let labels = (0..<n).map { _ in rng.uniform(below: 2) }
        // A model that knows the label (p 0.8 on the true class) and a noisier one (0.6), row for row.
        let good = labels.flatMap { $0 == 1 ? [0.2, 0.8] : [0.8, 0.2] }
        let noisy = (0..<n).flatMap { i -> [Double] in
            let right = rng.unitDouble() < 0.7
            let p1 = (labels[i] == 1) == right ? 0.6 : 0.4
            return [1 - p1, p1]
        }
        let record = { (p: [Double], rows: [Int]) in
            ValidationRecord(predictions: .probabilities(p, classes: 2), target: .classes(labels, classCount: 2), rows: rows, scheme: "test")
        }
        let rows = Array(0..<n).map { $0 * 3 }
        let better = try #require(PairedGain.measure(record(good, rows), over: record(noisy, rows), metric: .rocAUC, resamples: 200, seed: 1))
        #expect(better.gain > 0.15 && better.standardError > 0 && better.gain > 4 * better.standardError, "\(better)")
        let same = try #require(PairedGain.measure(record(good, rows), over: record(good, rows), metric: .rocAUC, resamples: 200, seed: 1))
        #expect(same.gain == 0 && same.standardError == 0)
        // A small edge on a few rows is within the noise: a single row's label flipped in the candidate's favour.
        var edged = noisy
        if let i = labels.firstIndex(of: 1) { edged[2 * i] = 0.0; edged[2 * i + 1] = 1.0 }
        let small = try #require(PairedGain.measure(record(edged, rows), over: record(noisy, rows), metric: .rocAUC, resamples: 200, seed: 1))
        #expect(small.gain > 0 && small.gain < 2 * small.standardError, "\(small)")
        // Only the rows both validated count (the candidate's in another order, half of them).
        let half = Array(rows.prefix(n / 2))
        let candidate = ValidationRecord(predictions: Predictions.probabilities(good, classes: 2).selecting(rows: Array((0..<(n / 2)).reversed())),
                                         target: TargetValues.classes(labels, classCount: 2).selecting(rows: Array((0..<(n / 2)).reversed())),
                                         rows: half.reversed(), scheme: "test")
        let part = try #require(PairedGain.measure(candidate, over: record(good, rows), metric: .accuracy, resamples: 50, seed: 1))
        #expect(part.gain == 0 && part.standardError == 0)
        let three = ValidationRecord(predictions: Predictions.probabilities(good, classes: 2).selecting(rows: [0, 1, 2]),
                                     target: TargetValues.classes(labels, classCount: 2).selecting(rows: [0, 1, 2]), rows: [0, 3, 6], scheme: "test")
        #expect(PairedGain.measure(three, over: record(good, rows), metric: .accuracy, resamples: 50, seed: 1) == nil)
    }

    @Test("unlabeled rows take the table's columns in its order (their target cleared), and the table's rows without a target join them")
    func pool() throws {
        let table = try DataFrame(columns: [
            Column(name: "x", storage: .double([1, 2, 3])),
            Column(name: "y", storage: .categorical(codes: [0, -1, 1], levels: ["a", "b"])),
        ])
        let unlabeled = try DataFrame(columns: [Column(name: "extra", storage: .double([9, 9])), Column(name: "x", storage: .double([7, 8]))])
        let pool = try SelfTraining.pool(table, unlabeled: unlabeled, target: "y")
        #expect(pool.columnNames == ["x", "y"])
        #expect(pool["x"]!.doubles == [7, 8, 2])
        #expect(pool["y"]!.missingCount == 3)
        let lacking = try DataFrame(columns: [Column(name: "z", storage: .double([1]))])
        #expect { try SelfTraining.pool(table, unlabeled: lacking, target: "y") } throws: { "\($0)".contains("lack the column 'x'") }
    }

    @Test("150 labelled rows and 3,000 unlabeled ones, three draws: k-NN self-trained is better on new rows on average and never much worse; the record says which round was kept")
    func unlabeledRowsHelp() throws {
        let unlabeled = try Self.plane(rows: 3000, seed: 2, labelled: false), test = try Self.plane(rows: 2000, seed: 3)
        var options = AutoMLOptions()
        options.families = [.knn]
        options.maxTrials = 8
        options.threads = 1
        options.budget = .seconds(60)
        options.knowledge = nil
        var gains: [Double] = []
        for draw in 1...3 {
            let labelled = try Self.plane(rows: 150, seed: 10 &+ UInt64(draw))
            let plain = try AutoML.fitSynchronously(labelled, target: "y", options: options)
            let selfTrained = try SelfTraining.fit(labelled, unlabeled: unlabeled, target: "y", options: options)
            let record = try #require(selfTrained.selfTraining)
            #expect(record.unlabeledRows == 3000)
            #expect(record.rounds.count >= 2 && record.rounds[0].pseudoLabelledRows == 0)
            #expect(record.rounds.filter(\.kept).count == 1)
            // The run's plain fit is a plain fit: the rounds only add.
            #expect(record.rounds[0].score == plain.leaderboard.ensembleScore)
            let before = try #require(plain.evaluate(test)["roc_auc"]), after = try #require(selfTrained.evaluate(test)["roc_auc"])
            #expect(after > before - 0.005, "draw \(draw): ROC AUC on new rows \(before) labelled only, \(after) self-trained; \(record)")
            gains.append(after - before)
        }
        #expect(gains.reduce(0, +) / 3 > 0.003, "ROC AUC gains on new rows: \(gains)")
    }

    @Test("with unlabeled rows, VIME-pretrained networks are candidates of the search like any other; the record and the log say what they gained")
    func pretrainedNetworks() throws {
        let labelled = try Self.plane(rows: 150, seed: 21), unlabeled = try Self.plane(rows: 1500, seed: 22, labelled: false)
        var options = AutoMLOptions()
        options.families = [.mlp]
        options.maxTrials = 6
        options.threads = 1
        options.budget = .seconds(60)
        options.knowledge = nil
        let lines = LockedBox([String]())
        options.log = { event in if case .phase(let line) = event { lines.withLock { $0.append(line) } } }
        let model = try SelfTraining.fit(labelled, unlabeled: unlabeled, target: "y", options: options)
        let p = try #require(model.selfTraining?.pretraining, "no network was pretrained")
        #expect(p.method == "vime" && p.trials >= 1 && p.completed >= 1)
        #expect(p.bestScore != nil && p.bestScoreWithout != nil)
        #expect((0...1).contains(p.ensembleWeight))
        #expect(model.leaderboard.entries.contains { $0.summary.contains("VIME") })
        #expect(lines.current.contains { $0.hasPrefix("VIME pretraining:") }, "\(lines.current)")
        // Without unlabeled rows nothing is pretrained, and the space has no such choice.
        let plain = try AutoML.fitSynchronously(labelled, target: "y", options: options)
        #expect(plain.leaderboard.entries.allSatisfy { $0.configuration["pretrain"] == nil })
    }

    @Test("every fit of self-training keeps its cross-validation where a plain fit would trade it for a hold-out: rounds are compared on the same folds")
    func foldsAreKept() throws {
        let labelled = try Self.plane(rows: 150, seed: 31), unlabeled = try Self.plane(rows: 600, seed: 32, labelled: false)
        var options = AutoMLOptions()
        options.families = [.linear]
        options.threads = 1
        options.budget = .seconds(3)
        options.knowledge = nil
        // Any first fold "does not fit the budget": a plain fit falls back to a hold-out.
        options.policy.validation.holdOutFallbackShare = 1e-12
        let plain = try AutoML.fitSynchronously(labelled, target: "y", options: options)
        #expect(plain.validation?.scheme.contains("hold-out") == true, "\(plain.validation?.scheme ?? "none")")
        let lines = LockedBox([String]())
        options.log = { event in if case .plan(let line) = event { lines.withLock { $0.append(line) } } }
        let model = try SelfTraining.fit(labelled, unlabeled: unlabeled, target: "y", options: options)
        #expect(model.validation?.scheme == "5-fold cross-validation")
        #expect(try #require(model.selfTraining).rounds.count >= 2)
        #expect(!lines.current.contains { $0.contains("does not fit the budget") }, "\(lines.current)")
    }
}
