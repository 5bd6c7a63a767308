import Foundation
import Learners
import Search
import Support

/// A configuration the meta-learner knows by name, made for any table's shape by one rule, so that the
/// same entry means the same thing on every dataset (a portfolio built across datasets needs that): the
/// family's low-cost point, one of its hand-set portfolio configurations, a seeded point of its search
/// space (each parameter's position in its unit scale drawn from the parameter's own stream, so the point
/// does not depend on which other parameters a shape's space has), or a configuration a fit recorded
/// (moved into the table's space where it lies outside).
public struct PriorConfiguration: Codable, Sendable, Hashable, CustomStringConvertible {
    public enum Rule: Codable, Sendable, Hashable {
        case lowCost
        case portfolio(Int)
        case sample(seed: UInt64, index: Int)
        case fixed(Configuration)
    }

    public var family: LearnerFamily
    /// The entry's name (`xgboost#low`, `xgboost#p0`, `xgboost#s3`; a recorded one names its dataset).
    public var name: String
    public var rule: Rule

    public init(family: LearnerFamily, name: String, rule: Rule) {
        self.family = family
        self.name = name
        self.rule = rule
    }

    public var description: String { name }

    /// The configuration for a table of `shape`; nil when the rule names a portfolio entry the family no
    /// longer has.
    public func configuration(for shape: DataShape) -> Configuration? {
        let space = family.searchSpace(for: shape)
        func fallback(_ p: SearchSpace.Parameter) -> ParameterValue { p.lowCost ?? p.distribution.value(atUnit: 0.5) }
        switch rule {
        case .lowCost: return space.lowCostPoint
        case .portfolio(let i):
            let p = family.portfolio(for: shape)
            return i < p.count ? p[i] : nil
        case .sample(let seed, let index):
            return space.build { p, _ in p.distribution.value(atUnit: Self.unit(seed: seed, family.rawValue, p.name, index)) }
        case .fixed(let c):
            return space.build { p, _ in
                guard let v = c[p.name] else { return fallback(p) }
                if p.distribution.contains(v) { return v }
                // A number outside this shape's range: the nearest end (the unit scale clamps).
                switch (p.distribution, v) {
                case (.categorical, _), (_, .string): return fallback(p)
                case (.int, _): return p.distribution.value(atUnit: p.distribution.unit(of: .int(Int((v.doubleValue ?? 0).rounded()))))
                case (.float, _): return p.distribution.value(atUnit: p.distribution.unit(of: .double(v.doubleValue ?? 0)))
                }
            }
        }
    }

    /// The protocol's entries for `family`: the low-cost point, every portfolio configuration, and
    /// `samples` seeded points spread over the space.
    public static func protocolEntries(_ family: LearnerFamily, samples: Int, seed: UInt64, shape: DataShape) -> [PriorConfiguration] {
        var out = [PriorConfiguration(family: family, name: "\(family.rawValue)#low", rule: .lowCost)]
        for i in family.portfolio(for: shape).indices {
            out.append(PriorConfiguration(family: family, name: "\(family.rawValue)#p\(i)", rule: .portfolio(i)))
        }
        for s in 0..<samples {
            out.append(PriorConfiguration(family: family, name: "\(family.rawValue)#s\(s)", rule: .sample(seed: seed, index: s)))
        }
        return out
    }

    /// The protocol entry named `name` (`family#low`, `family#pI`, `family#sI`); nil for another name or
    /// a family that is not registered.
    public static func named(_ name: String, seed: UInt64) -> PriorConfiguration? {
        let parts = name.split(separator: "#", maxSplits: 1).map(String.init)
        guard parts.count == 2, let family = LearnerFamily(rawValue: parts[0]) else { return nil }
        let tag = parts[1]
        if tag == "low" { return PriorConfiguration(family: family, name: name, rule: .lowCost) }
        guard let i = Int(tag.dropFirst()), i >= 0 else { return nil }
        switch tag.first {
        case "p": return PriorConfiguration(family: family, name: name, rule: .portfolio(i))
        case "s": return PriorConfiguration(family: family, name: name, rule: .sample(seed: seed, index: i))
        default: return nil
        }
    }

    /// A point of [0, 1) for (seed, family, parameter, sample), stratified over the samples: sample s lies
    /// in the cell a seeded per-parameter permutation gives it of 64 equal cells (a Latin hypercube whose
    /// cells do not depend on the space's other parameters).
    static func unit(seed: UInt64, _ family: String, _ parameter: String, _ sample: Int) -> Double {
        var g = SeededGenerator(seed: seed ^ stableHash(family + "/" + parameter))
        let cells = 64
        var order = Array(0..<cells)
        order.seededShuffle(using: &g)
        let jitter = Double(g.next() >> 11) * 0x1.0p-53
        return (Double(order[sample % cells]) + jitter) / Double(cells)
    }

    /// FNV-1a of the UTF-8 bytes (the same on every platform and run, unlike `Hasher`).
    static func stableHash(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }
}
