/// Replaces a level by the smoothed mean of the target over the training rows with that level
/// (Micci-Barreca 2001): `(sum + m · prior) / (count + m)`. Regression and binary targets give one feature;
/// a multiclass target gives one feature per class (the level's class frequencies). Unseen levels get the
/// prior; missing values get the most frequent level's encoding.
///
/// Used on training rows, plain target encoding leaks the target; `crossFitted` encodes each training row
/// with statistics from the other folds only, and `fit` on all training rows serves new data.
public struct TargetEncoder: Codable, Sendable, Equatable {
    public private(set) var levels: [String]
    /// `encodings[k]` holds `width` values for `levels[k]`.
    public var encodings: [[Double]]
    public var prior: [Double]
    /// Encoding used for missing values.
    public var fill: [Double]
    public var addIndicator: Bool
    public var smoothing: Double
    let levelIndex = LevelIndex()

    enum CodingKeys: String, CodingKey { case levels, encodings, prior, fill, addIndicator, smoothing }

    public var width: Int { prior.count }

    public static func fit(
        codes: [Int32], levels: [String], target: TargetValues, rows: [Int]? = nil,
        smoothing: Double, indicators: Bool
    ) -> TargetEncoder {
        let width: Int
        switch target {
        case .values: width = 1
        case .classes(_, let k): width = k <= 2 ? 1 : k
        }
        // Flat sums, one pass, no per-row allocation; each sum still adds its rows in order (a one-hot
        // target adds only its 1: the zeros it skips change no sum), so the encodings are as before.
        var sums = [Double](repeating: 0, count: levels.count * width)
        var counts = [Double](repeating: 0, count: levels.count)
        var total = [Double](repeating: 0, count: width)
        var n = 0.0
        var levelCounts = [Int](repeating: 0, count: levels.count)
        var anyMissing = false
        func accumulate<S: Sequence<Int>>(_ rows: S) {
            switch target {
            case .values(let v):
                for r in rows {
                    let c = Int(codes[r])
                    if c >= 0 { levelCounts[c] += 1 } else { anyMissing = true }
                    let y = v[r]
                    guard !y.isNaN else { continue }
                    total[0] += y
                    n += 1
                    if c >= 0 { counts[c] += 1; sums[c] += y }
                }
            case .classes(let labels, _):
                for r in rows {
                    let c = Int(codes[r])
                    if c >= 0 { levelCounts[c] += 1 } else { anyMissing = true }
                    let k = labels[r]
                    guard k >= 0 else { continue }
                    let slot = width == 1 ? 0 : k
                    let y: Double = width == 1 && k != 1 ? 0 : 1
                    total[slot] += y
                    n += 1
                    if c >= 0 { counts[c] += 1; sums[c * width + slot] += y }
                }
            }
        }
        if let rows { accumulate(rows) } else { accumulate(codes.indices) }
        let prior = total.map { n > 0 ? $0 / n : 0 }
        let encodings = levels.indices.map { k in
            (0..<width).map { w in (sums[k * width + w] + smoothing * prior[w]) / (counts[k] + smoothing) }
        }
        let top = Levels.mostFrequent(levelCounts, levels)
        let fill = top.flatMap { levels.firstIndex(of: $0) }.map { encodings[$0] } ?? prior
        return TargetEncoder(
            levels: levels, encodings: encodings, prior: prior, fill: fill,
            addIndicator: indicators && anyMissing, smoothing: smoothing)
    }

    /// Row-major `width` values per row, and how many rows held a level unseen in training.
    func encode(codes: [Int32], levels incoming: [String]) -> (values: [Double], unknown: Int) {
        let map = Levels.lookup(incoming, used: codes, index: levelIndex.index { levels })
        var out: [Double] = []
        out.reserveCapacity(codes.count * width)
        var unknown = 0
        for c in codes {
            if c < 0 { out.append(contentsOf: fill); continue }
            let k = map[Int(c)]
            if k >= 0 { out.append(contentsOf: encodings[k]) } else { unknown += 1; out.append(contentsOf: prior) }
        }
        return (out, unknown)
    }

    /// Out-of-fold encodings of every row: rows in `folds[f]` are encoded by statistics of the other rows.
    static func crossFitted(
        codes: [Int32], levels: [String], target: TargetValues, folds: [[Int]], smoothing: Double
    ) -> [Double] {
        let probe = fit(codes: codes, levels: levels, target: target, rows: [], smoothing: smoothing, indicators: false)
        let width = probe.width
        var out = [Double](repeating: 0, count: codes.count * width)
        var inFold = [Int](repeating: -1, count: codes.count)
        for (f, rows) in folds.enumerated() { for r in rows { inFold[r] = f } }
        for (f, validation) in folds.enumerated() {
            let training = codes.indices.filter { inFold[$0] != f }
            let enc = fit(codes: codes, levels: levels, target: target, rows: training, smoothing: smoothing, indicators: false)
            let (values, _) = enc.encode(codes: validation.map { codes[$0] }, levels: levels)
            for (i, r) in validation.enumerated() {
                for w in 0..<width { out[r * width + w] = values[i * width + w] }
            }
        }
        return out
    }
}
