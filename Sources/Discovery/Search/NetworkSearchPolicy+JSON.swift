import Foundation

extension NetworkSearchPolicy {
    /// The policy as JSON (`mlforge discover policy` prints it).
    public func json() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try e.encode(self)
    }

    /// A policy from a JSON object that names some or all of the values; the rest come from `base`.
    /// A misspelt key, a wrong type or an out-of-range value is refused with its name.
    public static func decode(_ data: Data, over base: NetworkSearchPolicy = .standard) throws -> NetworkSearchPolicy {
        guard let given = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw DiscoveryError.invalidRequest("the network search policy must be a JSON object; `mlforge discover policy` prints one to start from")
        }
        guard var merged = try JSONSerialization.jsonObject(with: base.json()) as? [String: Any] else {
            preconditionFailure("a policy encodes as a JSON object")
        }
        for (key, value) in given {
            guard merged[key] != nil else {
                throw DiscoveryError.invalidRequest("the network search policy has no value '\(key)'; its values are: \(merged.keys.sorted().joined(separator: ", "))")
            }
            merged[key] = value
        }
        let policy: NetworkSearchPolicy
        do {
            policy = try JSONDecoder().decode(NetworkSearchPolicy.self, from: JSONSerialization.data(withJSONObject: merged))
        } catch {
            throw DiscoveryError.invalidRequest("the network search policy could not be read (\(error)); `mlforge discover policy` shows every value with its type")
        }
        try policy.validate()
        return policy
    }

    /// Refuses values the search cannot run with.
    public func validate() throws {
        func fail(_ m: String) -> DiscoveryError { .invalidRequest("the network search policy's \(m)") }
        guard !evenPortfolio.isEmpty, !oddPortfolio.isEmpty else { throw fail("portfolios must each hold a configuration") }
        for c in evenPortfolio + oddPortfolio where !(c.prefixFraction >= 0 && c.prefixFraction <= 10) {
            throw fail("prefixFraction must lie in 0...10; got \(c.prefixFraction)")
        }
        guard restartAfter >= 1 else { throw fail("restartAfter must be at least 1") }
        guard (0..<1).contains(extraMutationProbability), (0..<1).contains(insertionProbability) else {
            throw fail("probabilities must lie in [0, 1)")
        }
        guard depthCandidates >= 1 else { throw fail("depthCandidates must be at least 1") }
        guard slotsPerKnownComparator > 0, slotsPerKnownComparator <= 10 else { throw fail("slotsPerKnownComparator must lie in (0, 10]") }
        guard evolutionPopulation >= 2, (1...evolutionPopulation).contains(evolutionTournament) else {
            throw fail("evolutionPopulation must be at least 2 and evolutionTournament lie in 1...evolutionPopulation")
        }
    }
}
