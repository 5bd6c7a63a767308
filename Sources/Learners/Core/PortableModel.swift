import NN

/// A fitted model's prediction as plain data — tree tables, weights, network operations — with the
/// arithmetic stated exactly, so that an exporter (Swift source, ONNX) can write a model that predicts
/// what `FittedModel.predict` does without running MLForge. A family whose models cannot be written this
/// way (k-NN keeps its training rows) has none.
public enum PortableModel: Sendable, Equatable {
    case trees(PortableTrees)
    case linear(PortableLinear)
    case network(PortableNetwork)
}

/// Tree ensembles as XGBoost evaluates them: features as Float, `value < threshold` goes left, a missing
/// value (NaN) takes the node's default branch, a categorical split sends the categories of its set right,
/// and each output's margin is the base margin plus the leaves of its trees, added in order in Float.
public struct PortableTrees: Sendable, Equatable {
    /// How the ensembles' margins become predictions.
    public enum Combination: Sendable, Equatable {
        /// One ensemble through its XGBoost objective in Float (sigmoid for binary:logistic, softmax for
        /// multi:softprob — then each row renormalised in Double); regression margins as they are.
        case objective
        /// The ensembles' margins averaged in Double with `weights`, then the task's link in Double
        /// (the logistic for binary tasks, a softmax for several classes).
        case meanMargin
    }

    public struct Node: Sendable, Equatable {
        /// The feature split on; -1 for a leaf.
        public var feature: Int
        /// The threshold, or the leaf's value.
        public var value: Float
        /// Children, as indices into the ensemble's node array (-1 for a leaf).
        public var left: Int
        public var right: Int
        public var defaultLeft: Bool
        /// For a categorical split, the categories (whole numbers) that go right; nil for a numeric split.
        public var categories: [Int]?
    }

    /// XGBoost's objectives MLForge fits.
    public enum Objective: String, Sendable, Equatable {
        case squaredError = "reg:squarederror"
        case logistic = "binary:logistic"
        case softprob = "multi:softprob"
    }

    public struct Ensemble: Sendable, Equatable {
        public var objective: Objective
        /// Margins per row: the class count for multi:softprob, else 1.
        public var outputs: Int
        /// The starting margin of each output (one value: the same for every output).
        public var baseMargins: [Float]
        public var nodes: [Node]
        /// Each tree's root node and the output it adds to.
        public var roots: [Int]
        public var groups: [Int]
    }

    public var combination: Combination
    public var ensembles: [Ensemble]
    /// One weight per ensemble (`meanMargin`), summing to 1.
    public var weights: [Double]
}

/// A linear model: scores `z = x · W + b` in Double (`weights` is features × outputs, row-major), then the
/// task's link in Double: the value for regression, the logistic of the one score for binary tasks, a
/// softmax of the class scores otherwise.
public struct PortableLinear: Sendable, Equatable {
    public var weights: [Double]
    public var intercept: [Double]
}

/// A network's forward pass on a row (Float32), its outputs then turned into predictions in Double: a
/// softmax over classes, or `output · targetScale + targetMean` for regression.
public struct PortableNetwork: Sendable, Equatable {
    public var operations: [NetworkOperation]
    public var targetMean: Double
    public var targetScale: Double
}
