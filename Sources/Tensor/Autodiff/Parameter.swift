/// A trainable tensor: its value, and the gradient `backward()` accumulated into it.
///
/// Use `tensor` in the forward pass: it carries the link that routes gradients back here.
public final class Parameter: @unchecked Sendable {
    public var value: Tensor
    public var grad: Tensor?
    /// False for state that is saved but not trained (batch-norm running statistics).
    public let trainable: Bool
    private var leaf: GraphNode?

    public init(_ value: Tensor, trainable: Bool = true) {
        self.value = value.detached
        self.trainable = trainable
    }

    /// The value, linked to this parameter for gradients (when recording and trainable).
    public var tensor: Tensor {
        guard trainable, GradMode.isEnabled else { return value }
        if leaf == nil { leaf = GraphNode(leafOf: self) }
        return Tensor(shape: value.shape, storage: value.storage, node: leaf)
    }

    /// Adds `g` to the accumulated gradient.
    func accumulate(_ g: Tensor) {
        grad = withNoGrad { grad.map { $0 + g } ?? g.detached }
    }

    public func zeroGrad() { grad = nil }
}
