import Foundation
import Learners
import MLData
import Testing
import Transparency

/// Permutation importance and partial dependence against models whose answer is known.
@Suite("Explanations")
struct ExplainTests {
    /// y = 3a, b is noise the "model" ignores.
    func table(_ n: Int) throws -> (DataFrame, TargetValues) {
        let a = (0..<n).map { Double($0) / Double(n) }
        let b = (0..<n).map { Double(($0 * 7919) % 101) }
        return (try DataFrame(columns: [Column(name: "a", storage: .double(a)), Column(name: "b", storage: .double(b))]), .values(a.map { 3 * $0 }))
    }

    func model(_ frame: DataFrame) throws -> Predictions { .values(try frame.column(named: "a").doubles!.map { 3 * $0 }) }

    @Test("a column the model ignores has importance 0 exactly; the one it uses loses about 2 in R² when shuffled")
    func importance() throws {
        let (x, y) = try table(500)
        let imp = try PermutationImportance.measure(x, target: y, columns: ["a", "b"], metric: .r2, repeats: 4, seed: 1,
                                                    source: "test", predict: model)
        #expect(imp.repeats == 4 && imp.baseline == 1)
        #expect(imp.columns.map(\.column) == ["a", "b"])
        let b = imp.columns[1]
        #expect(b.mean == 0 && b.std == 0 && b.low == 0 && b.high == 0)
        // Shuffling a perfect predictor's input: R² = 1 − E[(a − a')²]/Var(a) ≈ 1 − 2 = −1, a drop of about 2.
        #expect(abs(imp.columns[0].mean - 2) < 0.3)
        #expect(imp.columns[0].low <= imp.columns[0].mean && imp.columns[0].mean <= imp.columns[0].high)
        // Seeded: the same call gives the same numbers.
        let again = try PermutationImportance.measure(x, target: y, columns: ["a", "b"], metric: .r2, repeats: 4, seed: 1, source: "test", predict: model)
        #expect(again.columns[0].mean == imp.columns[0].mean)
    }

    @Test("a deadline already passed still gives the minimum number of whole rounds")
    func deadline() throws {
        let (x, y) = try table(100)
        let imp = try PermutationImportance.measure(x, target: y, columns: ["a", "b"], metric: .r2, repeats: 5, seed: 1, source: "test",
                                                    minimumRepeats: 2, deadline: .now - .seconds(1), predict: model)
        #expect(imp.repeats == 2)
    }

    @Test("partial dependence of y = 3a on a is 3 × the grid; on a column the model ignores it is flat")
    func dependence() throws {
        let (x, _) = try table(200)
        let a = try #require(try PartialDependence.curve(x, column: "a", points: 5, outputs: ["y"], predict: model))
        #expect(a.values?.count == 5)
        for (g, m) in zip(a.values!, a.series[0].mean) { #expect(abs(m - 3 * g) < 1e-12) }
        let b = try #require(try PartialDependence.curve(x, column: "b", points: 5, outputs: ["y"], predict: model))
        #expect(Set(b.series[0].mean.map { ($0 * 1e9).rounded() }).count == 1)
    }

    @Test("partial dependence over levels: the most frequent levels, each set on every row; a binary model shows the positive class")
    func levels() throws {
        let codes: [Int32] = [0, 0, 0, 1, 1, 2]
        let x = try DataFrame(columns: [Column(name: "c", storage: .categorical(codes: codes, levels: ["p", "q", "r"]))])
        let curve = try #require(try PartialDependence.curve(x, column: "c", points: 2, outputs: ["p(yes)"]) { frame in
            guard case .categorical(let c, _) = try frame.column(named: "c").storage else { return .values([]) }
            return .probabilities(c.flatMap { [1 - Double($0) / 4, Double($0) / 4] }, classes: 2)
        })
        #expect(curve.grid == ["p", "q"])
        #expect(curve.values == nil)
        #expect(curve.series.map(\.name) == ["p(yes)"] && curve.series[0].mean == [0, 0.25])
    }
}
