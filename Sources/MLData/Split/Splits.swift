/// One fold of a cross-validation: rows to train on and rows to validate on.
public struct Fold: Sendable, Equatable, Codable {
    public var train: [Int]
    public var validation: [Int]

    public init(train: [Int], validation: [Int]) {
        self.train = train
        self.validation = validation
    }
}

/// Seeded hold-out and k-fold splits of row indices, stratified by class when labels are given.
///
/// Stratification keeps each class's share close to the whole table's in every part: each class's rows are
/// shuffled and then dealt out separately. Rows with label -1 (missing) form a group of their own.
/// Results depend only on the generator's stream, so one seed gives the same split on every platform.
public enum Splits {
    /// Splits `count` rows into training and test rows, `testFraction` of them (rounded) for test.
    public static func holdout(
        count: Int, testFraction: Double, stratify labels: [Int]? = nil,
        using rng: inout some RandomNumberGenerator
    ) throws -> (train: [Int], test: [Int]) {
        guard count >= 2 else {
            throw DataError.invalidArgument("a hold-out split needs at least 2 rows; the data has \(count)")
        }
        guard testFraction > 0, testFraction < 1 else {
            throw DataError.invalidArgument("the test fraction must lie strictly between 0 and 1; got \(testFraction)")
        }
        if let labels { precondition(labels.count == count, "holdout: one label per row") }
        var test: [Int] = []
        var train: [Int] = []
        for var group in groups(count: count, labels: labels) {
            group.seededShuffle(using: &rng)
            let k = Int((Double(group.count) * testFraction).rounded())
            test += group[..<k]
            train += group[k...]
        }
        // Tiny data: never leave a side empty.
        if test.isEmpty { test.append(train.removeLast()) }
        if train.isEmpty { train.append(test.removeLast()) }
        return (train.sorted(), test.sorted())
    }

    /// `k` folds over `count` rows; every row is validated exactly once.
    public static func kFold(
        count: Int, folds k: Int, stratify labels: [Int]? = nil,
        using rng: inout some RandomNumberGenerator
    ) throws -> [Fold] {
        guard k >= 2 else { throw DataError.invalidArgument("k-fold needs at least 2 folds; got \(k)") }
        guard k <= count else {
            throw DataError.invalidArgument("k-fold with \(k) folds needs at least \(k) rows; the data has \(count)")
        }
        if let labels { precondition(labels.count == count, "kFold: one label per row") }
        var validation = [[Int]](repeating: [], count: k)
        var next = 0
        for var group in groups(count: count, labels: labels) {
            group.seededShuffle(using: &rng)
            for row in group {
                validation[next].append(row)
                next = (next + 1) % k
            }
        }
        var foldOf = [Int](repeating: 0, count: count)
        for (f, rows) in validation.enumerated() { for r in rows { foldOf[r] = f } }
        return validation.enumerated().map { f, v in
            Fold(train: (0..<count).filter { foldOf[$0] != f }, validation: v.sorted())
        }
    }

    /// Row indices grouped by label (one group without labels), groups in label order.
    private static func groups(count: Int, labels: [Int]?) -> [[Int]] {
        guard let labels else { return [Array(0..<count)] }
        var byLabel: [Int: [Int]] = [:]
        for (i, l) in labels.enumerated() { byLabel[l, default: []].append(i) }
        return byLabel.keys.sorted().compactMap { byLabel[$0] }
    }
}
