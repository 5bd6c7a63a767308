import MLData
import Testing
import TestSupport

@Suite("Splits")
struct SplitTests {
    let labels: [Int] = (0..<1000).map { $0 % 10 < 7 ? 0 : ($0 % 10 < 9 ? 1 : 2) }  // 70% / 20% / 10%

    @Test("Stratified hold-out keeps class shares and covers every row once")
    func holdout() throws {
        var rng = SeededGenerator(seed: 1)
        let (train, test) = try Splits.holdout(count: 1000, testFraction: 0.25, stratify: labels, using: &rng)
        #expect(Set(train).isDisjoint(with: test))
        #expect(train.count + test.count == 1000)
        #expect(test.count == 250)
        let shares = (0..<3).map { c in Double(test.filter { labels[$0] == c }.count) / Double(test.count) }
        #expect(abs(shares[0] - 0.7) < 0.01 && abs(shares[1] - 0.2) < 0.01 && abs(shares[2] - 0.1) < 0.01)
    }

    @Test("The same seed gives the same split; another seed a different one")
    func seeded() throws {
        var a = SeededGenerator(seed: 9), b = SeededGenerator(seed: 9), c = SeededGenerator(seed: 10)
        let s1 = try Splits.kFold(count: 100, folds: 5, stratify: Array(labels.prefix(100)), using: &a)
        let s2 = try Splits.kFold(count: 100, folds: 5, stratify: Array(labels.prefix(100)), using: &b)
        let s3 = try Splits.kFold(count: 100, folds: 5, stratify: Array(labels.prefix(100)), using: &c)
        #expect(s1 == s2)
        #expect(s1 != s3)
    }

    @Test("k-fold validates every row exactly once, stratified", arguments: [2, 3, 5, 10])
    func kFold(k: Int) throws {
        var rng = SeededGenerator(seed: 4)
        let folds = try Splits.kFold(count: 1000, folds: k, stratify: labels, using: &rng)
        #expect(folds.count == k)
        #expect(folds.flatMap(\.validation).sorted() == Array(0..<1000))
        for f in folds {
            #expect(Set(f.train).isDisjoint(with: f.validation))
            #expect(f.train.count + f.validation.count == 1000)
            let rare = f.validation.filter { labels[$0] == 2 }.count
            #expect(abs(rare - 100 / k) <= 1)
        }
    }

    @Test("Unstratified k-fold sizes differ by at most one; bad arguments are errors")
    func plainAndErrors() throws {
        var rng = SeededGenerator(seed: 5)
        let folds = try Splits.kFold(count: 23, folds: 4, using: &rng)
        let sizes = folds.map(\.validation.count)
        #expect(sizes.max()! - sizes.min()! <= 1)
        #expect(throws: DataError.self) { try Splits.kFold(count: 3, folds: 4, using: &rng) }
        #expect(throws: DataError.self) { try Splits.kFold(count: 10, folds: 1, using: &rng) }
        #expect(throws: DataError.self) { try Splits.holdout(count: 10, testFraction: 1.5, using: &rng) }
    }

    @Test("The generator's stream is fixed (other platforms and Swift versions give the same numbers)")
    func generatorStream() {
        var g = SeededGenerator(seed: 0)
        let first = (0..<3).map { _ in g.next() }
        // xoshiro256** seeded by SplitMix64(0): values from an independent Python port of the reference C code.
        #expect(first == [0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A, 0x1A5F_849D_4933_E6E0])
        var h = SeededGenerator(seed: 0)
        let draws = (0..<10_000).map { _ in h.uniform(below: 7) }
        #expect(Set(draws) == Set(0..<7))
    }
}
