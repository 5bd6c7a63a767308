import Foundation
import MLData

/// What a model card shows that only the fit could measure: the training data's profile, the ensemble's
/// validation figures, importances and dependence curves, and the run's log. Saved as
/// `card/evidence.json` in the model folder (checksummed with the model); `mlforge card` renders it
/// again, with figures on a test file when given.
public struct CardEvidence: Codable, Sendable {
    public static let currentVersion = 1
    public var version = CardEvidence.currentVersion
    public var created: String
    /// The training file's name (not its path: a card is shared).
    public var dataFile: String
    public var training: DataEvidence
    /// The validation scheme in words.
    public var validationScheme: String?
    /// The ensemble's figures on its validation rows (out of fold under cross-validation).
    public var validation: OutcomeFigures?
    /// Permutation importances on a sample of the training rows.
    public var importance: Importance?
    public var dependence: [DependenceCurve] = []
    /// The run's plan lines, what it skipped and why, and its phases after the search.
    public var plan: [String] = []
    public var skipped: [String] = []
    public var phases: [String] = []
    /// Seconds of the budget used when the card was started, and by the card itself.
    public var fitSeconds: Double = 0
    public var cardSeconds: Double = 0
    /// The column named sensitive, whose groups the figures compare.
    public var sensitive: String?
    /// Parts left out, each with its reason ("importances: 0.05 s were left").
    public var omitted: [String] = []
}

/// The training table as the card describes it.
public struct DataEvidence: Codable, Sendable {
    public var rows: Int
    /// Rows profiled (all of them, or a seeded sample of a very long table).
    public var profiledRows: Int
    public var target: String
    public var columns: [ColumnProfile]
    /// Rows per class, in the model's class order (classification), or the target's histogram.
    public var classCounts: [Int]?
    public var targetBins: [HistogramBin]?
    /// Each numeric input column's bins for drift: cut at its distinct deciles, with the training share
    /// of each bin (a value goes to the first bin whose edge is above it; ties keep shares uneven).
    public var bins: [String: NumericBins] = [:]
    /// Shares of each categorical or boolean input column's levels (the most frequent `driftLevels`).
    public var levelShares: [String: [String: Double]] = [:]
    /// Every level of the categorical input columns with few enough of them (to count unseen levels).
    public var levels: [String: [String]] = [:]
}

public struct NumericBins: Codable, Sendable, Equatable {
    public var edges: [Double]
    /// One share per bin: `edges.count + 1` of them, summing to 1.
    public var shares: [Double]

    /// The bin of `v`.
    public func bin(_ v: Double) -> Int { edges.firstIndex { v < $0 } ?? edges.count }

    /// Bins at the distinct deciles of `sorted` (finite values, ascending), with their shares.
    public init?(sorted: [Double]) {
        guard !sorted.isEmpty else { return nil }
        var edges: [Double] = []
        for q in 1...9 {
            let v = sorted[min(sorted.count - 1, q * sorted.count / 10)]
            if edges.last != v { edges.append(v) }
        }
        self.edges = edges
        var counts = [Double](repeating: 0, count: edges.count + 1)
        var b = 0
        for v in sorted {
            while b < edges.count && v >= edges[b] { b += 1 }
            counts[b] += 1
        }
        shares = counts.map { $0 / Double(sorted.count) }
    }
}

/// How a model's predictions compare with the truth on some rows.
public struct OutcomeFigures: Codable, Sendable {
    public var rows: Int
    /// accuracy, log_loss, roc_auc (classification) or r2, rmse, mae (regression), losses positive.
    public var metrics: [String: Double]
    /// Rows are the true classes, columns the predicted ones, in the model's class order.
    public var confusion: [[Int]]?
    /// Reliability: binary — the positive class's predicted probability against its observed rate;
    /// multiclass — the top class's probability against how often it was right.
    public var calibration: [CalibrationBin]?
    /// Regression: (actual, predicted) pairs of a seeded sample, and the residuals' histogram.
    public var scatter: [[Double]]?
    public var residualBins: [HistogramBin]?
    /// Per-group figures when a sensitive column was named.
    public var groups: GroupFigures?

    public init(rows: Int, metrics: [String: Double]) {
        self.rows = rows
        self.metrics = metrics
    }
}

public struct CalibrationBin: Codable, Sendable, Equatable {
    public var meanPredicted: Double
    public var observed: Double
    public var count: Int
}

public struct HistogramBin: Codable, Sendable, Equatable {
    public var low: Double
    public var high: Double
    public var count: Int
}

/// Figures per level of a sensitive column, and the gaps between the groups (fairlearn's definitions:
/// demographic parity difference = largest minus smallest selection rate; equalized odds difference =
/// the larger of the true- and false-positive rates' largest gaps).
public struct GroupFigures: Codable, Sendable {
    public struct Group: Codable, Sendable {
        public var group: String
        public var count: Int
        /// Named as in `OutcomeFigures.metrics`, plus selection_rate, tpr and fpr for a binary task.
        public var metrics: [String: Double]
    }
    public var column: String
    public var groups: [Group]
    public var demographicParityDifference: Double?
    public var equalizedOddsDifference: Double?
}

/// Permutation importance of each input column: how much the model's score drops when the column's
/// values are shuffled among the rows (Breiman 2001; scikit-learn's `permutation_importance`).
public struct Importance: Codable, Sendable {
    public struct Column: Codable, Sendable {
        public var column: String
        /// Mean drop of the score over the repeats (the metric's direction: higher is more important).
        public var mean: Double
        public var std: Double
        /// mean ± 2 standard errors over the repeats.
        public var low: Double
        public var high: Double
    }
    /// Where the rows came from ("a sample of the training rows", "the test file").
    public var source: String
    public var rows: Int
    public var repeats: Int
    public var metric: String
    /// The score with nothing shuffled.
    public var baseline: Double
    /// Most important first.
    public var columns: [Column]
}

/// Partial dependence of the prediction on one column: the mean prediction over the sample's rows with
/// the column set to each grid value in turn (Friedman 2001).
public struct DependenceCurve: Codable, Sendable {
    public var column: String
    /// The grid as text (numbers formatted, or levels).
    public var grid: [String]
    /// The grid's numbers (nil for levels).
    public var values: [Double]?
    /// One curve per output: the positive class (binary), each class (multiclass), or the value.
    public var series: [Series]
    public var rows: Int

    public struct Series: Codable, Sendable {
        public var name: String
        public var mean: [Double]
    }
}

/// What `mlforge card --test` measures on a labelled test file.
public struct TestEvidence: Codable, Sendable {
    public var file: String
    public var outcome: OutcomeFigures
    public var importance: Importance?
    /// Drift of each input column against the training data (population stability index over the
    /// training deciles or level shares; above 0.25 is usually read as a large shift).
    public var drift: [ColumnDrift]
    /// Rows with a numeric value outside the training range, and with a level training never saw.
    public var rowsOutsideRange: Int
    public var rowsWithUnseenLevels: Int
    /// Columns whose unseen levels could not be counted (too many training levels were kept out).
    public var levelsNotChecked: [String] = []
    public var omitted: [String] = []

    public init(file: String, outcome: OutcomeFigures) {
        self.file = file
        self.outcome = outcome
        importance = nil
        drift = []
        rowsOutsideRange = 0
        rowsWithUnseenLevels = 0
    }
}

public struct ColumnDrift: Codable, Sendable {
    public var column: String
    public var psi: Double
    public var missingShareTraining: Double
    public var missingShareTest: Double
}
