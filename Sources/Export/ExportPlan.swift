import AutoML
import Learners
import MLData

/// What an exporter writes, taken from a model: the preprocessing each part needs and every ensemble
/// member's fitted parts as `PortableModel`s. Building it refuses a model with a member that has no
/// portable form, naming the member and the families a new fit could use.
package struct ExportPlan: Sendable {
    package struct Part: Sendable {
        /// The key of the preprocessing the part reads.
        package var key: String
        package var model: PortableModel
    }

    package struct Member: Sendable {
        package var family: LearnerFamily
        package var summary: String
        package var weight: Double
        /// Averaged with equal weights (one per validation fold, or one refitted on all rows).
        package var parts: [Part]
    }

    package let model: AutoMLModel
    package let members: [Member]
    /// The preprocessing keys the parts read, sorted.
    package let preprocessingKeys: [String]

    package init(_ model: AutoMLModel) throws(ExportError) {
        var members: [Member] = []
        var refused: [(family: LearnerFamily, text: String)] = []
        for m in model.members where !m.parts.isEmpty {
            let portable = m.parts.compactMap { p in p.model.portable.map { Part(key: p.key, model: $0) } }
            if portable.count == m.parts.count {
                members.append(Member(family: m.family, summary: m.summary, weight: m.weight, parts: portable))
            } else {
                refused.append((m.family, "a \(m.family.rawValue) member (\(m.summary))"))
            }
        }
        if !refused.isEmpty {
            let families = Array(Set(refused.map(\.family))).sorted { $0.rawValue < $1.rawValue }
            let alternatives = LearnerFamily.builtIn.filter { !families.contains($0) && $0.capabilities.exports }
            throw .unsupportedMembers(refused: refused.map(\.text), families: families, alternatives: alternatives)
        }
        guard !members.isEmpty else { throw .noMembers }
        self.model = model
        self.members = members
        preprocessingKeys = Set(members.flatMap { $0.parts.map(\.key) }).sorted()
    }

    /// The fitted preprocessing of `key` (present: `AutoMLModel.load` checks every key a part names).
    package func preprocessor(_ key: String) -> FittedPreprocessor? { model.preprocessors[key] }
}
