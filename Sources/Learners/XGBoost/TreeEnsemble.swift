import Foundation
import MLData

/// An XGBoost tree model in flat arrays, evaluated in Swift exactly as XGBoost's CPU predictor does:
/// features as Float, `value < threshold` goes left, a missing value (NaN) takes the node's default
/// branch, a categorical split sends the categories of its set right, and each row's margin starts at the
/// base score and adds the trees' leaves in order, in Float. No XGBoost call is made, so a prediction costs
/// the tree walks alone (no matrix to build, no lock), and a loaded model needs no booster.
///
/// Read from the JSON model XGBoost writes (`Booster.json()`, xgboost-python's `save_model`).
package struct TreeEnsemble: Sendable, Equatable {
    package enum Objective: String, Sendable {
        case squaredError = "reg:squarederror"
        case logistic = "binary:logistic"
        case softprob = "multi:softprob"
    }

    /// One node; the nodes of all trees share one array (children are absolute indices).
    package struct Node: Sendable, Equatable {
        var left: Int32
        var right: Int32
        /// The feature split on; -1 for a leaf.
        var feature: Int32
        /// The threshold, or the leaf's value.
        var value: Float
        /// For a categorical split, the offset in `categoryWords` of its set (a word count, then a bit
        /// set of the categories that go right); -1 for a numeric split.
        var categories: Int32
        var defaultLeft: Bool
    }

    package let objective: Objective
    package let featureCount: Int
    /// Outputs per row: the class count for multiclass, else 1.
    package let groupCount: Int
    /// The starting margin of each output (the base score, as a margin; XGBoost 3 may keep one per class).
    package let baseMargins: [Float]
    package let nodes: [Node]
    package let roots: [Int32]
    /// The output each tree adds to.
    package let groups: [Int32]
    package let categoryWords: [UInt32]

    package var treeCount: Int { roots.count }

    /// Nodes a row visits on average: each tree's mean leaf depth (leaves counted alike), summed.
    package var visitsPerRow: Double {
        var total = 0.0
        for t in roots.indices {
            let lo = Int(roots[t]), hi = t + 1 < roots.count ? Int(roots[t + 1]) : nodes.count
            var depth = [Int](repeating: 0, count: hi - lo)
            var leaves = 0, sum = 0
            for i in lo..<hi {
                let node = nodes[i]
                if node.feature < 0 { leaves += 1; sum += depth[i - lo] + 1; continue }
                depth[Int(node.left) - lo] = depth[i - lo] + 1
                depth[Int(node.right) - lo] = depth[i - lo] + 1
            }
            total += Double(sum) / Double(max(1, leaves))
        }
        return total
    }

    /// Seconds per node visit and per row (converting its features), batches split over 2 cores: fitted
    /// to `mlforge-bench cost xgboost` and `random_forest` (1,000 to 5,000 rows; BENCHMARKS.md, "cost model").
    package static let secondsPerVisit = 1.2e-9, secondsPerRow = 1e-7

    package func estimatedSeconds(rows: Int) -> Double { Double(rows) * (visitsPerRow * Self.secondsPerVisit + Self.secondsPerRow) }

    package struct FormatError: Error, CustomStringConvertible {
        package var description: String
    }

    /// One tree's arrays as XGBoost's JSON holds them.
    private struct RawTree {
        var left: [Int] = [], right: [Int] = [], feature: [Int] = [], value: [Float] = [], defaultLeft: [Int] = []
        var types: [Int]?
        var categories: [Int] = [], categoryNodes: [Int] = [], segments: [Int] = [], sizes: [Int] = []
    }

    /// Reads XGBoost's JSON model format (the version 1.6 writes; gbtree boosters only).
    package init(xgboostJSON bytes: [UInt8]) throws {
        func bad(_ what: String) -> FormatError { FormatError(description: "the XGBoost model \(what)") }
        var objectiveName: String?, boosterName: String?
        var base: [Float]?, features: Int?, classes = 0
        var trees: [RawTree] = []
        var info: [Int]?
        do {
            try XGBoostJSON.read(bytes) { r in
                try r.object { r, key in
                    guard key == "learner" else { return try r.skip() }
                    try r.object { r, key in
                        switch key {
                        case "objective":
                            try r.object { r, key in if key == "name" { objectiveName = try r.string() } else { try r.skip() } }
                        case "learner_model_param":
                            try r.object { r, key in
                                switch key {
                                case "base_score": base = try r.floatList()
                                case "num_feature": features = try r.int()
                                case "num_class": classes = try r.int()
                                default: try r.skip()
                                }
                            }
                        case "gradient_booster":
                            try r.object { r, key in
                                switch key {
                                case "name": boosterName = try r.string()
                                case "model":
                                    try r.object { r, key in
                                        switch key {
                                        case "tree_info": info = try r.ints()
                                        case "trees": try r.array { r in trees.append(try Self.readTree(&r)) }
                                        default: try r.skip()
                                        }
                                    }
                                default: try r.skip()
                                }
                            }
                        default: try r.skip()
                        }
                    }
                }
            }
        } catch let e as XGBoostJSON.SyntaxError {
            throw bad("is not valid JSON (\(e))")
        }
        guard let objectiveName else { throw bad("names no objective") }
        guard let objective = Objective(rawValue: objectiveName) else { throw bad("has the objective \(objectiveName), which MLForge does not predict with") }
        guard boosterName == "gbtree" else { throw bad("is not a tree booster (gbtree)") }
        guard let base, let features, features >= 0 else { throw bad("lacks its base score or feature count") }
        guard let info, info.count == trees.count else { throw bad("lacks its trees") }
        self.objective = objective
        self.featureCount = features
        groupCount = objective == .softprob ? max(1, classes) : 1
        // XGBoost keeps the base score as a probability for the logistic objective (its ProbToMargin, in Float).
        switch objective {
        case .logistic:
            guard base.allSatisfy({ $0 > 0 && $0 < 1 }) else { throw bad("has a base score outside (0, 1) for binary:logistic") }
            baseMargins = base.map { -logf(1.0 / $0 - 1.0) }
        case .squaredError, .softprob:
            baseMargins = base
        }
        guard baseMargins.count == 1 || baseMargins.count == groupCount else {
            throw bad("has \(baseMargins.count) base scores for \(groupCount) outputs")
        }
        var nodes: [Node] = []
        var roots: [Int32] = []
        var words: [UInt32] = []
        for tree in trees {
            let n = tree.left.count
            guard n > 0, tree.right.count == n, tree.feature.count == n, tree.value.count == n, tree.defaultLeft.count == n else {
                throw bad("has a tree whose node arrays are missing or differ in length")
            }
            let types = tree.types ?? [Int](repeating: 0, count: n)
            guard types.count == n else { throw bad("has a tree whose split types differ in length") }
            // Categorical splits: node → the categories of its set.
            var sets: [Int: ArraySlice<Int>] = [:]
            guard tree.segments.count == tree.categoryNodes.count, tree.sizes.count == tree.categoryNodes.count else {
                throw bad("has a categorical split without its categories")
            }
            for (i, node) in tree.categoryNodes.enumerated() {
                let lo = tree.segments[i], hi = tree.segments[i] + tree.sizes[i]
                guard lo >= 0, hi <= tree.categories.count, lo <= hi else { throw bad("has a categorical split out of range") }
                sets[node] = tree.categories[lo..<hi]
            }
            let offset = nodes.count
            roots.append(Int32(offset))
            nodes.reserveCapacity(offset + n)
            for i in 0..<n {
                let leaf = tree.left[i] == -1
                // Children come after their parent: a walk always ends.
                guard leaf || (tree.left[i] > i && tree.left[i] < n && tree.right[i] > i && tree.right[i] < n
                               && tree.feature[i] >= 0 && tree.feature[i] < max(1, features)) else {
                    throw bad("has a tree whose node \(i) points outside the tree")
                }
                var categories: Int32 = -1
                if !leaf, types[i] == 1 {
                    let set = sets[i] ?? []
                    guard set.allSatisfy({ $0 >= 0 && $0 < Self.categoryLimit }) else { throw bad("has a category out of range") }
                    let count = (set.max() ?? -1) / 32 + 1
                    categories = Int32(words.count)
                    words.append(UInt32(count))
                    var bits = [UInt32](repeating: 0, count: count)
                    for c in set { bits[c / 32] |= 1 << UInt32(c % 32) }
                    words += bits
                }
                nodes.append(Node(left: leaf ? -1 : Int32(offset + tree.left[i]), right: leaf ? -1 : Int32(offset + tree.right[i]),
                                  feature: leaf ? -1 : Int32(tree.feature[i]), value: tree.value[i], categories: categories,
                                  defaultLeft: tree.defaultLeft[i] != 0))
            }
        }
        let outputs = groupCount
        guard info.allSatisfy({ $0 >= 0 && $0 < outputs }) else { throw bad("assigns a tree to an output it does not have") }
        self.nodes = nodes
        self.roots = roots
        self.groups = info.map { Int32($0) }
        self.categoryWords = words
    }

    /// One tree object: the arrays a prediction needs (the rest is skipped).
    private static func readTree(_ r: inout XGBoostJSON) throws -> RawTree {
        var t = RawTree()
        try r.object { r, key in
            switch key {
            case "left_children": t.left = try r.ints()
            case "right_children": t.right = try r.ints()
            case "split_indices": t.feature = try r.ints()
            case "split_conditions": t.value = try r.floats()
            case "default_left": t.defaultLeft = try r.ints()
            case "split_type": t.types = try r.ints()
            case "categories": t.categories = try r.ints()
            case "categories_nodes": t.categoryNodes = try r.ints()
            case "categories_segments": t.segments = try r.ints()
            case "categories_sizes": t.sizes = try r.ints()
            default: try r.skip()
            }
        }
        return t
    }

    /// Category codes at or above this are invalid in XGBoost (2^24, the largest whole Float run).
    package static let categoryLimit = 1 << 24
    /// Rows walked together through each tree (XGBoost's CPU predictor uses blocks of 64 too).
    package static let blockRows = 64
    /// The cores, read once (Foundation reads the cgroup files on every call).
    package static let cores = ProcessInfo.processInfo.activeProcessorCount
    /// Below this many node walks (rows × trees) a prediction runs on the calling thread.
    package static let parallelWork = 1 << 16

    /// Raw margins, `groupCount` per row, for the rows of `x`.
    package func margins(_ x: FeatureMatrix) -> [Float] {
        let rows = x.rows, columns = x.columns, g = groupCount
        var out = [Float](repeating: 0, count: rows * g)
        for r in 0..<rows { for k in 0..<g { out[r * g + k] = baseMargins[baseMargins.count == 1 ? 0 : k] } }
        guard rows > 0 else { return out }
        let blocks = (rows + Self.blockRows - 1) / Self.blockRows
        out.withUnsafeMutableBufferPointer { outBuffer in
            nonisolated(unsafe) let result = outBuffer
            x.values.withUnsafeBufferPointer { xs in
                nonisolated(unsafe) let input = xs
                nodes.withUnsafeBufferPointer { nodeBuffer in
                    nonisolated(unsafe) let tree = nodeBuffer
                    categoryWords.withUnsafeBufferPointer { wordBuffer in
                        nonisolated(unsafe) let words = wordBuffer
                        let runBlocks: @Sendable (Range<Int>) -> Void = { (range: Range<Int>) in
                            var features = [Float](repeating: 0, count: Self.blockRows * max(1, columns))
                            features.withUnsafeMutableBufferPointer { f in
                                for b in range {
                                    let lo = b * Self.blockRows, hi = min(rows, lo + Self.blockRows)
                                    for i in 0..<((hi - lo) * columns) { f[i] = Float(input[lo * columns + i]) }
                                    for t in 0..<roots.count {
                                        let root = Int(roots[t]), group = Int(groups[t])
                                        for r in 0..<(hi - lo) {
                                            result[(lo + r) * g + group] += Self.leaf(tree, words, root: root,
                                                                                     row: f.baseAddress! + r * columns)
                                        }
                                    }
                                }
                            }
                        }
                        let workers = Self.cores
                        if rows * max(1, roots.count) < Self.parallelWork || blocks < 2 || workers < 2 {
                            runBlocks(0..<blocks)
                        } else {
                            let chunks = min(blocks, workers * 4)
                            let size = (blocks + chunks - 1) / chunks
                            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                                let lo = c * size
                                if lo < blocks { runBlocks(lo..<min(blocks, lo + size)) }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// XGBoost's output: the margins through the objective (sigmoid or softmax, in Float as XGBoost does).
    package func outputs(_ x: FeatureMatrix) -> [Float] {
        var m = margins(x)
        switch objective {
        case .squaredError:
            break
        case .logistic:
            for i in m.indices { m[i] = 1 / (1 + expf(-m[i])) }
        case .softprob:
            let k = groupCount
            for r in 0..<x.rows {
                var top = m[r * k]
                for c in 1..<max(1, k) { top = fmaxf(m[r * k + c], top) }
                var sum = 0.0
                for c in 0..<k { m[r * k + c] = expf(m[r * k + c] - top); sum += Double(m[r * k + c]) }
                for c in 0..<k { m[r * k + c] /= Float(sum) }
            }
        }
        return m
    }

    /// The leaf a row reaches from `root`.
    @inline(__always)
    package static func leaf(_ nodes: UnsafeBufferPointer<Node>, _ words: UnsafeBufferPointer<UInt32>, root: Int,
                     row: UnsafePointer<Float>) -> Float {
        var n = root
        while true {
            let node = nodes[n]
            if node.feature < 0 { return node.value }
            let v = row[Int(node.feature)]
            if v.isNaN {
                n = Int(node.defaultLeft ? node.left : node.right)
            } else if node.categories >= 0 {
                n = Int(inSet(v, words, at: Int(node.categories)) ? node.right : node.left)
            } else {
                n = Int(v < node.value ? node.left : node.right)
            }
        }
    }

    /// Whether category `v` (truncated to a whole number, as XGBoost does) is in the set at `offset`;
    /// negative or too large values are in no set.
    @inline(__always)
    package static func inSet(_ v: Float, _ words: UnsafeBufferPointer<UInt32>, at offset: Int) -> Bool {
        guard v >= 0, v < Float(categoryLimit) else { return false }
        let c = Int(v)
        let word = c >> 5
        guard word < Int(words[offset]) else { return false }
        return words[offset + 1 + word] & (1 << UInt32(c & 31)) != 0
    }
}
