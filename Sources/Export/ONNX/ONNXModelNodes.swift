import Learners
import NN

/// A portable model as ONNX nodes, from the features (Double [N, F]) to its predictions (Double [N, K]:
/// class probabilities, or the value), with the arithmetic `PortableModel` states: trees and networks in
/// Float, linear scores, links and averages in Double.
struct ONNXModelNodes {
    let task: PredictionTask

    func predictions(_ model: PortableModel, features x: String, _ g: inout ONNXGraphBuilder) -> String {
        switch model {
        case .trees(let t): return trees(t, x, &g)
        case .linear(let l): return linear(l, x, &g)
        case .network(let n): return network(n, x, &g)
        }
    }

    // MARK: Links

    /// Double scores → predictions: the values; [1 − q, q] with q the logistic of the one score; a softmax.
    private func link(_ z: String, _ g: inout ONNXGraphBuilder) -> String {
        switch task {
        case .regression: return z
        case .binary: return complement(g.add("Sigmoid", [z]), &g)
        case .multiclass: return g.add("Softmax", [z], [ONNXAttribute.int("axis", 1)])
        }
    }

    /// [1 − q, q] from q [N, 1].
    private func complement(_ q: String, _ g: inout ONNXGraphBuilder) -> String {
        let rest = g.add("Sub", [g.doubles([1], shape: []), q])
        return g.add("Concat", [rest, q], [ONNXAttribute.int("axis", 1)])
    }

    // MARK: Trees

    private func trees(_ t: PortableTrees, _ features: String, _ g: inout ONNXGraphBuilder) -> String {
        let x = g.cast(features, to: .float)
        if t.combination == .objective, let e = t.ensembles.first {
            let m = margins(e, x, &g)
            switch e.objective {
            case .squaredError:
                return g.cast(m, to: .double)
            case .logistic:
                let p = g.cast(g.add("Sigmoid", [m]), to: .double)
                return task == .regression ? p : complement(p, &g)
            case .softprob:
                // XGBoost's softmax in Float, then each row renormalised in Double.
                let p = g.cast(g.add("Softmax", [m], [ONNXAttribute.int("axis", 1)]), to: .double)
                let sum = g.add("ReduceSum", [p, g.int64s([1])], [ONNXAttribute.int("keepdims", 1)])
                return g.add("Div", [p, sum])
            }
        }
        var z: String?
        for (e, w) in zip(t.ensembles, t.weights) {
            let m = g.cast(margins(e, x, &g), to: .double)
            let term = g.add("Mul", [m, g.doubles([w], shape: [])])
            z = z.map { g.add("Add", [$0, term]) } ?? term
        }
        return link(z ?? g.doubles([0], shape: [1, 1]), &g)
    }

    /// One ensemble's margins, Float [N, outputs]: the leaves summed by `ai.onnx.ml.TreeEnsemble`, then
    /// the base margin. XGBoost's `value < threshold` is BRANCH_LT with the left child as the true
    /// branch; its categorical split (set → right) is BRANCH_MEMBER with the right child as the true
    /// branch; a missing value follows the default branch through `nodes_missing_value_tracks_true`.
    private func margins(_ e: PortableTrees.Ensemble, _ x: String, _ g: inout ONNXGraphBuilder) -> String {
        var split: [Int: Int] = [:], leaf: [Int: Int] = [:]
        for (i, n) in e.nodes.enumerated() {
            if n.feature >= 0 { split[i] = split.count } else { leaf[i] = leaf.count }
        }
        let ordered = { (m: [Int: Int]) in m.sorted { $0.value < $1.value }.map(\.key) }
        let splits = ordered(split), leaves = ordered(leaf)
        var features: [Int] = [], thresholds: [Float] = [], modes: [UInt8] = []
        var trueIDs: [Int] = [], trueLeafs: [Int] = [], falseIDs: [Int] = [], falseLeafs: [Int] = []
        var tracksTrue: [Int] = [], members: [Float] = []
        func target(_ child: Int) -> (id: Int, isLeaf: Int) {
            if let s = split[child] { return (s, 0) }
            return (leaf[child]!, 1)
        }
        for i in splits {
            let n = e.nodes[i]
            features.append(n.feature)
            let (left, right) = (target(n.left), target(n.right))
            let yes: (id: Int, isLeaf: Int), no: (id: Int, isLeaf: Int)
            if let set = n.categories {
                modes.append(6)  // BRANCH_MEMBER
                thresholds.append(0)
                members += set.map(Float.init) + [.nan]
                (yes, no) = (right, left)
                tracksTrue.append(n.defaultLeft ? 0 : 1)
            } else {
                modes.append(1)  // BRANCH_LT
                thresholds.append(n.value)
                (yes, no) = (left, right)
                tracksTrue.append(n.defaultLeft ? 1 : 0)
            }
            trueIDs.append(yes.id); trueLeafs.append(yes.isLeaf)
            falseIDs.append(no.id); falseLeafs.append(no.isLeaf)
        }
        var roots: [Int] = []
        for r in e.roots {
            if let s = split[r] { roots.append(s); continue }
            // A tree that is one leaf: a split whose two branches both reach it.
            roots.append(features.count)
            features.append(0); thresholds.append(0); modes.append(1); tracksTrue.append(0)
            trueIDs.append(leaf[r]!); trueLeafs.append(1); falseIDs.append(leaf[r]!); falseLeafs.append(1)
        }
        // Each leaf adds to the output of the tree that holds it.
        var output = [Int](repeating: 0, count: e.nodes.count)
        for (t, root) in e.roots.enumerated() {
            var stack = [root]
            while let n = stack.popLast() {
                output[n] = e.groups[t]
                if e.nodes[n].feature >= 0 { stack += [e.nodes[n].left, e.nodes[n].right] }
            }
        }
        var attributes = [
            ONNXAttribute.int("n_targets", e.outputs),
            ONNXAttribute.int("aggregate_function", 1),  // SUM
            ONNXAttribute.int("post_transform", 0),  // NONE
            ONNXAttribute.ints("tree_roots", roots),
            ONNXAttribute.ints("nodes_featureids", features),
            ONNXAttribute.tensor("nodes_splits", floats: thresholds),
            ONNXAttribute.tensor("nodes_modes", bytes: modes),
            ONNXAttribute.ints("nodes_truenodeids", trueIDs),
            ONNXAttribute.ints("nodes_trueleafs", trueLeafs),
            ONNXAttribute.ints("nodes_falsenodeids", falseIDs),
            ONNXAttribute.ints("nodes_falseleafs", falseLeafs),
            ONNXAttribute.ints("nodes_missing_value_tracks_true", tracksTrue),
            ONNXAttribute.ints("leaf_targetids", leaves.map { output[$0] }),
            ONNXAttribute.tensor("leaf_weights", floats: leaves.map { e.nodes[$0].value }),
        ]
        if !members.isEmpty { attributes.append(ONNXAttribute.tensor("membership_values", floats: members)) }
        let sum = g.add("TreeEnsemble", [x], domain: "ai.onnx.ml", attributes)
        let base = (0..<e.outputs).map { e.baseMargins[e.baseMargins.count == 1 ? 0 : $0] }
        return g.add("Add", [sum, g.floats(base, shape: [1, e.outputs])])
    }

    // MARK: Linear

    private func linear(_ l: PortableLinear, _ x: String, _ g: inout ONNXGraphBuilder) -> String {
        let k = l.intercept.count
        let w = g.doubles(l.weights, shape: [l.weights.count / max(1, k), k])
        let z = g.add("Add", [g.add("MatMul", [x, w]), g.doubles(l.intercept, shape: [1, k])])
        return link(z, &g)
    }

    // MARK: Networks

    private func network(_ n: PortableNetwork, _ features: String, _ g: inout ONNXGraphBuilder) -> String {
        let out = g.cast(run(n.operations, g.cast(features, to: .float), &g), to: .double)
        switch task {
        case .regression:
            return g.add("Add", [g.add("Mul", [out, g.doubles([n.targetScale], shape: [])]), g.doubles([n.targetMean], shape: [])])
        case .binary, .multiclass:
            return g.add("Softmax", [out], [ONNXAttribute.int("axis", 1)])
        }
    }

    private func run(_ ops: [NetworkOperation], _ input: String, _ g: inout ONNXGraphBuilder) -> String {
        ops.reduce(input) { x, op in apply(op, x, &g) }
    }

    /// `x · Wᵀ` for `weight` stored outputs × inputs, row-major.
    private func product(_ x: String, _ weight: [Float], inputs: Int, outputs: Int, bias: [Float]?, _ g: inout ONNXGraphBuilder) -> String {
        var args = [x, g.floats(weight, shape: [outputs, inputs])]
        if let bias { args.append(g.floats(bias, shape: [outputs])) }
        return g.add("Gemm", args, [ONNXAttribute.int("transB", 1)])
    }

    private func apply(_ op: NetworkOperation, _ x: String, _ g: inout ONNXGraphBuilder) -> String {
        switch op {
        case .standardize(let mean, let inverse):
            let centred = g.add("Sub", [x, g.floats(mean, shape: [1, mean.count])])
            return g.add("Mul", [centred, g.floats(inverse, shape: [1, inverse.count])])
        case .columnBlocks(let blocks):
            let parts = blocks.map { b -> String in
                switch b {
                case .pass(let r):
                    return slice(x, r, &g)
                case .project(let r, let w, let k):
                    return product(slice(x, r, &g), w, inputs: r.count, outputs: k, bias: nil, &g)
                }
            }
            return parts.count == 1 ? parts[0] : g.add("Concat", parts, [ONNXAttribute.int("axis", 1)])
        case .dense(let w, let b, let inputs, let outputs):
            return product(x, w, inputs: inputs, outputs: outputs, bias: b, &g)
        case .batchNorm(let mean, let variance, let scale, let shift, let eps):
            let deviation = zip(variance, repeatElement(eps, count: variance.count)).map { ($0 + $1).squareRoot() }
            var y = g.add("Sub", [x, g.floats(mean, shape: [1, mean.count])])
            y = g.add("Div", [y, g.floats(deviation, shape: [1, deviation.count])])
            y = g.add("Mul", [y, g.floats(scale, shape: [1, scale.count])])
            return g.add("Add", [y, g.floats(shift, shape: [1, shift.count])])
        case .layerNorm(let scale, let shift, let eps):
            return g.add("LayerNormalization", [x, g.floats(scale), g.floats(shift)],
                         [ONNXAttribute.int("axis", -1), ONNXAttribute.float("epsilon", eps)])
        case .activation(let kind):
            switch kind {
            case .relu: return g.add("Relu", [x])
            case .gelu:
                // x · Φ(x) with the exact normal CDF: x · (1 + erf(x / √2)) / 2.
                let erf = g.add("Erf", [g.add("Mul", [x, g.floats([0.70710677], shape: [])])])
                let phi = g.add("Div", [g.add("Add", [erf, g.floats([1], shape: [])]), g.floats([2], shape: [])])
                return g.add("Mul", [x, phi])
            case .silu: return g.add("Mul", [x, g.add("Sigmoid", [x])])
            case .tanh: return g.add("Tanh", [x])
            case .sigmoid: return g.add("Sigmoid", [x])
            case .zero: return g.add("Mul", [x, g.floats([0], shape: [])])
            case .identity, .flatten: return x
            }
        case .residual(let body):
            return g.add("Add", [x, run(body, x, &g)])
        }
    }

    private func slice(_ x: String, _ r: Range<Int>, _ g: inout ONNXGraphBuilder) -> String {
        g.add("Slice", [x, g.int64s([r.lowerBound]), g.int64s([r.upperBound]), g.int64s([1])])
    }
}
