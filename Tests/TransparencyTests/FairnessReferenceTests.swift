import Foundation
import Learners
import MLData
import Testing
import TestSupport
import Transparency

/// The card's group figures against fairlearn 0.15's MetricFrame and its two differences on the same
/// predictions (fixture: scripts/make_fairness_fixtures.py).
@Suite("Group figures against fairlearn")
struct FairnessReferenceTests {
    struct Fixture: Decodable {
        struct Group: Decodable {
            var selection_rate: Double
            var tpr: Double
            var fpr: Double
            var accuracy: Double
            var roc_auc: Double
            var count: Int
        }
        var group: [String]
        var y: [Int]
        var p: [Double]
        var groups: [String: Group]
        var demographic_parity_difference: Double
        var equalized_odds_difference: Double
    }

    @Test("per-group selection rate, TPR, FPR, accuracy and ROC AUC, and the demographic-parity and equalized-odds differences, as fairlearn computes them")
    func matchesFairlearn() throws {
        let f = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: Fixtures.url("fairness_references.json")))
        let figures = OutcomeFigures.measure(.probabilities(f.p.flatMap { [1 - $0, $0] }, classes: 2), .classes(f.y, classCount: 2),
                                             groups: ("group", f.group))
        let g = try #require(figures.groups)
        #expect(g.groups.map(\.group) == ["a", "b", "c"])
        for mine in g.groups {
            let theirs = try #require(f.groups[mine.group])
            #expect(mine.count == theirs.count)
            for (key, value) in [("selection_rate", theirs.selection_rate), ("tpr", theirs.tpr), ("fpr", theirs.fpr),
                                 ("accuracy", theirs.accuracy), ("roc_auc", theirs.roc_auc)] {
                #expect(abs((mine.metrics[key] ?? .nan) - value) < 1e-12, "group \(mine.group) \(key): \(mine.metrics[key] ?? .nan) against \(value)")
            }
        }
        #expect(abs((g.demographicParityDifference ?? .nan) - f.demographic_parity_difference) < 1e-12)
        #expect(abs((g.equalizedOddsDifference ?? .nan) - f.equalized_odds_difference) < 1e-12)
    }
}
