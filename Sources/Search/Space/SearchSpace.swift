/// A flat, ordered list of labelled parameters, some of them conditional.
///
/// A conditional parameter exists only when its parent takes one of the listed values (for example
/// `momentum` only when `optimizer` is `sgd`). Parents come before their children, so a configuration can
/// be built in order. Architecture spaces flatten to this form and freeze back into networks
/// (`ArchitectureSpace`).
public struct SearchSpace: Codable, Sendable, Hashable {
    public struct Parameter: Codable, Sendable, Hashable {
        public var name: String
        public var distribution: Distribution
        public var condition: Condition?
        /// The cheap starting value (FLAML's low_cost_init_value), e.g. few trees or few epochs.
        public var lowCost: ParameterValue?

        public init(_ name: String, _ distribution: Distribution, when condition: Condition? = nil, lowCost: ParameterValue? = nil) {
            self.name = name
            self.distribution = distribution
            self.condition = condition
            self.lowCost = lowCost
        }
    }

    /// "Exists only when `parent` takes one of `values`."
    public struct Condition: Codable, Sendable, Hashable {
        public var parent: String
        public var values: [ParameterValue]

        public init(parent: String, values: [ParameterValue]) {
            self.parent = parent
            self.values = values
        }
    }

    public private(set) var parameters: [Parameter]

    /// - Throws: when names repeat, a distribution is malformed, or a condition names a later or unknown parent.
    public init(_ parameters: [Parameter]) throws {
        var seen: [String: Distribution] = [:]
        for p in parameters {
            guard seen[p.name] == nil else { throw SearchError.invalidSpace("the parameter '\(p.name)' is defined twice") }
            try p.distribution.validate(name: p.name)
            if let c = p.condition {
                guard let parent = seen[c.parent] else {
                    throw SearchError.invalidSpace("'\(p.name)' depends on '\(c.parent)', which must be defined before it")
                }
                for v in c.values where !parent.contains(v) {
                    throw SearchError.invalidSpace("'\(p.name)' depends on '\(c.parent)' = \(v), which '\(c.parent)' cannot take")
                }
            }
            if let v = p.lowCost, !p.distribution.contains(v) {
                throw SearchError.invalidSpace("'\(p.name)': the low-cost value \(v) is outside its range")
            }
            seen[p.name] = p.distribution
        }
        self.parameters = parameters
    }

    public var names: [String] { parameters.map(\.name) }

    public func parameter(_ name: String) -> Parameter? { parameters.first { $0.name == name } }

    /// Whether `p` is active given the values chosen so far.
    public func isActive(_ p: Parameter, in config: Configuration) -> Bool {
        guard let c = p.condition else { return true }
        guard let v = config[c.parent] else { return false }
        return c.values.contains(v)
    }

    /// Builds a configuration in parameter order: `choose(p)` gives each active parameter's value.
    public func build(_ choose: (Parameter, Configuration) -> ParameterValue) -> Configuration {
        var config: Configuration = [:]
        for p in parameters where isActive(p, in: config) { config[p.name] = choose(p, config) }
        return config
    }

    /// The low-cost starting point: each parameter's `lowCost` value, or the middle of its range.
    public var lowCostPoint: Configuration {
        build { p, _ in p.lowCost ?? p.distribution.value(atUnit: 0.5) }
    }

    /// `config` made to hold exactly the active parameters: its value for each it names, the low-cost
    /// value (or the middle of the range) for each it lacks, nothing else. For configurations written for
    /// a space with other parameters (a learned prior's, one from an earlier fit); validate the result.
    public func completing(_ config: Configuration) -> Configuration {
        build { p, _ in config[p.name] ?? p.lowCost ?? p.distribution.value(atUnit: 0.5) }
    }

    /// A uniform random configuration (in each distribution's unit space).
    public func sample(using rng: inout some RandomNumberGenerator) -> Configuration {
        build { p, _ in p.distribution.value(atUnit: Double(rng.next() >> 11) * 0x1.0p-53) }
    }

    /// Throws unless `config` holds exactly the active parameters, each inside its distribution.
    public func validate(_ config: Configuration) throws {
        var seen: Configuration = [:]
        for p in parameters where isActive(p, in: seen) {
            guard let v = config[p.name] else { throw SearchError.invalidConfiguration("'\(p.name)' is missing") }
            guard p.distribution.contains(v) else { throw SearchError.invalidConfiguration("'\(p.name)' = \(v) is outside its range") }
            seen[p.name] = v
        }
        if let extra = config.keys.sorted().first(where: { seen[$0] == nil }) {
            throw SearchError.invalidConfiguration("'\(extra)' is not an active parameter of this space")
        }
    }
}
