import Foundation

/// A bound on how differently a binary classifier treats the groups of a sensitive column
/// (`fit --sensitive COL --fairness "equalized_odds<=0.05"`), in fairlearn's terms:
/// - `demographic_parity`: the largest difference between the groups' selection rates (share of rows
///   predicted positive);
/// - `equalized_odds`: the larger of the largest differences between the groups' true-positive rates
///   and between their false-positive rates.
/// The fit meets it with a decision threshold per group (`GroupThresholds`, after Hardt et al. 2016).
public struct FairnessConstraint: Codable, Sendable, Equatable, CustomStringConvertible {
    public enum Measure: String, Codable, Sendable, CaseIterable {
        case demographicParity = "demographic_parity"
        case equalizedOdds = "equalized_odds"
    }

    public var measure: Measure
    /// The largest difference allowed, in [0, 1].
    public var bound: Double
    /// The sensitive column whose groups are compared.
    public var column: String

    public init(measure: Measure, bound: Double, column: String) {
        self.measure = measure
        self.bound = bound
        self.column = column
    }

    /// Reads `MEASURE<=BOUND` (spaces allowed), for the sensitive column `column`.
    public init(parsing text: String, column: String) throws {
        let parts = text.replacingOccurrences(of: " ", with: "").components(separatedBy: "<=")
        let names = Measure.allCases.map(\.rawValue).joined(separator: " or ")
        guard parts.count == 2, let measure = Measure(rawValue: parts[0]) else {
            throw AutoMLError.invalidInput("--fairness takes MEASURE<=BOUND with MEASURE \(names), e.g. \"equalized_odds<=0.05\"; got '\(text)'")
        }
        guard let bound = Double(parts[1]), bound.isFinite, (0...1).contains(bound) else {
            throw AutoMLError.invalidInput("--fairness needs a bound between 0 and 1 after '<='; got '\(parts[1])'")
        }
        self.init(measure: measure, bound: bound, column: column)
    }

    public var description: String { "\(measure.rawValue) <= \(bound) over the groups of \(column)" }
}
