import Foundation

/// Every tuning constant of an AutoML run, in one documented value: how the rows are validated, how the
/// search spends its time, how the ensemble is chosen and how the budget is split. The runner reads its
/// numbers only from here, the model folder's manifest records the policy that made it, `mlforge policy`
/// prints the standard one as JSON and `mlforge fit --policy FILE.json` runs with another.
///
/// Each field says why it has its value and where the value comes from: a paper, a measurement (see
/// BENCHMARKS.md and docs/experiments.md), or "hand-set" where nothing better than judgement stands behind
/// it yet. The standard policy is `SearchPolicy.standard`; a learned policy is another value of this type.
public struct SearchPolicy: Codable, Sendable, Equatable {
    /// How the rows are split for validation.
    public var validation = ValidationPolicy()
    /// How the search chooses families and configurations and spends its time.
    public var scheduler = SchedulerPolicy()
    /// How the ensemble is selected and guarded.
    public var ensemble = EnsemblePolicy()
    /// How the budget is split between the search and what follows it.
    public var budget = BudgetPolicy()
    /// Offsets that derive each random stream of a run from its one seed.
    public var seeds = SeedPolicy()
    /// How the learned prior and the local knowledge base start each family's search.
    public var prior = PriorPolicy()
    /// How a fairness constraint is met with per-group thresholds.
    public var fairness = FairnessPolicy()

    public init() {}

    /// The hand-tuned policy MLForge runs with unless told otherwise.
    public static let standard = SearchPolicy()

    /// The policy as indented JSON with sorted keys (what `mlforge policy` prints).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// A policy from JSON that names only the values it changes: every other value is the standard
    /// one's. A key the policy does not have is refused (a misspelt name would otherwise be ignored).
    public static func decode(_ data: Data, over base: SearchPolicy = .standard) throws -> SearchPolicy {
        let given: Any
        do { given = try JSONSerialization.jsonObject(with: data) } catch {
            throw AutoMLError.invalidInput("the policy is not valid JSON (\(error.localizedDescription)); `mlforge policy` prints one to start from")
        }
        guard let object = given as? [String: Any] else {
            throw AutoMLError.invalidInput("the policy must be a JSON object; `mlforge policy` prints one to start from")
        }
        guard let standard = try JSONSerialization.jsonObject(with: base.json()) as? [String: Any] else {
            preconditionFailure("a policy encodes as a JSON object")
        }
        let merged = try merge(object, into: standard, path: "")
        do {
            return try JSONDecoder().decode(SearchPolicy.self, from: JSONSerialization.data(withJSONObject: merged))
        } catch let DecodingError.typeMismatch(type, context), let DecodingError.valueNotFound(type, context) {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw AutoMLError.invalidInput("the policy's '\(key)' must be a \(type); `mlforge policy` shows every value with its type")
        } catch {
            throw AutoMLError.invalidInput("the policy could not be read: \(error)")
        }
    }

    private static func merge(_ given: [String: Any], into base: [String: Any], path: String) throws -> [String: Any] {
        var out = base
        for (key, value) in given {
            let name = path.isEmpty ? key : "\(path).\(key)"
            guard let current = base[key] else {
                throw AutoMLError.invalidInput("the policy has no value '\(name)'; its values are: \(base.keys.sorted().map { path.isEmpty ? $0 : "\(path).\($0)" }.joined(separator: ", "))")
            }
            if let group = current as? [String: Any] {
                guard let inner = value as? [String: Any] else {
                    throw AutoMLError.invalidInput("the policy's '\(name)' is a group of values and must be a JSON object")
                }
                out[key] = try merge(inner, into: group, path: name)
            } else {
                out[key] = value
            }
        }
        return out
    }

    /// Checks that every value lies where the runner can use it.
    public func validate() throws {
        func check(_ ok: Bool, _ what: String) throws {
            if !ok { throw AutoMLError.invalidInput("the policy's \(what)") }
        }
        try check(validation.folds >= 2, "validation.folds must be at least 2")
        try check((0.05...0.5).contains(validation.holdoutFraction), "validation.holdoutFraction must lie between 0.05 and 0.5")
        try check(validation.crossValidationMaxRows >= 0, "validation.crossValidationMaxRows must not be negative")
        try check(validation.crossValidationMaxCells >= 0, "validation.crossValidationMaxCells must not be negative")
        try check(validation.holdOutFallbackShare > 0, "validation.holdOutFallbackShare must be positive")
        try check(validation.maximumRepeats >= 1, "validation.maximumRepeats must be at least 1")
        try check(validation.secondsPerRepeat > 0, "validation.secondsPerRepeat must be positive")
        try check(scheduler.familyShares.count == 3 && scheduler.familyShares.allSatisfy { $0 > 0 }, "scheduler.familyShares must be three positive shares (leader, runner-up, the rest)")
        try check(scheduler.trialShareOfTimeLeft > 0 && scheduler.trialShareOfTimeLeft <= 1, "scheduler.trialShareOfTimeLeft must lie in (0, 1]")
        try check(scheduler.portfolioTrialShareOfTimeLeft > 0 && scheduler.portfolioTrialShareOfTimeLeft <= 1, "scheduler.portfolioTrialShareOfTimeLeft must lie in (0, 1]")
        try check(ensemble.candidates >= 1, "ensemble.candidates must be at least 1")
        try check(scheduler.shrinkLadder.allSatisfy { (0...1).contains($0) }, "scheduler.shrinkLadder must hold fractions between 0 and 1")
        try check(scheduler.pruningReduction >= 2, "scheduler.pruningReduction must be at least 2")
        try check(ensemble.rounds >= 1, "ensemble.rounds must be at least 1")
        try check(ensemble.gateSplits >= 1, "ensemble.gateSplits must be at least 1")
        try check(ensemble.costlyMemberMsPer1000 >= 0, "ensemble.costlyMemberMsPer1000 must be at least 0")
        try check(ensemble.costlyMemberFactor >= 1, "ensemble.costlyMemberFactor must be at least 1")
        try check(prior.neighbours >= 0 && prior.configurationsPerFamily >= 0 && prior.portfolioSize >= 1, "prior.neighbours and prior.configurationsPerFamily must not be negative, prior.portfolioSize at least 1")
        try check(budget.fitCacheMegabytes >= 0, "budget.fitCacheMegabytes must not be negative")
        try check((0...1).contains(budget.fitCacheShareOfMemoryLimit), "budget.fitCacheShareOfMemoryLimit must lie in [0, 1]")
        try check(fairness.thresholdsPerGroup >= 1, "fairness.thresholdsPerGroup must be at least 1")
        try check(fairness.levelStep > 0 && fairness.levelStep <= 0.5, "fairness.levelStep must lie in (0, 0.5]")
        try check(fairness.tradeoffBounds.allSatisfy { (0...1).contains($0) }, "fairness.tradeoffBounds must lie in [0, 1]")
        try check(budget.maximumSlowdown >= 1, "budget.maximumSlowdown must be at least 1")
        try check(budget.maximumStretchedShare > 0 && budget.maximumStretchedShare < 1, "budget.maximumStretchedShare must lie in (0, 1)")
        for (name, r) in [("withRefit", budget.withRefit), ("withoutRefit", budget.withoutRefit), ("saveMargin", budget.saveMargin), ("documents", budget.documents)] {
            try check(r.share >= 0 && r.maximumShare < 1 && r.minimumSeconds >= 0, "budget.\(name) must keep the reserve's shares in [0, 1) and its seconds non-negative")
        }
    }
}
