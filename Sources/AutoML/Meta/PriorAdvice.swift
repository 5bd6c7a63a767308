import Foundation
import Learners
import Store

/// The a-priori configurations of each family for one table, chosen from what is known: the best entry of
/// each family on the nearest known datasets (the shipped prior's corpus datasets and the local knowledge
/// base's earlier fits), then the learned portfolio's entries of the family, at most
/// `PriorPolicy.configurationsPerFamily` in all. What was used is recorded in the model's manifest.
public struct PriorAdvice: Sendable, Equatable {
    public var perFamily: [LearnerFamily: [PriorConfiguration]]
    public var use: PriorUse

    /// A dataset an earlier fit recorded in the local knowledge base: its meta-features and its best
    /// configuration of each family.
    public struct Known: Sendable, Equatable {
        public var name: String
        public var features: MetaFeatures
        public var best: [LearnerFamily: PriorConfiguration]

        public init(name: String, features: MetaFeatures, best: [LearnerFamily: PriorConfiguration]) {
            self.name = name
            self.features = features
            self.best = best
        }
    }

    /// The advice for a table with `features`; nil when nothing is known.
    public static func make(prior: LearnedPrior?, local: [Known], features: MetaFeatures, policy: PriorPolicy) -> PriorAdvice? {
        guard prior != nil || !local.isEmpty else { return nil }
        // Every known dataset with its best entries, the nearest first (of equals, the user's own fits).
        var known: [(name: String, distance: Double, best: [LearnerFamily: PriorConfiguration])] = []
        for n in prior?.neighbours ?? [] {
            var best: [LearnerFamily: PriorConfiguration] = [:]
            for (_, e) in n.best { if let c = prior?.configurations[e] { best[c.family] = c } }
            known.append(("corpus:" + n.dataset, features.distance(to: n.features, landmarkWeight: policy.landmarkWeight), best))
        }
        for k in local { known.append(("local:" + k.name, features.distance(to: k.features, landmarkWeight: policy.landmarkWeight), k.best)) }
        let nearest = known.filter { $0.distance <= policy.maximumDistance }
            .sorted { ($0.distance, $0.name.hasPrefix("corpus:") ? 1 : 0, $0.name) < ($1.distance, $1.name.hasPrefix("corpus:") ? 1 : 0, $1.name) }.prefix(policy.neighbours)
        var perFamily: [LearnerFamily: [PriorConfiguration]] = [:]
        func add(_ c: PriorConfiguration) {
            var list = perFamily[c.family, default: []]
            guard list.count < policy.configurationsPerFamily, !list.contains(where: { $0.rule == c.rule }) else { return }
            list.append(c)
            perFamily[c.family] = list
        }
        for n in nearest { for (_, c) in n.best.sorted(by: { $0.key.rawValue < $1.key.rawValue }) { add(c) } }
        for p in prior?.portfolio ?? [] { if let c = prior?.configurations[p.entry] { add(c) } }
        let use = PriorUse(prior: prior?.built, neighbours: nearest.map { String(format: "%@ (distance %.2f)", $0.name, $0.distance) },
                           entries: perFamily.reduce(into: [:]) { $0[$1.key.rawValue] = $1.value.map(\.name) })
        return PriorAdvice(perFamily: perFamily, use: use)
    }

    /// The known datasets of the local knowledge base (its fits' entries), with their best configuration
    /// of each family.
    static func known(in base: KnowledgeBase) throws -> [Known] {
        var results: [String: [KnowledgeBase.Result]] = [:]
        for r in try base.results() { results[r.dataset, default: []].append(r) }
        return try base.datasets().filter { $0.source == "fit" }.map { d in
            var best: [LearnerFamily: (PriorConfiguration, Double)] = [:]
            for r in results[d.name] ?? [] {
                guard let s = r.score, let family = LearnerFamily(rawValue: r.family), s > best[family]?.1 ?? -.infinity else { continue }
                best[family] = (PriorConfiguration(family: family, name: "\(family.rawValue)@\(d.name)", rule: .fixed(r.configuration)), s)
            }
            return Known(name: d.name, features: MetaFeatures(task: d.task, named: d.features), best: best.mapValues(\.0))
        }
    }
}

/// What a fit took from the prior and the local knowledge base (recorded in the model's manifest).
public struct PriorUse: Codable, Sendable, Equatable {
    /// The shipped or given prior's build stamp (nil: none was used).
    public var prior: String?
    /// The known datasets that lent configurations, nearest first.
    public var neighbours: [String]
    /// Each family's a-priori entries, in the order they were queued.
    public var entries: [String: [String]]
}
