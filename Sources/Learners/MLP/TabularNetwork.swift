import MLData
import NN
import Tensor

/// The input stage of a tabular network: numeric features pass through, and each one-hot group (a
/// categorical column) either passes through as one-hot or goes through its own embedding, a bias-free
/// linear map from the levels to `dimension` numbers (a lookup table; an unseen level, all zeros, maps to zero).
final class TabularInput: Layer {
    enum Segment { case numeric(Range<Int>), embedded(Range<Int>, Linear) }
    let segments: [Segment]
    let outputWidth: Int

    init(features: Int, groups: [Range<Int>], embedding dimension: Int?, using rng: inout some RandomNumberGenerator) {
        var segments: [Segment] = []
        var width = 0
        var cursor = 0
        let embedded = dimension.map { _ in groups.sorted { $0.lowerBound < $1.lowerBound } } ?? []
        for g in embedded where g.lowerBound >= cursor && g.upperBound <= features {
            if g.lowerBound > cursor { segments.append(.numeric(cursor..<g.lowerBound)); width += g.lowerBound - cursor }
            let d = min(dimension ?? 1, g.count)
            segments.append(.embedded(g, Linear(g.count, d, bias: false, initializer: .xavierUniform, using: &rng)))
            width += d
            cursor = g.upperBound
        }
        if cursor < features { segments.append(.numeric(cursor..<features)); width += features - cursor }
        self.segments = segments
        outputWidth = width
    }

    var isIdentity: Bool {
        if segments.count == 1, case .numeric = segments[0] { return true }
        return segments.isEmpty
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        if isIdentity { return x }
        let parts = segments.map { s -> Tensor in
            switch s {
            case .numeric(let r): return x.slice(axis: 1, r)
            case .embedded(let r, let e): return e(x.slice(axis: 1, r))
            }
        }
        return parts.count == 1 ? parts[0] : Tensor.concat(parts, axis: 1)
    }

    var children: [(name: String, layer: any Layer)] {
        segments.enumerated().compactMap { i, s in
            if case .embedded(_, let e) = s { return ("embedding\(i)", e) }
            return nil
        }
    }

    var operations: [NetworkOperation]? {
        if isIdentity { return [] }
        return [.columnBlocks(segments.map { s in
            switch s {
            case .numeric(let r): return .pass(r)
            case .embedded(let r, let e):
                return .project(r, weight: e.weight.value.cast(to: .float32).scalars, outputs: e.weight.value.shape[0])
            }
        })]
    }
}

/// Builds the MLP a configuration describes: input stage, blocks of linear → normalisation →
/// activation → dropout (residual where widths allow), and a linear head.
enum TabularNetwork {
    static func build(
        _ config: MLPLearner, features: Int, groups: [Range<Int>], outputs: Int, seed: UInt64
    ) -> Sequential {
        var rng = SeededGenerator(seed: seed)
        let input = TabularInput(features: features, groups: groups,
                                 embedding: config.categorical == .embedding ? config.embeddingSize : nil, using: &rng)
        var layers: [any Layer] = [input]
        var width = max(1, input.outputWidth)
        for i in 0..<config.layers {
            var block: [any Layer] = [Linear(width, config.width, initializer: .xavierUniform, using: &rng)]
            switch config.normalization {
            case .none: break
            case .batch: block.append(BatchNorm(config.width))
            case .layer: block.append(LayerNorm(config.width))
            }
            block.append(Function(config.activation.kind))
            if config.dropout > 0 { block.append(Dropout(config.dropout, seed: seed &+ UInt64(i + 1))) }
            let body = Sequential(block)
            layers.append(config.residual && width == config.width ? Residual(body) : body)
            width = config.width
        }
        layers.append(Linear(width, outputs, initializer: .xavierUniform, using: &rng))
        return Sequential(layers)
    }
}
