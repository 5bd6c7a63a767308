import Tensor

/// A small directed acyclic graph of layers, built at run time: the form of a NAS cell.
///
/// Nodes `0..<inputCount` are the inputs; every later node merges its incoming edges (each edge applies a
/// layer to an earlier node); the output merges the `outputs` nodes. A residual block is the graph with
/// edges 0 → 1 (the block) and 0 → 1 (identity), merged by sum.
public final class DAG: Layer {
    public enum Merge: Sendable, Equatable {
        case sum
        /// Concatenate along an axis (1: channels or features).
        case concat(axis: Int)
    }

    public struct Edge {
        public var from: Int
        public var to: Int
        public var op: any Layer
        public init(from: Int, to: Int, op: any Layer) {
            self.from = from
            self.to = to
            self.op = op
        }
    }

    public let inputCount: Int
    public let nodeCount: Int
    public let edges: [Edge]
    public let merge: Merge
    public let outputs: [Int]
    public let outputMerge: Merge

    /// - Precondition: every edge goes from a lower node to a higher one, and every non-input node that is
    ///   used has at least one incoming edge.
    public init(inputCount: Int = 1, nodeCount: Int, edges: [Edge], merge: Merge = .sum, outputs: [Int], outputMerge: Merge = .sum) {
        precondition(edges.allSatisfy { $0.from < $0.to && $0.to < nodeCount }, "DAG edges must go forward to existing nodes")
        precondition(!outputs.isEmpty && outputs.allSatisfy { $0 < nodeCount }, "DAG outputs must name nodes")
        self.inputCount = inputCount
        self.nodeCount = nodeCount
        self.edges = edges
        self.merge = merge
        self.outputs = outputs
        self.outputMerge = outputMerge
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { callAsFunction([x]) }

    public func callAsFunction(_ inputs: [Tensor]) -> Tensor {
        precondition(inputs.count == inputCount, "this DAG takes \(inputCount) inputs, got \(inputs.count)")
        var values = [Tensor?](repeating: nil, count: nodeCount)
        for (i, x) in inputs.enumerated() { values[i] = x }
        for node in inputCount..<nodeCount {
            let incoming = edges.filter { $0.to == node }.compactMap { e in values[e.from].map { e.op($0) } }
            if !incoming.isEmpty { values[node] = Self.combine(incoming, merge) }
        }
        let outs = outputs.map { o -> Tensor in
            guard let v = values[o] else { preconditionFailure("DAG output node \(o) has no incoming edges") }
            return v
        }
        return Self.combine(outs, outputMerge)
    }

    static func combine(_ xs: [Tensor], _ merge: Merge) -> Tensor {
        if xs.count == 1 { return xs[0] }
        switch merge {
        case .sum: return xs.dropFirst().reduce(xs[0], +)
        case .concat(let axis): return Tensor.concat(xs, axis: axis)
        }
    }

    public var children: [(name: String, layer: any Layer)] {
        edges.enumerated().map { ("edges.\($0.offset)", $0.element.op) }
    }
}
