import Foundation
import Learners
import MLData
import Testing
import Transparency

/// The card's figures computed by hand on small examples.
@Suite("Model card figures")
struct FiguresTests {
    @Test("group figures: selection rate, true- and false-positive rates and the two differences, as fairlearn defines them")
    func groups() {
        // Rows: group, truth, P(class 1). Predicted label: the more probable class.
        let rows: [(String, Int, Double)] = [
            ("a", 1, 0.9), ("a", 1, 0.4), ("a", 0, 0.7), ("a", 0, 0.2),
            ("b", 1, 0.8), ("b", 1, 0.6), ("b", 0, 0.1), ("b", 0, 0.3), ("b", 0, 0.55),
        ]
        let p = Predictions.probabilities(rows.flatMap { [1 - $0.2, $0.2] }, classes: 2)
        let t = TargetValues.classes(rows.map(\.1), classCount: 2)
        let f = OutcomeFigures.measure(p, t, groups: ("g", rows.map(\.0)))
        let g = try! #require(f.groups)
        #expect(g.groups.map(\.group) == ["a", "b"])
        let a = g.groups[0].metrics, b = g.groups[1].metrics
        // a: predicted 1 for rows 0 and 2 → selection 2/4; TPR 1/2; FPR 1/2.  b: predicted 1 for 0, 1, 4 → 3/5; TPR 2/2; FPR 1/3.
        #expect(a["selection_rate"] == 0.5 && a["tpr"] == 0.5 && a["fpr"] == 0.5)
        #expect(b["selection_rate"] == 0.6 && b["tpr"] == 1 && abs(b["fpr"]! - 1.0 / 3) < 1e-12)
        #expect(abs(g.demographicParityDifference! - 0.1) < 1e-12)
        #expect(abs(g.equalizedOddsDifference! - 0.5) < 1e-12)
        #expect(a["accuracy"] == 0.5 && abs(b["accuracy"]! - 0.8) < 1e-12)
        #expect(f.confusion == [[3, 2], [1, 3]])
    }

    @Test("calibration bins hold the mean prediction and the observed share; empty bins are left out")
    func calibration() {
        let bins = OutcomeFigures.calibration([(0.05, 0), (0.08, 1), (0.92, 1), (0.95, 1), (0.99, 0)], bins: 10)
        #expect(bins.count == 2)
        #expect(abs(bins[0].meanPredicted - 0.065) < 1e-12 && bins[0].observed == 0.5 && bins[0].count == 2)
        #expect(abs(bins[1].observed - 2.0 / 3) < 1e-12 && bins[1].count == 3)
    }

    @Test("regression figures: metrics, residual histogram over every row, a seeded scatter sample")
    func regression() {
        let y = (0..<1000).map { Double($0) }
        let v = y.map { $0 + ($0.truncatingRemainder(dividingBy: 2) == 0 ? 1 : -1) }
        let f = OutcomeFigures.measure(.values(v), .values(y))
        #expect(f.metrics["mae"] == 1 && f.metrics["rmse"] == 1)
        #expect(f.residualBins?.map(\.count).reduce(0, +) == 1000)
        #expect(f.scatter?.count == CardPolicy.standard.scatterPoints)
        #expect(f.scatter == OutcomeFigures.measure(.values(v), .values(y)).scatter)
    }

    @Test("drift: bins at distinct deciles keep ties' real shares, so the same data has no drift and a shift has a large PSI")
    func drift() throws {
        let values = (0..<1000).map { Double($0 % 10 == 0 ? 5 : 0) }  // 90% zeros: deciles tie
        let bins = try #require(NumericBins(sorted: values.sorted()))
        // The lowest decile is 0: below it an empty bin; then the zeros, then the fives.
        #expect(bins.edges == [0, 5])
        #expect(bins.shares == [0, 0.9, 0.1])
        let training = DataProfiler().profile(try DataFrame(columns: [Column(name: "x", storage: .double(values)),
                                                                      Column(name: "y", storage: .double(values))]), target: "y", seed: 0)
        var same = TestEvidence(file: "t", outcome: OutcomeFigures(rows: 0, metrics: [:]))
        same.compare(try DataFrame(columns: [Column(name: "x", storage: .double(values))]), with: training, inputs: ["x"])
        #expect(same.drift.first.map { abs($0.psi) < 1e-12 } == true)
        var shifted = same
        shifted.compare(try DataFrame(columns: [Column(name: "x", storage: .double(values.map { $0 + 7 }))]), with: training, inputs: ["x"])
        #expect((shifted.drift.first?.psi ?? 0) > 1)
        #expect(shifted.rowsOutsideRange == 1000)  // 7 and 12, above the training maximum 5
    }

    @Test("a wide table is profiled on fewer rows: at most profileValues values, never under profileMinimumRows rows")
    func wideProfile() throws {
        var policy = CardPolicy()
        policy.profileValues = 10_000
        policy.profileMinimumRows = 300
        func frame(rows: Int, columns: Int) throws -> DataFrame {
            try DataFrame(columns: (0..<columns).map { c in Column(name: "x\(c)", storage: .double((0..<rows).map { Double(($0 * 7 + c) % 101) })) })
        }
        let profiler = DataProfiler(policy: policy)
        let narrow = profiler.profile(try frame(rows: 2_000, columns: 4), target: "x0", seed: 0)
        #expect(narrow.rows == 2_000 && narrow.profiledRows == 2_000)
        let wide = profiler.profile(try frame(rows: 2_000, columns: 20), target: "x0", seed: 0)
        #expect(wide.rows == 2_000 && wide.profiledRows == 500)
        #expect(wide.bins.count == 19)
        let wider = profiler.profile(try frame(rows: 2_000, columns: 100), target: "x0", seed: 0)
        #expect(wider.profiledRows == 300)
    }

    @Test("unseen levels are counted against every training level")
    func unseenLevels() throws {
        let train = try DataFrame(columns: [Column(name: "c", storage: .categorical(codes: [0, 1, 1, 0], levels: ["a", "b"])),
                                            Column(name: "y", storage: .double([1, 2, 3, 4]))])
        let evidence = DataProfiler().profile(train, target: "y", seed: 0)
        var t = TestEvidence(file: "t", outcome: OutcomeFigures(rows: 0, metrics: [:]))
        t.compare(try DataFrame(columns: [Column(name: "c", storage: .categorical(codes: [0, 1, 2, -1], levels: ["a", "b", "z"]))]), with: evidence, inputs: ["c"])
        #expect(t.rowsWithUnseenLevels == 1)
    }
}
