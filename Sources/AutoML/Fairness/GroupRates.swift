/// What a binary decision gives each group of a sensitive column: selection rate, true- and
/// false-positive rates and accuracy, and the demographic-parity and equalized-odds differences over the
/// groups (fairlearn's `MetricFrame` figures and `demographic_parity_difference` /
/// `equalized_odds_difference`).
public struct GroupRates: Sendable, Equatable {
    public struct Group: Sendable, Equatable {
        public var name: String
        public var rows: Int
        public var selectionRate: Double
        /// nil when the group has no positive (negative) row.
        public var truePositiveRate: Double?
        public var falsePositiveRate: Double?
        public var accuracy: Double
    }

    /// In the order of their names.
    public var groups: [Group]

    /// `decided[i]` and `truth[i]` (1: positive) for row i of group `groups[i]`.
    public init(decided: [Bool], truth: [Bool], groups names: [String]) {
        precondition(decided.count == truth.count && truth.count == names.count, "one decision, truth and group per row")
        var byName: [String: (rows: Int, selected: Int, positives: Int, truePositives: Int, negatives: Int, falsePositives: Int, correct: Int)] = [:]
        for i in decided.indices {
            var g = byName[names[i]] ?? (0, 0, 0, 0, 0, 0, 0)
            g.rows += 1
            if decided[i] { g.selected += 1 }
            if truth[i] { g.positives += 1; if decided[i] { g.truePositives += 1 } } else { g.negatives += 1; if decided[i] { g.falsePositives += 1 } }
            if decided[i] == truth[i] { g.correct += 1 }
            byName[names[i]] = g
        }
        groups = byName.keys.sorted().map { name in
            let g = byName[name]!
            return Group(name: name, rows: g.rows, selectionRate: Double(g.selected) / Double(g.rows),
                         truePositiveRate: g.positives > 0 ? Double(g.truePositives) / Double(g.positives) : nil,
                         falsePositiveRate: g.negatives > 0 ? Double(g.falsePositives) / Double(g.negatives) : nil,
                         accuracy: Double(g.correct) / Double(g.rows))
        }
    }

    static func spread(_ values: [Double?]) -> Double? {
        let v = values.compactMap { $0 }
        guard v.count == values.count, let lo = v.min(), let hi = v.max() else { return nil }
        return hi - lo
    }

    public var demographicParityDifference: Double { Self.spread(groups.map(\.selectionRate)) ?? 0 }

    /// nil when some group lacks positive or negative rows (the rate is not defined there).
    public var equalizedOddsDifference: Double? {
        guard let tpr = Self.spread(groups.map(\.truePositiveRate)), let fpr = Self.spread(groups.map(\.falsePositiveRate)) else { return nil }
        return max(tpr, fpr)
    }

    /// The difference `measure` names (nil: not defined, see `equalizedOddsDifference`).
    public func difference(_ measure: FairnessConstraint.Measure) -> Double? {
        switch measure {
        case .demographicParity: return demographicParityDifference
        case .equalizedOdds: return equalizedOddsDifference
        }
    }
}
