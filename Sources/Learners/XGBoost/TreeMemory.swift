import MLData

/// Memory a tree fit through XGBoost's `hist` method takes (XGBoost 1.7.4, 256 bins), as
/// `XGBoostLearner.estimatedMemory` and `RandomForestLearner.estimatedMemory` count it. Measured with
/// `mlforge-bench memory xgboost` and `random_forest` on 100 to 1,000,000 rows of 5 to 2,000 features
/// (BENCHMARKS.md, "memory and time estimates checked at scale"); each term is taken at the top of what
/// was measured, since an estimate under the truth lets a fit pass `--memory`.
package enum TreeMemory {
    /// Bytes a DMatrix keeps per value: the float copy handed to XGBoost, its sparse page (a 4-byte index
    /// and a 4-byte value) and the bin index; 12.3 bytes at 1,000,000 × 20 (training and validation).
    package static let bytesPerValue = 16

    /// Bytes per feature per row (up to `sketchRows` rows) while the quantile cuts of the training rows are
    /// sketched: 17–24 measured at 5,000 to 20,000 rows of 100 to 2,000 features.
    package static let sketchBytesPerValue = 24, sketchRows = 25_000

    /// Bytes per bin (a feature's up to 256) per node of a tree: the node's gradient histogram (16 bytes a
    /// bin) and the threads' buffers: 34 a bin at 100,000 × 20 with 2,047 nodes, fewer where a tree
    /// stops short of its leaves.
    package static let histogramBytesPerBin = 40, bins = 256

    /// What a DMatrix of `rows` × `columns` takes as it is built, and at most keeps after (a `FitCache` entry).
    package static func matrixBytes(rows: Int, columns: Int) -> Int { bytesPerValue * rows * max(1, columns) }

    /// The peak of a fit on `shape`'s training rows with validation rows a quarter as many (a search's
    /// hold-out): both matrices, the sketch, the histograms of a tree of `maxDepth` levels (or `maxLeaves`
    /// leaves when 0), the gradients and predictions per output, and `trees` trees per output kept.
    package static func fitBytes(for shape: DataShape, maxDepth: Int, maxLeaves: Int, trees: Int) -> Int {
        let rows = shape.rows, features = max(1, shape.features)
        let outputs = shape.task.scoreCount
        let leaves = min(TreeCost.leaves(maxDepth: maxDepth, maxLeaves: maxLeaves), max(1, rows))
        let nodes = 2 * leaves - 1
        let matrices = matrixBytes(rows: rows + rows / 4, columns: features)
        let sketch = sketchBytesPerValue * features * min(rows, sketchRows)
        let histograms = histogramBytesPerBin * nodes * features * min(bins, max(1, rows))
        let gradients = 16 * (rows + rows / 4) * outputs
        return matrices + sketch + histograms + gradients + 64 * trees * leaves * outputs
    }
}
