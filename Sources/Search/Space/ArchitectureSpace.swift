/// A space of structured objects (network architectures, pipelines) that the strategies search through
/// its flat form (NNI's simplify / freeze).
///
/// `simplify()` flattens the structure to labelled parameters — every decision becomes one parameter,
/// nested decisions become conditional ones — and `freeze(_:)` turns a configuration of that space back
/// into the concrete object. A study searches the flat space; the objective freezes each trial's
/// configuration and trains what it gets.
public protocol ArchitectureSpace: Sendable {
    associatedtype Architecture

    /// The flat, labelled search space.
    func simplify() throws -> SearchSpace

    /// The object a configuration of `simplify()` describes.
    func freeze(_ configuration: Configuration) throws -> Architecture
}

/// A cell: a small DAG whose every edge picks one operation (the NAS-Bench-201 form), with a searched
/// width. It flattens to one categorical parameter per edge (`edge.1-0` for the edge into node 1 from
/// node 0) plus `width`, and freezes to a `Cell`, which the network library turns into layers.
public struct CellSpace: ArchitectureSpace, Hashable {
    public struct Edge: Hashable, Sendable, Codable {
        public var from: Int
        public var to: Int
        public var op: String

        public init(from: Int, to: Int, op: String) {
            self.from = from
            self.to = to
            self.op = op
        }
    }

    /// The frozen cell: its edges (edges whose op is `none` are dropped) and width.
    public struct Cell: Hashable, Sendable, Codable, CustomStringConvertible {
        public var nodes: Int
        public var edges: [Edge]
        public var width: Int

        /// "cell: 0→1 conv3, 0→2 skip, …, width 32".
        public var description: String {
            "cell: " + edges.map { "\($0.from)→\($0.to) \($0.op)" }.joined(separator: ", ") + ", width \(width)"
        }
    }

    public var nodes: Int
    public var operations: [String]
    public var widths: [Int]

    public init(nodes: Int = 4, operations: [String], widths: [Int]) {
        self.nodes = nodes
        self.operations = operations
        self.widths = widths
    }

    public func simplify() throws -> SearchSpace {
        var parameters: [SearchSpace.Parameter] = []
        for to in 1..<nodes {
            for from in 0..<to { parameters.append(.init("edge.\(to)-\(from)", .categorical(operations))) }
        }
        parameters.append(.init("width", .categorical(widths.map(String.init))))
        return try SearchSpace(parameters)
    }

    public func freeze(_ configuration: Configuration) throws -> Cell {
        try simplify().validate(configuration)
        var edges: [Edge] = []
        for to in 1..<nodes {
            for from in 0..<to {
                guard case .string(let op)? = configuration["edge.\(to)-\(from)"] else { continue }
                if op != "none" { edges.append(Edge(from: from, to: to, op: op)) }
            }
        }
        guard case .string(let w)? = configuration["width"], let width = Int(w) else {
            throw SearchError.invalidConfiguration("'width' must be one of \(widths)")
        }
        return Cell(nodes: nodes, edges: edges, width: width)
    }
}
