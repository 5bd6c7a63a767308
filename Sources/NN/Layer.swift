import Tensor

/// A building block of a network: a function of a tensor with named parameters and sub-layers.
///
/// Layers are classes (their parameters change in place while training) and are composed at run time:
/// `Sequential([any Layer])` and `DAG` take any mix of layers, so a search can assemble networks from a
/// description. Parameter paths join the names down the tree: `"layers.0.weight"`.
public protocol Layer: AnyObject {
    func callAsFunction(_ x: Tensor) -> Tensor
    /// Parameters and buffers owned by this layer itself, by local name.
    var ownParameters: [(name: String, parameter: Parameter)] { get }
    /// Direct sub-layers, by local name.
    var children: [(name: String, layer: any Layer)] { get }
    /// Switches training behaviour (dropout, batch statistics) on or off, here and below.
    func setTraining(_ training: Bool)
    /// The layer's inference on one row of features as plain numbers, for exporters; nil when it cannot
    /// be written that way (convolutions, graphs): the network is then not exported.
    var operations: [NetworkOperation]? { get }
}

extension Layer {
    public var ownParameters: [(name: String, parameter: Parameter)] { [] }
    public var children: [(name: String, layer: any Layer)] { [] }
    public func setTraining(_ training: Bool) { for c in children { c.layer.setTraining(training) } }
    public var operations: [NetworkOperation]? { nil }

    /// Every parameter and buffer below this layer, keyed by path.
    public func namedParameters() -> [(name: String, parameter: Parameter)] {
        var out: [(name: String, parameter: Parameter)] = []
        var stack: [(prefix: String, layer: any Layer)] = [("", self)]
        while let (prefix, layer) = stack.popLast() {
            for p in layer.ownParameters { out.append((prefix + p.name, p.parameter)) }
            for c in layer.children.reversed() { stack.append((prefix + c.name + ".", c.layer)) }
        }
        return out
    }

    /// The parameters an optimiser should train.
    public func trainableParameters() -> [Parameter] { namedParameters().map(\.parameter).filter(\.trainable) }

    /// The number of trainable scalars.
    public var parameterCount: Int { trainableParameters().reduce(0) { $0 + $1.value.count } }

    public func zeroGrad() { for p in trainableParameters() { p.zeroGrad() } }
    public func train() { setTraining(true) }
    public func eval() { setTraining(false) }

    /// Converts every parameter to `dtype` (Float64 for gradient checks).
    public func cast(to dtype: DType) { for (_, p) in namedParameters() { p.value = p.value.cast(to: dtype) } }
}

/// Layers applied one after another.
public final class Sequential: Layer {
    public var layers: [any Layer]

    public init(_ layers: [any Layer]) { self.layers = layers }

    public func callAsFunction(_ x: Tensor) -> Tensor { layers.reduce(x) { $1($0) } }

    public var operations: [NetworkOperation]? {
        var out: [NetworkOperation] = []
        for layer in layers {
            guard let ops = layer.operations else { return nil }
            out += ops
        }
        return out
    }

    public var children: [(name: String, layer: any Layer)] {
        layers.enumerated().map { ("layers.\($0.offset)", $0.element) }
    }
}

/// `x + body(x)`: a residual connection.
public final class Residual: Layer {
    public let body: any Layer

    public init(_ body: any Layer) { self.body = body }

    public func callAsFunction(_ x: Tensor) -> Tensor { x + body(x) }

    public var operations: [NetworkOperation]? { body.operations.map { [.residual($0)] } }

    public var children: [(name: String, layer: any Layer)] { [("body", body)] }
}
