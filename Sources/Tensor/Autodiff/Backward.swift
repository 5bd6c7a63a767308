extension Tensor {
    /// Back-propagates from this tensor (a scalar loss, or with `seed` as its gradient) and accumulates
    /// the gradient of every parameter it depends on into `Parameter.grad`.
    ///
    /// The graph is ordered by an iterative depth-first search (no recursion, so deep graphs cannot
    /// overflow the stack); each node's inputs receive their gradients after all of its users have.
    public func backward(seed: Tensor? = nil) {
        guard let root = node else { return }
        precondition(seed != nil || count == 1, "backward() without a seed needs a one-element tensor; got shape \(shape)")
        var order: [GraphNode] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(GraphNode, Bool)] = [(root, false)]
        while let (n, expanded) = stack.popLast() {
            if expanded { order.append(n); continue }
            guard visited.insert(ObjectIdentifier(n)).inserted else { continue }
            stack.append((n, true))
            for input in n.inputs {
                if let p = input.node, !visited.contains(ObjectIdentifier(p)) { stack.append((p, false)) }
            }
        }
        withNoGrad {
            root.grad = seed?.detached ?? Tensor.ones(shape, dtype: dtype)
            for n in order.reversed() {
                guard let g = n.grad else { continue }
                n.grad = nil
                if case .leaf = n.primitive {
                    n.parameter?.accumulate(g)
                    continue
                }
                let grads = Gradients.vjp(n, g)
                for (input, gi) in zip(n.inputs, grads) {
                    guard let p = input.node, let gi else { continue }
                    precondition(gi.shape == p.shape, "gradient shape \(gi.shape) differs from \(p.shape) in \(n.primitive)")
                    p.grad = p.grad.map { $0 + gi } ?? gi
                }
            }
        }
    }
}
