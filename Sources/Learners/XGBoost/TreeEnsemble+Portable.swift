extension TreeEnsemble {
    /// The ensemble as plain data (`PortableTrees.Ensemble`): the same nodes, categorical sets as lists.
    package var portable: PortableTrees.Ensemble {
        let portableNodes = nodes.map { n -> PortableTrees.Node in
            var categories: [Int]?
            if n.feature >= 0, n.categories >= 0 {
                let offset = Int(n.categories), count = Int(categoryWords[offset])
                var set: [Int] = []
                for w in 0..<count {
                    let word = categoryWords[offset + 1 + w]
                    for b in 0..<32 where word & (1 << UInt32(b)) != 0 { set.append(w * 32 + b) }
                }
                categories = set
            }
            return PortableTrees.Node(feature: Int(n.feature), value: n.value, left: Int(n.left), right: Int(n.right),
                                      defaultLeft: n.defaultLeft, categories: categories)
        }
        let portableObjective: PortableTrees.Objective
        switch objective {
        case .squaredError: portableObjective = .squaredError
        case .logistic: portableObjective = .logistic
        case .softprob: portableObjective = .softprob
        }
        return PortableTrees.Ensemble(objective: portableObjective, outputs: groupCount, baseMargins: baseMargins,
                                      nodes: portableNodes, roots: roots.map(Int.init), groups: groups.map(Int.init))
    }
}
