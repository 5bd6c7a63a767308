import Learners
import NN

/// A portable model as the initialiser of the exported file's `TreeModel`, `LinearModel` or
/// `NetworkModel` (see `SwiftRuntimeSource`), its numbers in blobs.
enum SwiftModelSource {
    /// The expression that builds `model` for `task`.
    static func expression(_ model: PortableModel, task: PredictionTask) -> String {
        let link: String
        switch task {
        case .regression: link = ".regression"
        case .binary: link = ".binary"
        case .multiclass: link = ".multiclass"
        }
        switch model {
        case .trees(let t):
            let ensembles = t.ensembles.map(trees).joined(separator: ",\n            ")
            return "TreeModel(averaged: \(t.combination == .meanMargin), link: \(link), ensembles: [\n            \(ensembles)\n        ], weights: \(SwiftLiteral.doubles(t.weights)))"
        case .linear(let l):
            return "LinearModel(link: \(link), weights: \(SwiftLiteral.doubleBlob(l.weights)), intercept: \(SwiftLiteral.doubles(l.intercept)))"
        case .network(let n):
            return "NetworkModel(link: \(link), operations: \(operations(n.operations, indent: 8)), targetMean: \(SwiftLiteral.double(n.targetMean)), targetScale: \(SwiftLiteral.double(n.targetScale)))"
        }
    }

    static func trees(_ e: PortableTrees.Ensemble) -> String {
        let objective: String
        switch e.objective {
        case .squaredError: objective = ".squaredError"
        case .logistic: objective = ".logistic"
        case .softprob: objective = ".softprob"
        }
        var categories: [Int32] = []
        var words: [UInt32] = []
        for node in e.nodes {
            guard let set = node.categories else { categories.append(-1); continue }
            categories.append(Int32(words.count))
            let count = (set.max() ?? -1) / 32 + 1
            var bits = [UInt32](repeating: 0, count: count)
            for c in set { bits[c / 32] |= 1 << UInt32(c % 32) }
            words += [UInt32(count)] + bits
        }
        let fields = [
            "objective: \(objective)", "outputs: \(e.outputs)",
            "base: [\(e.baseMargins.map(SwiftLiteral.float).joined(separator: ", "))]",
            "feature: \(SwiftLiteral.int32Blob(e.nodes.map { Int32($0.feature) }))",
            "value: \(SwiftLiteral.floatBlob(e.nodes.map(\.value)))",
            "left: \(SwiftLiteral.int32Blob(e.nodes.map { Int32($0.left) }))",
            "right: \(SwiftLiteral.int32Blob(e.nodes.map { Int32($0.right) }))",
            "defaultLeft: \(SwiftLiteral.int32Blob(e.nodes.map { $0.defaultLeft ? 1 : 0 }))",
            "categories: \(SwiftLiteral.int32Blob(categories))",
            "words: \(SwiftLiteral.wordBlob(words))",
            "roots: \(SwiftLiteral.int32Blob(e.roots.map { Int32($0) }))",
            "groups: \(SwiftLiteral.int32Blob(e.groups.map { Int32($0) }))",
        ]
        return "Trees(" + fields.joined(separator: ", ") + ")"
    }

    static func operations(_ ops: [NetworkOperation], indent: Int) -> String {
        let pad = String(repeating: " ", count: indent + 4)
        let items = ops.map { pad + operation($0, indent: indent + 4) }
        return items.isEmpty ? "[]" : "[\n" + items.joined(separator: ",\n") + "\n" + String(repeating: " ", count: indent) + "]"
    }

    static func operation(_ op: NetworkOperation, indent: Int) -> String {
        switch op {
        case .standardize(let mean, let inverse):
            return ".standardize(mean: \(SwiftLiteral.floatBlob(mean)), inverseScale: \(SwiftLiteral.floatBlob(inverse)))"
        case .columnBlocks(let blocks):
            let items = blocks.map { b -> String in
                switch b {
                case .pass(let r): return ".pass(\(r.lowerBound), \(r.upperBound))"
                case .project(let r, let w, let k):
                    return ".project(\(r.lowerBound), \(r.upperBound), weight: \(SwiftLiteral.floatBlob(w)), outputs: \(k))"
                }
            }
            return ".blocks([" + items.joined(separator: ", ") + "])"
        case .dense(let w, let b, let inputs, let outputs):
            return ".dense(weight: \(SwiftLiteral.floatBlob(w)), bias: \(b.map(SwiftLiteral.floatBlob) ?? "nil"), inputs: \(inputs), outputs: \(outputs))"
        case .batchNorm(let mean, let variance, let scale, let shift, let epsilon):
            return ".batchNorm(mean: \(SwiftLiteral.floatBlob(mean)), variance: \(SwiftLiteral.floatBlob(variance)), scale: \(SwiftLiteral.floatBlob(scale)), shift: \(SwiftLiteral.floatBlob(shift)), epsilon: \(SwiftLiteral.float(epsilon)))"
        case .layerNorm(let scale, let shift, let epsilon):
            return ".layerNorm(scale: \(SwiftLiteral.floatBlob(scale)), shift: \(SwiftLiteral.floatBlob(shift)), epsilon: \(SwiftLiteral.float(epsilon)))"
        case .activation(let kind):
            switch kind {
            case .relu: return ".activation(.relu)"
            case .gelu: return ".activation(.gelu)"
            case .silu: return ".activation(.silu)"
            case .tanh: return ".activation(.tanh)"
            case .sigmoid: return ".activation(.sigmoid)"
            case .zero: return ".activation(.zero)"
            case .identity, .flatten: return ".activation(.identity)"
            }
        case .residual(let body):
            return ".residual(\(operations(body, indent: indent)))"
        }
    }
}
