import Foundation
import Learners
import MLData
import Testing
import TestSupport

extension CostChecks {
    /// The memory estimates (`Learner.estimatedMemory`, what `--memory` skips trials by) against the peak
    /// resident memory of the trials themselves, at both ends of the sizes `fit` promises to handle and on a
    /// wide table. Each trial runs in its own `mlforge-bench memory` process, since a process's peak is not
    /// one fit's while other suites run in this one (and memory a trial frees stays with the process).
    @Suite("Memory estimates at 100 and 1,000,000 rows") struct MemoryModelTests {
        /// The band an estimate must hold.
        struct MemoryModelCheck {
            /// Measured ÷ estimated at most this: an estimate under the truth lets a trial pass `--memory`.
            var under = 1.25
            /// Estimated ÷ measured at most this: an estimate over the truth skips trials that would have fitted.
            var over = 4.0
            /// Both measured and estimated under this many bytes: nothing to check (a trial of 100 rows adds
            /// a megabyte or two, which the allocator's own pages blur).
            var floor = 16 << 20

            func holds(measured: Int, estimated: Int) -> Bool {
                if max(measured, estimated) < floor { return true }
                return Double(measured) <= under * Double(max(estimated, floor)) && Double(estimated) <= over * Double(max(measured, floor))
            }
        }

        let check = MemoryModelCheck()

        struct Measurement: Decodable {
            var learner: String
            var trial_mb: Double
            var estimate_mb: Double
        }

        /// One trial of `family`'s `configuration` (low-cost, defaults or portfolio-K) on `rows` × `features`,
        /// measured by `mlforge-bench memory`, checked against the band.
        func expectHolds(_ family: LearnerFamily, _ configuration: String, rows: Int, features: Int = 20, settings: [String] = []) throws {
            var arguments = ["memory", family.rawValue, "--rows", "\(rows)", "--features", "\(features)", "--configuration", configuration]
            for s in settings { arguments += ["--set", s] }
            let result = try ProcessResult.run(BuiltProduct.url("mlforge-bench"), arguments)
            try #require(result.status == 0, "mlforge-bench \(arguments.joined(separator: " ")) failed: \(result.stderr)")
            let line = try #require(result.stdout.split(separator: "\n").last.map(String.init))
            let m = try JSONDecoder().decode(Measurement.self, from: Data(line.utf8))
            let measured = Int(m.trial_mb * 1_048_576), estimated = Int(m.estimate_mb * 1_048_576)
            #expect(check.holds(measured: measured, estimated: estimated),
                    "\(family) \(configuration) \(settings) at \(rows) × \(features): \(m.learner) took \(m.trial_mb) MB, estimated \(m.estimate_mb) MB")
        }

        @Test("At 100 rows no configuration a search starts from takes more than its estimate allows")
        func hundredRows() throws {
            let shape = DataShape(rows: 100, features: 20, task: .binary)
            for family in LearnerFamily.builtIn {
                var configurations = ["low-cost", "defaults"]
                configurations += family.portfolio(for: shape).indices.map { "portfolio-\($0)" }
                for c in configurations { try expectHolds(family, c, rows: 100) }
            }
        }

        @Test("At 1,000,000 rows of 20 features each family's first configuration is estimated within the band; k-NN on its share")
        func millionRows() throws {
            for family in LearnerFamily.builtIn {
                // k-NN cannot stop early: a search runs it on a share of the rows (CostModelTests).
                try expectHolds(family, "low-cost", rows: family.capabilities.stopsAtDeadline ? 1_000_000 : 40_000)
            }
            try expectHolds(.linear, "low-cost", rows: 1_000_000, settings: ["l1_ratio=0.5"])
        }

        @Test("On 20,000 rows of 500 features, and with the deepest trees, the estimates hold")
        func wideAndDeep() throws {
            for family in LearnerFamily.builtIn { try expectHolds(family, "low-cost", rows: 20_000, features: 500) }
            try expectHolds(.linear, "low-cost", rows: 20_000, features: 500, settings: ["l1_ratio=1.0"])
            // A forest of 1,024-leaf trees keeps a gradient histogram per node: 235 MB at 20,000 × 20.
            try expectHolds(.randomForest, "portfolio-0", rows: 20_000)
            try expectHolds(.xgboost, "defaults", rows: 100_000)
        }
    }
}
