import AutoML
import Foundation
import MLData
import Testing
import TestSupport

/// The validation scheme a fit chooses: k-fold cross-validation up to `crossValidationMaxRows` rows and
/// `crossValidationMaxCells` values (rows × input columns), a hold-out above either; and the first fold as
/// a hold-out when the run's first trial shows that the folds do not fit the budget.
@Suite struct ValidationSchemeTests {
    static func fit(rows: Int, features: Int, policy: SearchPolicy) throws -> String? {
        try model(rows: rows, features: features, policy: policy, trialCap: 1).validation?.scheme
    }

    static func model(rows: Int, features: Int, policy: SearchPolicy, trialCap: Int?, budget: Duration = .seconds(30),
                      keepsScheme: Bool = false, log: (@Sendable (AutoMLEvent) -> Void)? = nil) throws -> AutoMLModel {
        let table = try SyntheticTable.binary(rows: rows, features: features, seed: 7)
        guard case .classes(let labels, _) = table.target else { preconditionFailure("a binary table has classes") }
        var columns = (0..<features).map { j in Column(name: "x\(j)", storage: .double((0..<rows).map { table.features[$0, j] })) }
        columns.append(Column(name: "y", storage: .categorical(codes: labels.map { Int32($0) }, levels: ["no", "yes"])))
        let frame = try DataFrame(columns: columns)
        var options = AutoMLOptions()
        options.budget = budget
        options.maxTrials = trialCap
        options.threads = 1
        options.families = [.linear]
        options.policy = policy
        options.keepsValidationScheme = keepsScheme
        options.log = log
        return try AutoML.fitSynchronously(frame, target: "y", options: options)
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

    @Test("Cross-validation that does not fit the budget falls back to its first fold as a hold-out")
    func fallback() throws {
        var policy = SearchPolicy()
        // Any first fold "does not fit": the first trial ends the cross-validation.
        policy.validation.holdOutFallbackShare = 1e-12
        let lines = LockedBox<[String]>([])
        let log: @Sendable (AutoMLEvent) -> Void = { if case .plan(let line) = $0 { lines.withLock { $0.append(line) } } }
        let model = try Self.model(rows: 200, features: 6, policy: policy, trialCap: nil, budget: .seconds(2), log: log)
        // Fold 0 of a stratified 5-fold split of 200 rows: 40 validated rows.
        #expect(model.validation?.scheme == "a 20% hold-out (40 rows)")
        #expect(model.validation?.rows.count == 40)
        #expect(lines.current.contains { $0.hasPrefix("5-fold cross-validation does not fit the budget") })
        // Every member was validated on that fold alone: one model each (its fold's, or its refit on all rows).
        #expect(!model.members.isEmpty && model.members.allSatisfy { $0.modelCount == 1 })
        #expect(model.leaderboard.entries.filter { $0.state == .complete }.count >= 2)
        // Far from the share, the run keeps its folds.
        policy.validation.holdOutFallbackShare = 1e12
        #expect(try Self.model(rows: 200, features: 6, policy: policy, trialCap: nil, budget: .seconds(2)).validation?.scheme == "5-fold cross-validation")
        // Under a trial cap (one seed, one run) it never applies, nor when the run must keep its folds
        // (self-training's fits).
        policy.validation.holdOutFallbackShare = 1e-12
        #expect(try Self.model(rows: 200, features: 6, policy: policy, trialCap: nil, budget: .seconds(2),
                               keepsScheme: true).validation?.scheme == "5-fold cross-validation")
        #expect(try Self.fit(rows: 200, features: 6, policy: policy) == "5-fold cross-validation")
        policy.validation.holdOutFallbackShare = 0
        #expect(throws: (any Error).self) { try policy.validate() }
    }
}
