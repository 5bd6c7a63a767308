import Foundation
/// Counts of each level in training codes, and the lookup of an incoming column's levels.
enum Levels {
    static func counts(_ codes: [Int32], levelCount: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: levelCount)
        for c in codes where c >= 0 { counts[Int(c)] += 1 }
        return counts
    }

    /// For each level of the incoming column, its index in `index` (a known level → its position), or -1
    /// when it was not seen in training.
    /// Only the levels that `codes` use are looked up (a few rows to predict use a few of the column's levels).
    static func lookup(_ incoming: [String], used codes: [Int32], index: [String: Int]) -> [Int] {
        guard codes.count < incoming.count else { return incoming.map { index[$0] ?? -1 } }
        var map = [Int](repeating: -1, count: incoming.count)
        for c in codes where c >= 0 && Int(c) < incoming.count { map[Int(c)] = index[incoming[Int(c)]] ?? -1 }
        return map
    }

    /// The most frequent level (ties: the smallest text), or nil when there are no values.
    static func mostFrequent(_ counts: [Int], _ levels: [String]) -> String? {
        levels.indices.filter { counts[$0] > 0 }.max { a, b in
            counts[a] != counts[b] ? counts[a] < counts[b] : levels[a] > levels[b]
        }.map { levels[$0] }
    }
}

/// One 0/1 feature per frequent level. Levels seen fewer than `minCount` times in training are pooled into
/// one "other" feature, which also takes levels never seen in training. Missing values take the most frequent
/// level (and the column's missing indicator, when training had gaps).
public struct OneHotEncoder: Codable, Sendable, Equatable {
    /// Levels with a feature of their own, sorted.
    public private(set) var levels: [String]
    /// Training levels too rare for a feature of their own: they share the pooled "other" feature.
    public private(set) var rareLevels: [String]
    /// Whether there is a pooled "other" feature (rare levels existed in training).
    public var hasOther: Bool { !rareLevels.isEmpty }
    /// Fills missing values.
    public var mostFrequent: String
    public var addIndicator: Bool
    let levelIndex = LevelIndex()

    enum CodingKeys: String, CodingKey { case levels, rareLevels, mostFrequent, addIndicator }

    public static func fit(codes: [Int32], levels: [String], minCount: Int, indicators: Bool) -> OneHotEncoder {
        let counts = Levels.counts(codes, levelCount: levels.count)
        let kept = levels.indices.filter { counts[$0] >= minCount }.map { levels[$0] }
        let rare = levels.indices.filter { counts[$0] > 0 && counts[$0] < minCount }.map { levels[$0] }
        let top = Levels.mostFrequent(counts, levels) ?? ""
        return OneHotEncoder(
            levels: kept, rareLevels: rare, mostFrequent: top,
            addIndicator: indicators && codes.contains { $0 < 0 })
    }

    /// Features this encoder adds (without the missing indicator).
    public var width: Int { levels.count + (hasOther ? 1 : 0) }

    public func featureNames(column: String) -> [String] {
        levels.map { "\(column)=\($0)" } + (hasOther ? ["\(column)=(other)"] : [])
    }

    /// The hot feature of each row (-1: none), and how many rows held a level unseen in training.
    func hotIndices(codes: [Int32], levels incoming: [String]) -> (hot: [Int], unknown: Int) {
        let other = hasOther ? levels.count : -1
        // Rare training levels map to the pool; only levels never seen in training count as unknown.
        let index = Levels.lookup(incoming, used: codes, index: levelIndex.index { levels + rareLevels })
        let fillIndex = levels.firstIndex(of: mostFrequent) ?? other
        var unknown = 0
        let hot = codes.map { c -> Int in
            if c < 0 { return fillIndex }
            let k = index[Int(c)]
            if k < 0 { unknown += 1; return other }
            return k < levels.count ? k : other
        }
        return (hot, unknown)
    }
}

/// One feature: the level's rank by training frequency (0 = most frequent). Levels unseen in training get
/// the rank after the last, `levels.count`; missing values take rank 0 (the most frequent level).
public struct OrdinalEncoder: Codable, Sendable, Equatable {
    /// Training levels, most frequent first.
    public private(set) var levels: [String]
    public var addIndicator: Bool
    let levelIndex = LevelIndex()

    enum CodingKeys: String, CodingKey { case levels, addIndicator }

    public static func fit(codes: [Int32], levels: [String], indicators: Bool) -> OrdinalEncoder {
        let counts = Levels.counts(codes, levelCount: levels.count)
        let order = levels.indices.filter { counts[$0] > 0 }.sorted {
            counts[$0] != counts[$1] ? counts[$0] > counts[$1] : levels[$0] < levels[$1]
        }
        return OrdinalEncoder(levels: order.map { levels[$0] }, addIndicator: indicators && codes.contains { $0 < 0 })
    }

    func encode(codes: [Int32], levels incoming: [String]) -> (values: [Double], unknown: Int) {
        let map = Levels.lookup(incoming, used: codes, index: levelIndex.index { levels })
        var unknown = 0
        let values = codes.map { c -> Double in
            if c < 0 { return 0 }
            let k = map[Int(c)]
            if k >= 0 { return Double(k) }
            unknown += 1
            return Double(levels.count)
        }
        return (values, unknown)
    }
}

/// One feature holding the level's code, for models that split on a categorical column themselves
/// (XGBoost's categorical splits): frequent levels, sorted, get the codes `0..<levels.count`; training
/// levels too rare for a code of their own share the code `levels.count` ("other"), which also takes
/// levels never seen in training (missing when training had no rare levels). Missing values stay missing
/// (NaN), for the model to route.
public struct CategoryCodeEncoder: Codable, Sendable, Equatable {
    /// Levels with a code of their own, sorted.
    public private(set) var levels: [String]
    /// Training levels too rare for a code of their own: they share the "other" code.
    public private(set) var rareLevels: [String]
    public var hasOther: Bool { !rareLevels.isEmpty }
    let levelIndex = LevelIndex()

    enum CodingKeys: String, CodingKey { case levels, rareLevels }

    /// The codes of the levels a fitted one-hot encoder keeps, and its pool as "other".
    init(_ oneHot: OneHotEncoder) {
        levels = oneHot.levels
        rareLevels = oneHot.rareLevels
    }

    /// The code of each row (NaN: missing), and how many rows held a level unseen in training.
    func encode(codes: [Int32], levels incoming: [String]) -> (values: [Double], unknown: Int) {
        let index = Levels.lookup(incoming, used: codes, index: levelIndex.index { levels + rareLevels })
        let other = hasOther ? Double(levels.count) : .nan
        var unknown = 0
        let values = codes.map { c -> Double in
            if c < 0 { return .nan }
            let k = index[Int(c)]
            if k < 0 { unknown += 1; return other }
            return k < levels.count ? Double(k) : other
        }
        return (values, unknown)
    }
}

/// An encoder's known levels → position, built on first use and kept (each prediction used to rebuild it:
/// a one-row request paid for hashing every training level). Not part of the encoder's value: two
/// encoders are equal whatever their caches hold.
final class LevelIndex: @unchecked Sendable, Equatable {
    private let lock = NSLock()
    private var built: [String: Int]?

    /// The index of `known()` (the first position of each level), built once.
    func index(_ known: () -> [String]) -> [String: Int] {
        lock.lock(); defer { lock.unlock() }
        if let built { return built }
        var out: [String: Int] = [:]
        for (i, l) in known().enumerated() where out[l] == nil { out[l] = i }
        built = out
        return out
    }

    static func == (a: LevelIndex, b: LevelIndex) -> Bool { true }
}
