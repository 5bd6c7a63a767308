import MLData
import Support

/// The training table as a card describes it: each column's profile, the class balance or the target's
/// spread, and what a test file's drift is later measured against (deciles, level shares, levels).
public struct DataProfiler: Sendable {
    public var policy: CardPolicy

    public init(policy: CardPolicy = .standard) { self.policy = policy }

    public func profile(_ full: DataFrame, target: String, seed: UInt64) -> DataEvidence {
        var frame = full
        let limit = min(policy.profileRows, max(policy.profileMinimumRows, policy.profileValues / max(1, full.columnCount)))
        if full.rowCount > limit {
            var rng = SeededGenerator(seed: seed &+ 0x9F0F)
            var rows = Array(0..<full.rowCount)
            rows.seededShuffle(using: &rng)
            frame = full.selecting(rows: Array(rows.prefix(limit)).sorted())
        }
        var out = DataEvidence(rows: full.rowCount, profiledRows: frame.rowCount, target: target,
                               columns: frame.columns.map { ColumnProfile(column: $0) })
        for column in frame.columns where column.name != target {
            switch column.storage {
            case .double, .float:
                let sorted = (column.doubles ?? []).filter(\.isFinite).sorted()
                out.bins[column.name] = NumericBins(sorted: sorted)
            case .categorical(let codes, let levels):
                var counts = [Int](repeating: 0, count: levels.count)
                for c in codes where c >= 0 { counts[Int(c)] += 1 }
                let total = Double(max(1, counts.reduce(0, +)))
                let top = counts.indices.filter { counts[$0] > 0 }.sorted { counts[$0] > counts[$1] }.prefix(policy.driftLevels)
                out.levelShares[column.name] = Dictionary(uniqueKeysWithValues: top.map { (levels[$0], Double(counts[$0]) / total) })
                // (The whole table's levels: a sample may miss rare ones, which a test file would then show as unseen.)
                if case .categorical(_, let all)? = full[column.name]?.storage, all.count <= policy.levelsKept { out.levels[column.name] = all }
            case .boolean(let v):
                let known = v.filter { $0 >= 0 }
                let share = Double(known.filter { $0 == 1 }.count) / Double(max(1, known.count))
                out.levelShares[column.name] = ["true": share, "false": 1 - share]
            case .missing:
                break
            }
        }
        return out
    }
}
