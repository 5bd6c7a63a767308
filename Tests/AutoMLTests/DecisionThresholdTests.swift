import AutoML
import Foundation
import Learners
import Support
import Testing

/// The decision threshold of a ranking metric: Platt's map on the validation predictions, kept only
/// where it decides them more accurately than the more probable class.
@Suite("Decision threshold (a metric that only ranks)")
struct DecisionThresholdTests {
    /// Scores that rank well but all lie under 0.5 (a boosted model of few, shrunk trees): positives
    /// around 0.42, negatives around 0.34.
    static func shrunk(rows: Int, seed: UInt64) -> (p: [Double], truth: [Bool]) {
        var rng = SeededGenerator(seed: seed)
        var p: [Double] = [], truth: [Bool] = []
        for _ in 0..<rows {
            let positive = Double.random(in: 0..<1, using: &rng) < 0.4
            p.append((positive ? 0.42 : 0.34) + Double.random(in: -0.05..<0.05, using: &rng))
            truth.append(positive)
        }
        return (p, truth)
    }

    @Test("scores under 0.5 that rank well: the threshold falls between the classes and decides them")
    func shrunkScores() throws {
        let s = Self.shrunk(rows: 600, seed: 3)
        let t = try #require(DecisionThreshold.fit(s.p, truth: s.truth))
        #expect(t.threshold > 0.34 && t.threshold < 0.42, "\(t.threshold)")
        #expect(t.slope > 0 && t.rows == 600)
        let accuracy = Double(zip(s.p, s.truth).filter { t.isPositive($0) == $1 }.count) / 600
        #expect(abs(accuracy - t.accuracyAfter) < 1e-12)
        #expect(t.accuracyBefore == Double(s.truth.filter { !$0 }.count) / 600, "at 0.5 every row is negative")
        #expect(t.accuracyAfter > 0.75, "\(t.accuracyAfter)")
    }

    @Test("a perfect ranking (the classes separated) still gives a finite map and a threshold in the gap")
    func separated() throws {
        let low: [Double] = (0..<50).map { 0.30 + Double($0) * 0.001 }
        let high: [Double] = (0..<30).map { 0.40 + Double($0) * 0.001 }
        let p = low + high
        let truth = [Bool](repeating: false, count: 50) + [Bool](repeating: true, count: 30)
        let t = try #require(DecisionThreshold.fit(p, truth: truth))
        #expect(t.threshold > 0.349 && t.threshold <= 0.40, "\(t.threshold)")
        #expect(t.slope.isFinite && t.intercept.isFinite && t.accuracyAfter == 1)
    }

    @Test("none where 0.5 decides as well, where one class is missing, or where the scores rank backwards")
    func none() {
        let p = [0.1, 0.2, 0.3, 0.7, 0.8, 0.9], truth = [false, false, false, true, true, true]
        #expect(DecisionThreshold.fit(p, truth: truth) == nil, "0.5 is already perfect")
        #expect(DecisionThreshold.fit(p, truth: [Bool](repeating: true, count: 6)) == nil)
        let backwards = Self.shrunk(rows: 300, seed: 5)
        #expect(DecisionThreshold.fit(backwards.p, truth: backwards.truth.map { !$0 }) == nil)
        #expect(DecisionThreshold.fit([], truth: []) == nil)
    }

    @Test("only ROC AUC ranks; a model folder keeps the threshold")
    func ranksOnly() throws {
        #expect(ValidationMetric.allCases.filter(\.ranksOnly) == [.rocAUC])
        #expect(SearchPolicy.standard.ensemble.thresholdsRankedDecisions)
        let s = Self.shrunk(rows: 200, seed: 9)
        let t = try #require(DecisionThreshold.fit(s.p, truth: s.truth))
        let copy = try JSONDecoder().decode(DecisionThreshold.self, from: JSONEncoder().encode(t))
        #expect(copy == t)
    }
}
