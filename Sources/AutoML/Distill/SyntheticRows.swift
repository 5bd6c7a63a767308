import Foundation
import MLData
import Support
import Tensor

/// How distillation makes rows for the teacher to label beyond the table's own.
public enum SyntheticSampler: String, Codable, Sendable, CaseIterable {
    /// MUNGE (Buciluǎ et al., 2006): a row whose attributes are each, with probability p, taken from its
    /// nearest neighbour's — categories swapped, numbers drawn near the neighbour's value — so that new
    /// rows stay where the data is and keep its columns' dependencies.
    case munge
    /// Each column's value from a random row, independently: the columns' marginals without their
    /// dependencies (the simpler sampler the benchmark compares MUNGE with).
    case resample
    /// No synthetic rows: the student learns the teacher's labels of the table's rows only.
    case none
}

/// Synthetic rows made from a table's input columns.
public struct SyntheticRows: Sendable {
    /// The rows, with the table's columns; `target` (when named) holds no values.
    public var frame: DataFrame
    /// For each row, the table rows it was made from (none for a resampled row: its values come from
    /// different rows independently).
    public var sources: [[Int]]

    /// `count` rows made from `table` by `sampler`; the column `target` is left empty.
    public static func make(from table: DataFrame, target: String?, count: Int, sampler: SyntheticSampler,
                            policy: DistillationPolicy = .standard, seed: UInt64) -> SyntheticRows {
        let n = table.rowCount
        guard count > 0, n >= 2, sampler != .none else {
            return SyntheticRows(frame: table.selecting(rows: []), sources: [])
        }
        var rng = SeededGenerator(seed: seed)
        let inputs = table.columns.indices.filter { table.columns[$0].name != target }
        // Each table row seeds rows in turn (in a seeded order), so that they spread over the table.
        var order = Array(0..<n)
        order.seededShuffle(using: &rng)
        let seeds = (0..<count).map { order[$0 % n] }
        var picks = [[Int]](repeating: seeds, count: table.columnCount)  // per column: the row each value comes from
        var sources: [[Int]]
        var perturbed: [(column: Int, row: Int, from: Int)] = []
        switch sampler {
        case .resample:
            for c in inputs { picks[c] = (0..<count).map { _ in rng.uniform(below: n) } }
            // Each value from another row: the row copies none, and may train every fold.
            sources = Array(repeating: [], count: count)
        case .munge:
            let neighbour = nearestNeighbours(table, inputs: inputs, rows: Array(Set(seeds)).sorted(), policy: policy, seed: seed)
            sources = seeds.map { [$0, neighbour[$0]!].sorted() }
            for i in 0..<count {
                let b = neighbour[seeds[i]]!
                for c in inputs where rng.unitDouble() < policy.mungeSwapProbability {
                    picks[c][i] = b
                    if table.columns[c].type == .numeric { perturbed.append((c, i, seeds[i])) }
                }
            }
        case .none:
            sources = []
        }
        var columns = table.columns.indices.map { c -> Column in
            let column = table.columns[c].selecting(rows: picks[c])
            return inputs.contains(c) ? column : Column(name: column.name, storage: column.storage.missingLike(count: count))
        }
        // MUNGE's numbers: drawn from a normal around the neighbour's value, σ = |a − b| / s.
        if !perturbed.isEmpty {
            var values = [Int: [Double]]()
            for (c, i, a) in perturbed {
                if values[c] == nil { values[c] = columns[c].doubles ?? [] }
                let x = table.columns[c].numericValue(a), y = values[c]![i]
                guard x.isFinite, y.isFinite, x != y else { continue }
                values[c]![i] = y + normal(using: &rng) * abs(x - y) / policy.mungeSpread
            }
            for (c, v) in values {
                if case .float = columns[c].storage {
                    columns[c].storage = .float(v.map { Float($0) })
                } else {
                    columns[c].storage = .double(v)
                }
            }
        }
        return SyntheticRows(frame: (try? DataFrame(columns: columns)) ?? table.selecting(rows: []), sources: sources)
    }

    /// A standard normal draw (Box–Muller).
    package static func normal(using rng: inout some RandomNumberGenerator) -> Double {
        let u = max(rng.unitDouble(), 1e-300), v = rng.unitDouble()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }

    /// Each of `rows`' nearest other row among a seeded pool of at most `policy.neighbourPool` rows:
    /// numbers standardised (a missing one at the mean), a category or true / false differing counts as 1.
    package static func nearestNeighbours(_ table: DataFrame, inputs: [Int], rows: [Int], policy: DistillationPolicy,
                                  seed: UInt64) -> [Int: Int] {
        let n = table.rowCount
        var rng = SeededGenerator(seed: seed &+ 0x6e65_6967)
        var pool = Array(0..<n)
        if n > policy.neighbourPool {
            pool.seededShuffle(using: &rng)
            pool = Array(pool.prefix(policy.neighbourPool)).sorted()
        }
        var numeric: [[Double]] = []   // standardised, per column
        var codes: [[Int32]] = []      // categories and booleans, per column
        for c in inputs {
            let column = table.columns[c]
            switch column.storage {
            case .categorical(let k, _): codes.append(k)
            case .boolean(let b): codes.append(b.map { Int32($0) })
            case .missing: continue
            case .double, .float:
                let v = column.doubles ?? []
                let finite = v.filter(\.isFinite)
                guard !finite.isEmpty else { continue }
                let mean = finite.reduce(0, +) / Double(finite.count)
                let sd = (finite.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(finite.count)).squareRoot()
                numeric.append(v.map { $0.isFinite && sd > 0 ? ($0 - mean) / sd : 0 })
            }
        }
        let d = numeric.count
        func matrix(_ rs: [Int]) -> Tensor {
            var m = [Double](repeating: 0, count: rs.count * max(1, d))
            for (i, r) in rs.enumerated() { for j in 0..<d { m[i * d + j] = numeric[j][r] } }
            return Tensor(shape: [rs.count, max(1, d)], doubles: m)
        }
        let p = matrix(pool)
        let poolNorms = pool.map { r in (0..<d).reduce(0.0) { $0 + numeric[$1][r] * numeric[$1][r] } }
        var out: [Int: Int] = [:]
        let block = 512
        for start in stride(from: 0, to: rows.count, by: block) {
            let part = Array(rows[start..<min(rows.count, start + block)])
            // ‖a − b‖² = ‖a‖² + ‖b‖² − 2 a·b, the products by one matrix product.
            let dots = d > 0 ? matrix(part).matmul(p.transposed([1, 0])).doubles : [Double](repeating: 0, count: part.count * pool.count)
            for (i, r) in part.enumerated() {
                let norm = (0..<d).reduce(0.0) { $0 + numeric[$1][r] * numeric[$1][r] }
                var best = (distance: Double.infinity, row: r == pool[0] && pool.count > 1 ? pool[1] : pool[0])
                for (j, q) in pool.enumerated() where q != r {
                    var distance = norm + poolNorms[j] - 2 * dots[i * pool.count + j]
                    if distance >= best.distance { continue }
                    for k in codes where k[r] != k[q] { distance += 1 }
                    if distance < best.distance { best = (distance, q) }
                }
                out[r] = best.row
            }
        }
        return out
    }
}
