import Foundation
import Learners
import MLData

/// Partial dependence (Friedman 2001): the mean prediction over a table's rows with one column set to
/// each value of a grid in turn — quantiles of a numeric column, the most frequent levels of a
/// categorical one.
public enum PartialDependence {
    /// The curve of `column` over `frame`'s rows, on at most `points` grid values; `outputs` names the
    /// curves (the classes, or the target for a value).
    public static func curve(
        _ frame: DataFrame, column name: String, points: Int, outputs: [String], predict: (DataFrame) throws -> Predictions
    ) throws -> DependenceCurve? {
        guard let column = frame[name], frame.rowCount > 0 else { return nil }
        let n = frame.rowCount
        var grid: [String] = [], values: [Double]? = nil, columns: [Column] = []
        switch column.storage {
        case .double, .float:
            let sorted = (column.doubles ?? []).filter(\.isFinite).sorted()
            guard !sorted.isEmpty else { return nil }
            var g: [Double] = []
            for i in 0..<points {
                let v = sorted[Int((Double(i) / Double(max(1, points - 1)) * Double(sorted.count - 1)).rounded())]
                if g.last != v { g.append(v) }
            }
            values = g
            grid = g.map(Column.format)
            columns = g.map { Column(name: name, storage: .double([Double](repeating: $0, count: n))) }
        case .categorical(let codes, let levels):
            var counts = [Int](repeating: 0, count: levels.count)
            for c in codes where c >= 0 { counts[Int(c)] += 1 }
            let top = counts.indices.filter { counts[$0] > 0 }.sorted { counts[$0] > counts[$1] }.prefix(points)
            grid = top.map { levels[$0] }
            columns = top.map { Column(name: name, storage: .categorical(codes: [Int32](repeating: Int32($0), count: n), levels: levels)) }
        case .boolean:
            grid = ["false", "true"]
            values = [0, 1]
            columns = [0, 1].map { Column(name: name, storage: .boolean([Int8](repeating: Int8($0), count: n))) }
        case .missing:
            return nil
        }
        guard grid.count > 1 else { return nil }
        var means = [[Double]](repeating: [], count: outputs.count)
        for c in columns {
            var changed = frame
            try changed.setColumn(c)
            let p = try predict(changed)
            switch p {
            case .values(let v):
                means[0].append(v.reduce(0, +) / Double(max(1, v.count)))
            case .probabilities(let q, let k):
                // Binary: the positive class only; multiclass: every class.
                let shown = k == 2 ? [1] : Array(0..<k)
                for (s, j) in shown.enumerated() where s < outputs.count {
                    var sum = 0.0
                    for r in 0..<p.rows { sum += q[r * k + j] }
                    means[s].append(sum / Double(max(1, p.rows)))
                }
            }
        }
        return DependenceCurve(column: name, grid: grid, values: values,
                               series: zip(outputs, means).filter { !$0.1.isEmpty }.map { .init(name: $0.0, mean: $0.1) }, rows: n)
    }
}
