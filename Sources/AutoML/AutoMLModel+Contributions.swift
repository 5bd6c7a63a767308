import Learners
import MLData

/// One ensemble member's exact attributions (TreeSHAP) over the features its preprocessing makes.
public struct MemberContributions: Sendable {
    public var trial: Int
    public var family: LearnerFamily
    public var weight: Double
    /// The member's feature names (for the tree families: one per input column, categories as codes).
    public var features: [String]
    /// The member's fold models' contributions averaged (the member's mean margin, which its fold
    /// models' probabilities are averaged from).
    public var contributions: Contributions
}

extension AutoMLModel {
    /// The exact attributions of every member that can give them (`FittedModel.contributions`: the tree
    /// families), for every row of `frame`; members that cannot are left out.
    public func memberContributions(_ frame: DataFrame) throws -> [MemberContributions] {
        try checkSchema(frame)
        var features: [String: FeatureMatrix] = [:]
        var out: [MemberContributions] = []
        for m in members {
            var parts: [Contributions] = []
            var names: [String] = []
            for part in m.models {
                guard let p = preprocessors[part.key] else { throw AutoMLError.unreadableArtifact("the preprocessing '\(part.key)' that a model needs is missing") }
                if features[part.key] == nil { features[part.key] = try p.transform(frame).features }
                guard let c = try part.model.contributions(features[part.key]!) else { break }
                parts.append(c)
                names = features[part.key]!.names
            }
            guard parts.count == m.models.count, let mean = Contributions.average(parts, weights: parts.map { _ in 1 }) else { continue }
            out.append(MemberContributions(trial: m.trial, family: m.family, weight: m.weight, features: names, contributions: mean))
        }
        return out
    }
}
