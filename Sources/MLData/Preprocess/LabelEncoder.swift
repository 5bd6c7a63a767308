/// Class labels of a target column as indices `0..<classes.count`: the distinct non-missing values,
/// sorted (numerically when every label is a number, as scikit-learn's LabelEncoder does for numbers).
public struct LabelEncoder: Codable, Sendable, Equatable {
    /// The class labels as text, in index order.
    public var classes: [String]

    public init(classes: [String]) { self.classes = classes }

    public static func fit(_ column: Column) -> LabelEncoder {
        let view = column.categoricalView()
        var seen = [Bool](repeating: false, count: view.levels.count)
        for c in view.codes where c >= 0 { seen[Int(c)] = true }
        let present = view.levels.indices.filter { seen[$0] }.map { view.levels[$0] }
        let numbers = present.map { Double($0.trimmingSpaces()) }
        if numbers.allSatisfy({ $0 != nil }) {
            return LabelEncoder(classes: zip(present, numbers).sorted { $0.1! < $1.1! }.map(\.0))
        }
        return LabelEncoder(classes: present.sorted())
    }

    /// Class index per row; -1 for a missing value, and for a label not among `classes` (counted as unknown).
    public func encode(_ column: Column) -> (labels: [Int], unknown: Int) {
        let view = column.categoricalView()
        var index: [String: Int] = [:]
        for (i, c) in classes.enumerated() { index[c] = i }
        // Numeric labels compare as numbers ("1" and "1.0" are the same class).
        var numeric: [Double: Int] = [:]
        for (i, c) in classes.enumerated() { if let d = Double(c.trimmingSpaces()) { numeric[d] = i } }
        let map = view.levels.map { level -> Int in
            if let i = index[level] { return i }
            if let d = Double(level.trimmingSpaces()), let i = numeric[d] { return i }
            return -1
        }
        var unknown = 0
        let labels = view.codes.map { c -> Int in
            guard c >= 0 else { return -1 }
            let k = map[Int(c)]
            if k < 0 { unknown += 1 }
            return k
        }
        return (labels, unknown)
    }
}
