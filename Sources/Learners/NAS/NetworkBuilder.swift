import Foundation
import MLData
import NN
import Search
import Tensor

/// `(x − mean) · inverseScale`, with the statistics stored as (non-trainable) buffers so they are saved
/// with the weights: per feature for tabular rows, one pair for a whole signal or image (a per-pixel
/// scale would blow up the noise of border pixels that hardly vary).
final class InputStandardization: Layer {
    let mean: Parameter
    let inverseScale: Parameter

    init(count: Int) {
        mean = Parameter(Tensor.zeros([count]), trainable: false)
        inverseScale = Parameter(Tensor.ones([count]), trainable: false)
    }

    func set(mean m: [Double], scale s: [Double]) {
        mean.value = Tensor(shape: [m.count], scalars: m.map { Float($0) })
        inverseScale.value = Tensor(shape: [s.count], scalars: s.map { Float(1 / $0) })
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        let m = mean.value.count == 1 ? mean.value.reshaped([1, 1]) : mean.value.reshaped([1, -1])
        let s = inverseScale.value.count == 1 ? inverseScale.value.reshaped([1, 1]) : inverseScale.value.reshaped([1, -1])
        return (x - m) * s
    }

    var ownParameters: [(name: String, parameter: Parameter)] { [("mean", mean), ("inverse_scale", inverseScale)] }

    var operations: [NetworkOperation]? {
        [.standardize(mean: mean.value.cast(to: .float32).scalars, inverseScale: inverseScale.value.cast(to: .float32).scalars)]
    }
}

/// `[N, F]` → `[N, 1, shape…]`: the rows as one-channel signals or images.
final class Reshape: Layer {
    let shape: [Int]
    init(_ shape: [Int]) { self.shape = shape }
    func callAsFunction(_ x: Tensor) -> Tensor { x.reshaped([x.shape[0], 1] + shape) }
}

/// Builds the network a design describes, and counts its multiply–adds per row from the design alone
/// (for cost estimates, without allocating any weights).
enum NetworkBuilder {
    struct Built {
        var network: Sequential
        var input: InputStandardization
    }

    /// Multiply–adds of one forward pass for one row (one-hot inputs: no embeddings). Linear layers count
    /// inputs × outputs; a convolution counts output positions × channels in × channels out × kernel size.
    static func macs(_ architecture: NetworkArchitecture, features: Int, outputs: Int) -> Double {
        switch architecture {
        case .mlp(let m):
            var width = features
            var macs = 0.0  // the tabular input stage: the identity without embeddings
            for w in m.widths {
                macs += Double(width * w)
                width = w
            }
            return macs + Double(width * outputs)
        case .cells(let d):
            let kernelArea = d.inputShape.count == 2 ? 9 : 3
            var side = d.inputShape, channels = d.channels
            var positions = side.reduce(1, *)
            var macs = Double(positions * channels * kernelArea)  // stem
            for stage in 0..<d.stages {
                if stage > 0 {
                    side = side.map { ($0 + 1) / 2 }
                    positions = side.reduce(1, *)
                    macs += Double(positions * channels * 2 * channels * kernelArea)
                    channels *= 2
                }
                guard d.isConnected else { continue }
                for e in d.edges {
                    guard let kernel = convolution(e.op)?.kernel else { continue }
                    macs += Double(d.cellsPerStage * positions * channels * channels)
                        * Double(d.inputShape.count == 2 ? kernel * kernel : kernel)
                }
            }
            return macs + Double((d.head == .pool ? channels : channels * positions) * outputs)
        }
    }

    /// The kernel size and dilation of a convolutional cell operation (nil: skip, pooling).
    static func convolution(_ op: String) -> (kernel: Int, dilation: Int)? {
        switch op {
        case "skip", "avgpool3", "avgpool3x3": return nil
        case "conv1x1": return (1, 1)
        case "conv5": return (5, 1)
        case "dilconv3": return (3, 2)
        default: return (3, 1)
        }
    }

    static func build(
        _ architecture: NetworkArchitecture, features: Int, groups: [Range<Int>], outputs: Int, seed: UInt64
    ) -> Built {
        var rng = SeededGenerator(seed: seed)
        switch architecture {
        case .mlp(let m):
            let input = InputStandardization(count: features)
            let tabular = TabularInput(features: features, groups: groups, embedding: m.embeddingSize, using: &rng)
            var layers: [any Layer] = [input, tabular]
            var width = max(1, tabular.outputWidth)
            for (i, w) in m.widths.enumerated() {
                var block: [any Layer] = [Linear(width, w, initializer: .xavierUniform, using: &rng)]
                switch m.normalization {
                case .none: break
                case .batch: block.append(BatchNorm(w))
                case .layer: block.append(LayerNorm(w))
                }
                block.append(Function(m.activation.kind))
                if m.dropout > 0 { block.append(Dropout(m.dropout, seed: seed &+ UInt64(i + 1))) }
                let body = Sequential(block)
                layers.append(m.residual && width == w ? Residual(body) : body)
                width = w
            }
            layers.append(Linear(width, outputs, initializer: .xavierUniform, using: &rng))
            return Built(network: Sequential(layers), input: input)
        case .cells(let d):
            let input = InputStandardization(count: 1)
            var layers: [any Layer] = [input, Reshape(d.inputShape)]
            let twoD = d.inputShape.count == 2
            var positions = d.inputShape.reduce(1, *)
            var channels = d.channels
            func convBN(_ cin: Int, _ cout: Int, kernel: Int, stride: Int = 1, dilation: Int = 1, rng: inout SeededGenerator) -> [any Layer] {
                let pad = dilation * (kernel - 1) / 2
                let conv: any Layer = twoD
                    ? Conv2d(cin, cout, kernel: (kernel, kernel), stride: (stride, stride), padding: (pad, pad), dilation: (dilation, dilation),
                             bias: false, using: &rng)
                    : Conv1d(cin, cout, kernel: kernel, stride: stride, padding: pad, dilation: dilation, bias: false, using: &rng)
                return [conv, BatchNorm(cout)]
            }
            // Stem.
            layers += convBN(1, channels, kernel: 3, rng: &rng) + [Function(.relu)]
            var side = d.inputShape
            for stage in 0..<d.stages {
                if stage > 0 {
                    // Reduction: a stride-2 convolution doubles the channels and halves the resolution.
                    layers += convBN(channels, 2 * channels, kernel: 3, stride: 2, rng: &rng) + [Function(.relu)]
                    side = side.map { ($0 + 1) / 2 }
                    positions = side.reduce(1, *)
                    channels *= 2
                }
                for _ in 0..<d.cellsPerStage {
                    layers.append(makeCell(d, channels: channels, twoD: twoD, rng: &rng))
                }
            }
            layers += [BatchNorm(channels), Function(.relu)]
            let headWidth = d.head == .pool ? channels : channels * positions
            if d.head == .pool { layers.append(Pooling(.globalAverage)) }
            layers += [Function(.flatten), Linear(headWidth, outputs, initializer: .xavierUniform, using: &rng)]
            return Built(network: Sequential(layers), input: input)
        }
    }

    /// One cell: a DAG over 4 nodes whose edges apply their operations and whose nodes sum their inputs;
    /// node 3 is the output. A cell whose output cannot be reached from its input outputs zeros (as in
    /// NAS-Bench-201).
    static func makeCell(
        _ d: NetworkArchitecture.CellDesign, channels c: Int, twoD: Bool, rng: inout SeededGenerator
    ) -> any Layer {
        guard d.isConnected else { return Function(.zero) }
        var edges: [DAG.Edge] = []
        for e in d.edges {
            let op: any Layer
            if let (kernel, dilation) = convolution(e.op) {
                // ReLU → convolution → batch norm (the NAS-Bench-201 order).
                let pad = dilation * (kernel - 1) / 2
                let conv: any Layer = twoD
                    ? Conv2d(c, c, kernel: (kernel, kernel), padding: (pad, pad), dilation: (dilation, dilation), bias: false, using: &rng)
                    : Conv1d(c, c, kernel: kernel, padding: pad, dilation: dilation, bias: false, using: &rng)
                op = Sequential([Function(.relu), conv, BatchNorm(c)])
            } else if e.op == "skip" {
                op = Function(.identity)
            } else {
                op = Pooling(twoD ? .avg2d(kernel: 3, stride: 1, padding: 1) : .avg1d(kernel: 3, stride: 1, padding: 1))
            }
            edges.append(DAG.Edge(from: e.from, to: e.to, op: op))
        }
        // Edges out of nodes nothing reaches contribute nothing; the DAG skips them.
        return DAG(nodeCount: NetworkArchitecture.CellDesign.nodes, edges: edges, merge: .sum, outputs: [NetworkArchitecture.CellDesign.nodes - 1])
    }
}

extension NetworkArchitecture {
    /// The untrained network of this design (input statistics at mean 0, scale 1), for inspection.
    public func makeNetwork(features: Int, groups: [Range<Int>] = [], outputs: Int, seed: UInt64 = 0) -> Sequential {
        NetworkBuilder.build(self, features: features, groups: groups, outputs: outputs, seed: seed).network
    }
}
