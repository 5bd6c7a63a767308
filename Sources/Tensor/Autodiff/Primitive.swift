/// The primitive operations the autodiff engine knows. Every other operation is composed of these; each
/// primitive's gradient is stated once, in `Gradients.swift`.
enum Primitive {
    /// A parameter (gradients end here).
    case leaf
    // Elementwise, broadcasting binary.
    case add, sub, mul, div
    // Elementwise unary.
    case neg, exp, log, sqrt, abs, tanh, sigmoid, relu, gelu
    case pow(Double)
    case clamp(low: Double, high: Double)
    // Linear algebra.
    case matmul(transposeB: Bool)
    // Reductions.
    case sum(axis: Int)
    case max(axis: Int, argmax: [Int])
    // Layout.
    case reshape
    case transpose(perm: [Int])
    case slice(axis: Int, start: Int)
    case concat(axis: Int)
    case gatherRows(indices: [Int])
    case broadcast
    // Neural-network kernels.
    case conv2d(ConvGeometry, unfolded: Storage)
    case maxPool2d(PoolGeometry, argmax: [Int])
    case avgPool2d(PoolGeometry)
}

/// How a tensor was made: the primitive, its inputs, and its own value (for gradients that need it).
final class GraphNode: @unchecked Sendable {
    let primitive: Primitive
    let inputs: [Tensor]
    /// The output's value (without its node, to avoid a cycle).
    let output: Tensor?
    let shape: [Int]
    unowned(unsafe) let parameter: Parameter?
    /// The gradient flowing into this node during one backward pass.
    var grad: Tensor?

    init(_ primitive: Primitive, inputs: [Tensor], output: Tensor) {
        self.primitive = primitive
        self.inputs = inputs
        self.output = output
        self.shape = output.shape
        self.parameter = nil
    }

    init(leafOf parameter: Parameter) {
        primitive = .leaf
        inputs = []
        output = nil
        shape = parameter.value.shape
        self.parameter = parameter
    }
}

extension Tensor {
    /// The result of a primitive: records the node when gradients are on and an input needs them.
    static func record(_ primitive: @autoclosure () -> Primitive, inputs: [Tensor], shape: [Int], storage: Storage) -> Tensor {
        let value = Tensor(shape: shape, storage: storage)
        guard GradMode.isEnabled, inputs.contains(where: { $0.node != nil }) else { return value }
        return Tensor(shape: shape, storage: storage, node: GraphNode(primitive(), inputs: inputs, output: value))
    }
}
