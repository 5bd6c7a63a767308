import AutoML
import Foundation
import Learners
import MLData

extension TestEvidence {
    /// The model's figures on a labelled test table: metrics, confusion, calibration or residuals, groups,
    /// importances (within `deadline`), and drift against the training data when `training` is known.
    public static func measure(_ model: AutoMLModel, test frame: DataFrame, file: String, training: DataEvidence?,
                               sensitive: String?, policy: CardPolicy, deadline: ContinuousClock.Instant) throws -> TestEvidence {
        let (outcome, labelled): (OutcomeFigures, DataFrame)
        do { (outcome, labelled) = try OutcomeFigures.measure(model, on: frame, sensitive: sensitive, policy: policy) } catch AutoMLError.invalidInput(let why) {
            throw AutoMLError.invalidInput("the test file: " + why)
        }
        var out = TestEvidence(file: file, outcome: outcome)
        if let training { out.compare(frame, with: training, inputs: model.schema.map(\.name)) }
        let (importance, _, omitted) = try EvidenceBuilder(policy: policy, sensitive: sensitive)
            .explain(model, frame: labelled, source: "the test file", deadline: deadline)
        out.importance = importance
        out.omitted = omitted
        return out
    }

    /// Drift per input column (population stability index over the training deciles or level shares),
    /// and the rows outside the training ranges or with levels training never saw.
    package mutating func compare(_ frame: DataFrame, with training: DataEvidence, inputs: [String]) {
        let profiles = Dictionary(training.columns.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var outside = Set<Int>(), unseen = Set<Int>()
        for name in inputs {
            guard let column = frame[name], let profile = profiles[name] else { continue }
            var expected: [Double] = [], observed: [Double] = []
            if let bins = training.bins[name], let values = column.doubles {
                let finite = values.filter(\.isFinite)
                var counts = [Double](repeating: 0, count: bins.shares.count)
                for v in finite { counts[bins.bin(v)] += 1 }
                expected = bins.shares
                observed = counts.map { $0 / Double(max(1, finite.count)) }
                if let range = profile.numeric {
                    for (i, v) in values.enumerated() where v.isFinite && (v < range.min || v > range.max) { outside.insert(i) }
                }
            } else if let shares = training.levelShares[name] {
                let levels = shares.keys.sorted()
                var counts = [Double](repeating: 0, count: levels.count + 1)
                var known = 0
                for i in 0..<column.count {
                    guard let text = column.text(i) else { continue }
                    known += 1
                    counts[levels.firstIndex(of: text) ?? levels.count] += 1
                }
                expected = levels.map { shares[$0]! } + [max(0, 1 - shares.values.reduce(0, +))]
                observed = counts.map { $0 / Double(max(1, known)) }
                if let all = training.levels[name] {
                    let seen = Set(all)
                    for i in 0..<column.count { if let t = column.text(i), !seen.contains(t) { unseen.insert(i) } }
                } else if column.type == .categorical {
                    levelsNotChecked.append(name)
                }
            }
            guard !expected.isEmpty else { continue }
            // PSI = Σ (o − e) ln(o / e), with empty bins floored so that the log stays finite.
            let floor = 1e-4
            let psi = zip(observed, expected).reduce(0.0) { sum, pair in
                let o = max(pair.0, floor), e = max(pair.1, floor)
                return sum + (o - e) * log(o / e)
            }
            drift.append(ColumnDrift(column: name, psi: psi, missingShareTraining: profile.missingShare,
                                     missingShareTest: Double(column.missingCount) / Double(max(1, column.count))))
        }
        drift.sort { $0.psi > $1.psi }
        rowsOutsideRange = outside.count
        rowsWithUnseenLevels = unseen.count
    }
}
