import AutoML
import Foundation
import MLData
import Testing
import TestSupport

/// The validation scheme a fit chooses: k-fold cross-validation up to `crossValidationMaxRows` rows and
/// `crossValidationMaxCells` values (rows × input columns), a hold-out above either.
@Suite struct ValidationSchemeTests {
    static func fit(rows: Int, features: Int, policy: SearchPolicy) throws -> String? {
        let table = try SyntheticTable.binary(rows: rows, features: features, seed: 7)
        guard case .classes(let labels, _) = table.target else { preconditionFailure("a binary table has classes") }
        var columns = (0..<features).map { j in Column(name: "x\(j)", storage: .double((0..<rows).map { table.features[$0, j] })) }
        columns.append(Column(name: "y", storage: .categorical(codes: labels.map { Int32($0) }, levels: ["no", "yes"])))
        let frame = try DataFrame(columns: columns)
        var options = AutoMLOptions()
        options.budget = .seconds(30)
        options.maxTrials = 1
        options.threads = 1
        options.families = [.linear]
                options.policy = policy
        return try AutoML.fitSynchronously(frame, target: "y", options: options).validation?.scheme
    }

    @Test("Cross-validation within both thresholds; a hold-out above the rows or the values")
    func thresholds() throws {
        var policy = SearchPolicy()
        policy.validation.crossValidationMaxRows = 200
        policy.validation.crossValidationMaxCells = 1_000
        // 100 rows × 10 columns = 1,000 values: within both.
        #expect(try Self.fit(rows: 100, features: 10, policy: policy) == "5-fold cross-validation")
        // 100 rows × 11 columns: over the values.
        #expect(try Self.fit(rows: 100, features: 11, policy: policy)?.contains("hold-out") == true)
        // 250 rows × 5 columns: over the rows.
        policy.validation.crossValidationMaxCells = 10_000
        #expect(try Self.fit(rows: 250, features: 5, policy: policy)?.contains("hold-out") == true)
        policy.validation.crossValidationMaxCells = -1
        #expect(throws: (any Error).self) { try policy.validate() }
    }
}
