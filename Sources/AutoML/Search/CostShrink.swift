import Search

/// Moves a configuration toward a space's low-cost point, for the parameters that have one: in each
/// numeric parameter's unit scale (log where the parameter is log-scaled), `t` of the way from the
/// low-cost value to the configuration's value (t = 1 keeps it, t = 0 gives the low-cost value).
/// Categorical choices are kept, so the conditional structure stays valid.
package enum CostShrink {
    package static func toward(_ low: Configuration, from c: Configuration, in space: SearchSpace, by t: Double) -> Configuration {
        var out = c
        for p in space.parameters {
            guard let value = c[p.name], let cheap = low[p.name], !p.distribution.isCategorical else { continue }
            let u0 = p.distribution.unit(of: cheap), u1 = p.distribution.unit(of: value)
            out[p.name] = p.distribution.value(atUnit: u0 + t * (u1 - u0))
        }
        return out
    }

    /// What to try, in order, for a configuration over the cost allowance: the shrink `ladder`'s steps
    /// other than 0 (largest first), then the configuration with one numeric parameter at a time at its
    /// low-cost value (the others kept), then the low-cost point itself where the ladder reaches 0;
    /// each once. The single resets matter where the cost depends on one parameter as a step: a linear
    /// model's L1 share above 0 calls for a costlier solver whatever its size, so every shrunk step
    /// costs the same, and without them only the low-cost point itself fitted.
    package static func candidates(toward low: Configuration, from c: Configuration, in space: SearchSpace, ladder: [Double]) -> [Configuration] {
        var out: [Configuration] = []
        func add(_ x: Configuration) { if x != c && !out.contains(x) { out.append(x) } }
        for t in ladder where t > 0 { add(toward(low, from: c, in: space, by: t)) }
        for p in space.parameters where !p.distribution.isCategorical {
            guard let cheap = low[p.name], c[p.name] != nil else { continue }
            var reset = c
            reset[p.name] = cheap
            add(reset)
        }
        if ladder.contains(0) { add(toward(low, from: c, in: space, by: 0)) }
        return out
    }
}
