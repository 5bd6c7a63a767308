import Support

/// The learner families MLForge knows, by name. A family is its learner type; adding one touches its own
/// folder and one line of `builtIn`. Others (a test's fake learner, a plug-in) are added with `register`.
public enum LearnerRegistry {
    /// The built-in families, in the order a run considers them (the order seeds each family's strategy,
    /// so it is part of what makes one seed one run).
    public static let builtIn: [any Learner.Type] = [
        XGBoostLearner.self,
        RandomForestLearner.self,
        LinearLearner.self,
        KNNLearner.self,
        MLPLearner.self,
        NASLearner.self,
    ]

    private static let registered = LockedBox<[any Learner.Type]>(builtIn)

    /// Every registered learner type, built-in first.
    public static var learners: [any Learner.Type] { registered.current }

    /// Adds a family (replacing one of the same name). Two families must not share a preprocessing recipe
    /// name with different options: their features would be confused in a model folder.
    public static func register(_ type: any Learner.Type) {
        registered.withLock { list in
            let recipe = type.capabilities.preprocessing
            precondition(!list.contains { $0.family != type.family && $0.capabilities.preprocessing.name == recipe.name
                                          && $0.capabilities.preprocessing != recipe },
                         "the preprocessing recipe '\(recipe.name)' of \(type.family) is another family's with other options; name it differently")
            list.removeAll { $0.family == type.family }
            list.append(type)
        }
    }

    /// The learner type of the family named `name`.
    public static func type(named name: String) -> (any Learner.Type)? {
        learners.first { $0.family.rawValue == name }
    }
}
