import Foundation
import Learners
import MLData

/// What a table looks like to the meta-learner, from its columns and target alone (no model is fitted):
/// the task, the rows and input columns, the shares of categorical and missing values, the classes and
/// their imbalance, and (where measured) two cheap `Landmarks`. Two tables are near when these are
/// (`distance`), and tables of different tasks never are.
public struct MetaFeatures: Codable, Sendable, Equatable {
    /// `binary`, `multiclass` or `regression`.
    public var task: String
    public var rows: Int
    public var columns: Int
    /// Share of the input columns that are categorical (text or boolean).
    public var categoricalShare: Double
    /// Share of the input cells that are missing.
    public var missingShare: Double
    /// Classes (0 for regression).
    public var classes: Int
    /// The smallest class's share of the rows (1 for regression).
    public var minorityShare: Double
    /// A stump's and a 1-nearest neighbour's scores (nil: not measured; a distance then leaves them out).
    public var landmarks: Landmarks?

    public init(task: String, rows: Int, columns: Int, categoricalShare: Double, missingShare: Double,
                classes: Int, minorityShare: Double, landmarks: Landmarks? = nil) {
        self.task = task
        self.rows = rows
        self.columns = columns
        self.categoricalShare = categoricalShare
        self.missingShare = missingShare
        self.classes = classes
        self.minorityShare = minorityShare
        self.landmarks = landmarks
    }

    /// The meta-features of the rows with a target in `frame`.
    init(frame: DataFrame, targetName: String, target: TargetValues) {
        let inputs = frame.columns.filter { $0.name != targetName }
        let cells = max(1, inputs.count * frame.rowCount)
        rows = frame.rowCount
        columns = inputs.count
        categoricalShare = inputs.isEmpty ? 0 : Double(inputs.filter { $0.type == .categorical || $0.type == .boolean }.count) / Double(inputs.count)
        missingShare = Double(inputs.reduce(0) { $0 + $1.missingCount }) / Double(cells)
        switch target {
        case .classes(let labels, let k):
            task = k == 2 ? "binary" : "multiclass"
            classes = k
            var counts = [Int](repeating: 0, count: k)
            for l in labels where l >= 0 { counts[l] += 1 }
            minorityShare = Double(counts.min() ?? 0) / Double(max(1, labels.count))
        case .values:
            task = "regression"
            classes = 0
            minorityShare = 1
        }
    }

    /// The features as named numbers (how the knowledge base stores them).
    public var named: [String: Double] {
        var out = ["rows": Double(rows), "columns": Double(columns), "categorical_share": categoricalShare,
                   "missing_share": missingShare, "classes": Double(classes), "minority_share": minorityShare]
        if let landmarks {
            out[Self.stumpName] = landmarks.stump
            out[Self.nearestNeighbourName] = landmarks.nearestNeighbour
        }
        return out
    }

    /// The landmarks' names in `named`.
    public static let stumpName = "landmark_stump", nearestNeighbourName = "landmark_nearest_neighbour"

    /// The meta-features stored as `named` under `task`.
    public init(task: String, named f: [String: Double]) {
        self.init(task: task, rows: Int(f["rows"] ?? 0), columns: Int(f["columns"] ?? 0),
                  categoricalShare: f["categorical_share"] ?? 0, missingShare: f["missing_share"] ?? 0,
                  classes: Int(f["classes"] ?? 0), minorityShare: f["minority_share"] ?? 1,
                  landmarks: f[Self.stumpName].flatMap { s in f[Self.nearestNeighbourName].map { Landmarks(stump: s, nearestNeighbour: $0) } })
    }

    /// The coordinates distances are measured in, each about unit-scaled over the corpus: rows and columns
    /// by their order of magnitude, classes by log2, the shares as they are.
    var coordinates: [Double] {
        [log10(Double(max(1, rows))), log10(Double(max(1, columns))), categoricalShare, min(1, 4 * missingShare),
         log2(Double(max(1, classes))) / 3, min(1, 4 * minorityShare)]
    }

    /// Euclidean distance in `coordinates`, and in the landmarks times `landmarkWeight` where both tables
    /// have them; infinite between tasks.
    public func distance(to other: MetaFeatures, landmarkWeight: Double = 0) -> Double {
        guard task == other.task else { return .infinity }
        var squares = zip(coordinates, other.coordinates).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        if landmarkWeight > 0, let a = landmarks, let b = other.landmarks {
            let w2 = landmarkWeight * landmarkWeight
            squares += w2 * ((a.stump - b.stump) * (a.stump - b.stump) + (a.nearestNeighbour - b.nearestNeighbour) * (a.nearestNeighbour - b.nearestNeighbour))
        }
        return squares.squareRoot()
    }
}
