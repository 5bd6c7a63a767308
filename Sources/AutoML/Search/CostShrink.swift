import Search

/// Moves a configuration toward a space's low-cost point, for the parameters that have one: in each
/// numeric parameter's unit scale (log where the parameter is log-scaled), `t` of the way from the
/// low-cost value to the configuration's value (t = 1 keeps it, t = 0 gives the low-cost value).
/// Categorical choices are kept, so the conditional structure stays valid.
enum CostShrink {
    static func toward(_ low: Configuration, from c: Configuration, in space: SearchSpace, by t: Double) -> Configuration {
        var out = c
        for p in space.parameters {
            guard let value = c[p.name], let cheap = low[p.name], !p.distribution.isCategorical else { continue }
            let u0 = p.distribution.unit(of: cheap), u1 = p.distribution.unit(of: value)
            out[p.name] = p.distribution.value(atUnit: u0 + t * (u1 - u0))
        }
        return out
    }
}
