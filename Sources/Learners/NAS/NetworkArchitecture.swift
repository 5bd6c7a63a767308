import Foundation
import Search

/// The three spaces neural architecture search draws networks from.
public enum NetworkSpace: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// Tabular MLP macro space: blocks, width per block, activation, normalisation, dropout, residuals,
    /// categorical embeddings.
    case mlp
    /// 1-D convolutional cells for rows that are a signal (numeric columns in order).
    case conv1d
    /// 2-D cells in the NAS-Bench-201 layout for rows that are an image.
    case cell2d

    public var description: String { rawValue }

    /// The space for an input shape: `[L]` a signal, `[H, W]` an image, none tabular.
    public static func forShape(_ shape: [Int]?) -> NetworkSpace {
        switch shape?.count {
        case 1: return .conv1d
        case 2: return .cell2d
        default: return .mlp
        }
    }

    /// The operations a cell edge may take.
    public var operations: [String] {
        switch self {
        case .mlp: return []
        case .conv1d: return ["zero", "skip", "conv3", "conv5", "dilconv3", "avgpool3"]
        case .cell2d: return ["none", "skip", "conv1x1", "conv3x3", "avgpool3x3"]
        }
    }
}

/// A frozen network design: what a point of a NAS space describes, before any weights exist.
public enum NetworkArchitecture: Codable, Sendable, Hashable, CustomStringConvertible {
    case mlp(MLPDesign)
    case cells(CellDesign)

    public var space: NetworkSpace {
        switch self {
        case .mlp: return .mlp
        case .cells(let c): return c.inputShape.count == 1 ? .conv1d : .cell2d
        }
    }

    public var description: String {
        switch self {
        case .mlp(let m): return m.description
        case .cells(let c): return c.description
        }
    }

    /// The tabular macro design.
    public struct MLPDesign: Codable, Sendable, Hashable, CustomStringConvertible {
        public var widths: [Int]
        public var activation: MLPLearner.Activation
        public var normalization: MLPLearner.Normalization
        public var dropout: Double
        public var residual: Bool
        /// Embedding size per categorical column (nil: one-hot).
        public var embeddingSize: Int?
        /// Whether the space searched the categorical encoding (the data had categorical columns).
        public var searchesEncoding = false

        public init(widths: [Int], activation: MLPLearner.Activation, normalization: MLPLearner.Normalization, dropout: Double,
                    residual: Bool, embeddingSize: Int?, searchesEncoding: Bool = false) {
            self.widths = widths
            self.activation = activation
            self.normalization = normalization
            self.dropout = dropout
            self.residual = residual
            self.embeddingSize = embeddingSize
            self.searchesEncoding = searchesEncoding
        }

        public var description: String {
            "mlp: " + widths.map(String.init).joined(separator: "→") + " \(activation.rawValue)"
                + (normalization == .none ? "" : ", \(normalization.rawValue) norm")
                + (dropout > 0 ? String(format: ", dropout %.2f", dropout) : "") + (residual ? ", residual" : "")
                + (embeddingSize.map { ", embeddings of \($0)" } ?? "")
        }
    }

    /// A cell network: a stem, `stages` stages of `cellsPerStage` identical cells (the channels double and
    /// the resolution halves between stages), global average pooling and a linear head.
    public struct CellDesign: Codable, Sendable, Hashable, CustomStringConvertible {
        /// `[L]` for a signal, `[H, W]` for an image.
        public var inputShape: [Int]
        public var channels: Int
        public var stages: Int
        public var cellsPerStage: Int
        /// The cell's edges whose operation is not zero / none.
        public var edges: [CellSpace.Edge]
        /// How the last feature map reaches the linear head.
        public var head: Head
        public static let nodes = 4

        public init(inputShape: [Int], channels: Int, stages: Int, cellsPerStage: Int, edges: [CellSpace.Edge], head: Head) {
            self.inputShape = inputShape
            self.channels = channels
            self.stages = stages
            self.cellsPerStage = cellsPerStage
            self.edges = edges
            self.head = head
        }

        public enum Head: String, Codable, Sendable, CaseIterable {
            /// Global average pooling: position-free features (a shifted waveform looks the same).
            case pool
            /// Every position of the last map: keeps where things are (digits, say).
            case flatten
        }

        public var description: String {
            "cell: " + (edges.isEmpty ? "(empty)" : edges.map { "\($0.from)→\($0.to) \($0.op)" }.joined(separator: ", "))
                + "; \(stages) stage\(stages == 1 ? "" : "s") × \(cellsPerStage) cell\(cellsPerStage == 1 ? "" : "s"), \(channels) channels, \(head == .pool ? "pooled" : "flattened") head"
        }

        /// Whether the cell's output node is reachable from its input through its edges.
        public var isConnected: Bool {
            var reached: Set<Int> = [0]
            for e in edges.sorted(by: { $0.to < $1.to }) where reached.contains(e.from) { reached.insert(e.to) }
            return reached.contains(Self.nodes - 1)
        }
    }
}

/// The flat form of the NAS spaces (architecture and training settings as labelled parameters) and the
/// way back to a design (NNI's simplify / freeze, see `ArchitectureSpace`).
public struct NetworkSearchSpace: ArchitectureSpace {
    public var space: NetworkSpace
    /// The input shape of a cell space.
    public var inputShape: [Int]
    /// Categorical columns among the inputs (the MLP space then searches an embedding size).
    public var categoricalGroups: Int
    public var rows: Int
    public static let maxBlocks = 4

    public init(space: NetworkSpace, inputShape: [Int] = [], categoricalGroups: Int = 0, rows: Int) {
        self.space = space
        self.inputShape = inputShape
        self.categoricalGroups = categoricalGroups
        self.rows = rows
    }

    /// Stages a cell network may have: each later stage halves the resolution, down to 2.
    public var maxStages: Int {
        guard let side = inputShape.min(), side >= 4 else { return 1 }
        return max(1, min(3, Int(log2(Double(side)))))
    }

    public func simplify() throws -> SearchSpace {
        var p: [SearchSpace.Parameter] = []
        switch space {
        case .mlp:
            p.append(.init("blocks", .int(1, Self.maxBlocks), lowCost: .int(1)))
            for i in 0..<Self.maxBlocks {
                let when = i == 0 ? nil : SearchSpace.Condition(parent: "blocks", values: (i + 1...Self.maxBlocks).map { .int($0) })
                p.append(.init("width.\(i)", .int(16, 512, log: true), when: when, lowCost: .int(32)))
            }
            p.append(.init("activation", .categorical(MLPLearner.Activation.allCases.map(\.rawValue)), lowCost: .string("relu")))
            p.append(.init("normalization", .categorical(MLPLearner.Normalization.allCases.map(\.rawValue)), lowCost: .string("none")))
            p.append(.init("dropout", .float(0, 0.5), lowCost: .double(0)))
            p.append(.init("residual", .categorical(["no", "yes"]), lowCost: .string("no")))
            if categoricalGroups > 0 {
                p.append(.init("categorical", .categorical(["one_hot", "embedding"]), lowCost: .string("one_hot")))
                p.append(.init("embedding_size", .int(2, 32, log: true), when: .init(parent: "categorical", values: [.string("embedding")]),
                               lowCost: .int(4)))
            }
        case .conv1d, .cell2d:
            let ops = space.operations
            let lowCost = ["1-0": ops[3], "2-1": "skip", "3-2": "skip"]  // one convolution on a chain
            for to in 1..<NetworkArchitecture.CellDesign.nodes {
                for from in 0..<to {
                    p.append(.init("edge.\(to)-\(from)", .categorical(ops), lowCost: .string(lowCost["\(to)-\(from)"] ?? ops[0])))
                }
            }
            p.append(.init("channels", .int(8, 64, log: true), lowCost: .int(8)))
            p.append(.init("stages", .int(1, maxStages), lowCost: .int(1)))
            p.append(.init("cells", .int(1, 3), lowCost: .int(1)))
            p.append(.init("head", .categorical(["pool", "flatten"]), lowCost: .string("flatten")))
        }
        // Training settings.
        p.append(.init("optimizer", .categorical(["adamw", "sgd"]), lowCost: .string("adamw")))
        p.append(.init("learning_rate", .float(1e-4, 3e-2, log: true), when: .init(parent: "optimizer", values: [.string("adamw")]),
                       lowCost: .double(3e-3)))
        p.append(.init("sgd_learning_rate", .float(3e-3, 0.3, log: true), when: .init(parent: "optimizer", values: [.string("sgd")]),
                       lowCost: .double(0.05)))
        p.append(.init("weight_decay", .float(1e-6, 1e-2, log: true), lowCost: .double(1e-5)))
        let maxBatch = max(16, min(512, rows))
        p.append(.init("batch_size", .int(16, maxBatch, log: true), lowCost: .int(min(maxBatch, 128))))
        p.append(.init("epochs", .int(5, 60, log: true), lowCost: .int(10)))
        return try SearchSpace(p)
    }

    public func freeze(_ c: Configuration) throws -> NetworkArchitecture {
        let r = ConfigurationReader(c, learner: "nas")
        switch space {
        case .mlp:
            let blocks = try r.int("blocks")
            guard (1...Self.maxBlocks).contains(blocks) else { throw LearnerError.invalidConfiguration("nas: 'blocks' must lie in 1...\(Self.maxBlocks)") }
            let widths = try (0..<blocks).map { try r.int("width.\($0)") }
            guard widths.allSatisfy({ $0 >= 1 }) else { throw LearnerError.invalidConfiguration("nas: block widths must be positive") }
            var embedding: Int?
            if categoricalGroups > 0, try r.string("categorical") == "embedding" { embedding = try r.int("embedding_size") }
            return .mlp(.init(widths: widths, activation: try r.choice("activation", as: MLPLearner.Activation.self),
                              normalization: try r.choice("normalization", as: MLPLearner.Normalization.self),
                              dropout: try r.double("dropout"), residual: try r.string("residual") == "yes", embeddingSize: embedding,
                              searchesEncoding: categoricalGroups > 0))
        case .conv1d, .cell2d:
            guard inputShape.count == (space == .conv1d ? 1 : 2), inputShape.allSatisfy({ $0 >= 1 }) else {
                throw LearnerError.invalidConfiguration("the \(space) space needs an input shape of \(space == .conv1d ? "one" : "two") sizes; got \(inputShape)")
            }
            var edges: [CellSpace.Edge] = []
            for to in 1..<NetworkArchitecture.CellDesign.nodes {
                for from in 0..<to {
                    let op = try r.string("edge.\(to)-\(from)")
                    guard space.operations.contains(op) else {
                        throw LearnerError.invalidConfiguration("nas: '\(op)' is not an operation of the \(space) space (\(space.operations.joined(separator: ", ")))")
                    }
                    if op != "zero" && op != "none" { edges.append(.init(from: from, to: to, op: op)) }
                }
            }
            let channels = try r.int("channels")
            guard channels >= 1 else { throw LearnerError.invalidConfiguration("nas: 'channels' must be a positive whole number") }
            let stages = try r.int("stages"), cells = try r.int("cells")
            guard (1...maxStages).contains(stages), (1...8).contains(cells) else {
                throw LearnerError.invalidConfiguration("nas: 'stages' must lie in 1...\(maxStages) and 'cells' in 1...8")
            }
            return .cells(.init(inputShape: inputShape, channels: channels, stages: stages, cellsPerStage: cells, edges: edges,
                                head: try r.choice("head", as: NetworkArchitecture.CellDesign.Head.self)))
        }
    }

    /// The flat configuration of a design (the inverse of `freeze` for the architecture parameters).
    public static func configuration(of architecture: NetworkArchitecture) -> Configuration {
        var c: Configuration = [:]
        switch architecture {
        case .mlp(let m):
            c["blocks"] = .int(m.widths.count)
            for (i, w) in m.widths.enumerated() { c["width.\(i)"] = .int(w) }
            c["activation"] = .string(m.activation.rawValue)
            c["normalization"] = .string(m.normalization.rawValue)
            c["dropout"] = .double(m.dropout)
            c["residual"] = .string(m.residual ? "yes" : "no")
            if let e = m.embeddingSize { c["categorical"] = .string("embedding"); c["embedding_size"] = .int(e) }
            else if m.searchesEncoding { c["categorical"] = .string("one_hot") }
        case .cells(let d):
            let space = architecture.space
            for to in 1..<NetworkArchitecture.CellDesign.nodes {
                for from in 0..<to {
                    c["edge.\(to)-\(from)"] = .string(d.edges.first { $0.from == from && $0.to == to }?.op ?? space.operations[0])
                }
            }
            c["channels"] = .int(d.channels)
            c["stages"] = .int(d.stages)
            c["cells"] = .int(d.cellsPerStage)
            c["head"] = .string(d.head.rawValue)
        }
        return c
    }
}
