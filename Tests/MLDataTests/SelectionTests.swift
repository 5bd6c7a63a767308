import MLData
import Support
import Testing

/// Quickselect and the median against a full sort; the preprocessing paths rewritten for speed against
/// their plain definitions.
@Suite struct SelectionTests {
    @Test func selectPutsTheSortedValueAtEveryIndex() {
        var rng = SeededGenerator(seed: 3)
        for n in [1, 2, 3, 16, 17, 18, 100, 1_001] {
            for distinct in [2, 10, 1_000_000] {  // many ties, some, none
                let values = (0..<n).map { _ in Double(Int.random(in: 0..<distinct, using: &rng)) }
                let sorted = values.sorted()
                for k in Set([0, n / 2, n - 1, Int.random(in: 0..<n, using: &rng)]) {
                    var v = values
                    Selection.select(&v, k)
                    #expect(v[k] == sorted[k], "n \(n), distinct \(distinct), k \(k)")
                    #expect(v[..<k].allSatisfy { $0 <= v[k] } && v[(k + 1)...].allSatisfy { $0 >= v[k] })
                    #expect(v.sorted() == sorted, "a permutation of the input")
                }
            }
        }
    }

    @Test func medianOfOddEvenAndNoValues() {
        var odd = [5.0, 1, 4, 2, 3]
        #expect(Selection.median(&odd) == 3)
        var even = [8.0, 1, 7, 2]
        #expect(Selection.median(&even) == 4.5)
        var none: [Double] = []
        #expect(Selection.median(&none) == nil)
        var rng = SeededGenerator(seed: 4)
        let long = (0..<10_000).map { _ in Double.random(in: -1...1, using: &rng) }
        let s = long.sorted()
        var copy = long
        #expect(Selection.median(&copy) == (s[4_999] + s[5_000]) / 2)
    }

    @Test func scalerMatchesItsDefinition() {
        var rng = SeededGenerator(seed: 5)
        let rows = 300, columns = 7
        let values = (0..<(rows * columns)).map { i in i % 11 == 0 ? Double.nan : Double.random(in: -50...50, using: &rng) * Double(i % columns + 1) }
        var m = FeatureMatrix(rows: rows, columns: columns, values: values, names: (0..<columns).map { "f\($0)" })
        let skip = (0..<columns).map { $0 == 3 }
        let scaler = StandardScaler.fit(m, skip: skip)
        for c in 0..<columns where !skip[c] {
            let col = (0..<rows).map { values[$0 * columns + c] }.filter { !$0.isNaN }
            let mean = col.reduce(0, +) / Double(col.count)
            let variance = col.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(col.count)
            #expect(scaler.means[c] == mean && scaler.scales[c] == variance.squareRoot())
        }
        #expect(scaler.means[3] == 0 && scaler.scales[3] == 1)
        scaler.apply(to: &m)
        #expect(m.values[1] == (values[1] - scaler.means[1]) / scaler.scales[1])
        #expect(m.values[3] == values[3], "a skipped feature is left alone")
    }

    @Test("A copy is found on a long table, and a column differing in a row the fingerprint skips is not one")
    func copiesBeyondTheFingerprintRows() throws {
        let n = 10_000
        let a = (0..<n).map { Double($0 % 97) }
        var b = a
        b[1] = 1_000  // the fingerprint looks at rows 0, 39, 78, …
        #expect(ColumnScreen.fingerprint(Column(name: "a", storage: .double(a))) == ColumnScreen.fingerprint(Column(name: "b", storage: .double(b))))
        let columns = [Column(name: "a", storage: .double(a)), Column(name: "b", storage: .double(b)), Column(name: "c", storage: .double(a))]
        #expect(ColumnScreen.duplicates(in: columns) == ["c": "a"])
    }
}
