import Foundation
import MLData

/// Seconds a tree takes to grow through XGBoost's `hist` method (XGBoost 1.7.4, 256 bins, 2 threads),
/// the DMatrix's setup aside (`DMatrix.estimatedSetupSeconds`), as `XGBoostLearner` and
/// `RandomForestLearner` estimate it: building the gradient histograms, a pass over the rows and
/// features per level, and evaluating the splits, a pass over every feature's bins per split node.
/// Measured with `mlforge-bench cost xgboost` and `--large` (depth-6 trees, 1,000 to 80,000 rows of 8
/// to 500 features; BENCHMARKS.md, "memory and time estimates checked at scale"): the splits dominate,
/// so that a tree costs about as much on 5,000 rows as on 60,000. The rows-times-features model it
/// replaces was 4–10× over from 20,000 rows on.
package enum TreeCost {
    /// Seconds per row, feature and level: 1.8e-10 fitted on 20,000 and 80,000 × 500.
    package static let secondsPerValueLevel = 2e-10

    /// Seconds per split node, feature and bin: 6.6e-9 fitted on the same; a histogram of 500 features'
    /// bins (2 MB) no longer fits the caches.
    package static let secondsPerSplitBin = 6.6e-9, bins = 256

    /// The most leaves a tree may grow: 2^`maxDepth`, or `maxLeaves` when the depth is not limited (0).
    package static func leaves(maxDepth: Int, maxLeaves: Int) -> Int {
        maxDepth > 0 ? 1 << min(maxDepth, 20) : max(2, maxLeaves)
    }

    /// One tree's seconds per output on `rows` × `features` (`featureShare`: the share of the features a
    /// tree or node samples), grown `levels` deep with at most `leaves` leaves. Splits are counted up to
    /// a quarter of the rows and bins up to a quarter of the rows, as the fits of 100 and 1,000 rows
    /// measured: a node needs rows on both sides, and bins hold the values there are.
    package static func secondsPerTree(rows: Int, features: Int, featureShare: Double, levels: Double, leaves: Int) -> Double {
        let rows = Double(max(1, rows)), features = Double(max(1, features)) * min(1, max(featureShare, 0))
        let splits = min(Double(max(1, leaves - 1)), max(1, rows / 4))
        return secondsPerValueLevel * rows * features * levels + secondsPerSplitBin * splits * features * min(Double(bins), max(1, rows / 4))
    }
}
