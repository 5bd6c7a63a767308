import AutoML
import Foundation
import Learners
import MLData
import Support
import Testing
import TestSupport

extension CostChecks {
    /// The cost model against the clock, at both ends of the sizes `fit` promises to handle: every built-in
    /// family's estimated fit and predict seconds beside the measured ones, at 100 rows (the low-cost point,
    /// the defaults and every portfolio configuration) and at 1,000,000 rows of 20 features (the search's
    /// first configuration of each family; k-NN on the share of the rows the scheduler gives it).
    ///
    /// Each fit has validation rows a quarter as many as its training rows, as a search's hold-out has. A
    /// timing is retried (up to `CostModelCheck.attempts`, the fastest kept) only when it falls outside
    /// the band, since other suites run beside this one.
    @Suite("Cost model at 100 and 1,000,000 rows", .serialized) struct CostModelTests {
        /// The band an estimate must hold, and below which a timing is noise.
        struct CostModelCheck {
            /// Measured ÷ estimated at most this: an estimate under the truth lets a fit run past the time
            /// the search gave it (the runner also calibrates by the family's measured ratios as it goes).
            var under = 2.5
            /// Estimated ÷ measured at most this: an estimate over the truth orders a family last and skips
            /// configurations that would have fitted.
            var over = 4.0
            /// Both measured and estimated under this: nothing to check (the runner does not calibrate on
            /// fits this short either: `SchedulerPolicy.calibrationMinimumSeconds`).
            var floor = SchedulerPolicy().calibrationMinimumSeconds
            var attempts = 3

            func holds(measured: Double, estimated: Double) -> Bool {
                if max(measured, estimated) < floor { return true }
                return measured <= under * max(estimated, floor) && estimated <= over * max(measured, floor)
            }
        }

        let check = CostModelCheck()

        static func table(rows: Int, features: Int = 20, seed: UInt64) throws -> LabeledData {
            try SyntheticTable.binary(rows: rows, features: features, seed: seed)
        }

        /// A trial's measured cost: the fit, and the prediction of the validation rows (which is all of
        /// k-NN's cost, and what a search does with every trial), with the fitted model.
        struct Timing {
            var fit: Double, predict: Double, model: any FittedModel
            var trial: Double { fit + predict }
        }

        /// The fastest of up to `attempts` timings of `learner` on `train`, validated and then predicting
        /// `validation`, stopping at the first inside the band.
        func timed(_ learner: any Learner, _ train: LabeledData, _ validation: LabeledData, estimate: Double) throws -> Timing {
            var best: Timing?
            for _ in 0..<check.attempts {
                let start = ContinuousClock.now
                let model = try learner.fitModel(train, validation: validation, context: FitContext(seed: 0))
                let fitted = ContinuousClock.now
                _ = try model.predict(validation.features)
                let t = Timing(fit: (fitted - start).inSeconds, predict: (ContinuousClock.now - fitted).inSeconds, model: model)
                if let b = best, b.trial <= t.trial { best!.predict = min(b.predict, t.predict) } else { best = t }
                if let b = best, check.holds(measured: b.trial, estimated: estimate),
                   check.holds(measured: b.predict, estimated: b.model.estimatedPredictSeconds(rows: validation.rows)) { break }
            }
            return best!
        }

        /// `learner` timed on `train` and `validation` against its estimate for `shape`, checked against the band.
        func expectHolds(_ learner: any Learner, on shape: DataShape, _ train: LabeledData, _ validation: LabeledData, _ what: String) throws {
            let estimate = learner.estimatedCost(for: shape)
            expectHolds(learner, try timed(learner, train, validation, estimate: estimate), estimate: estimate, validationRows: validation.rows, what)
        }

        func expectHolds(_ learner: any Learner, _ timing: Timing, estimate: Double, validationRows: Int, _ what: String) {
            #expect(check.holds(measured: timing.trial, estimated: estimate),
                    "\(what): \(learner) took \(timing.trial) s (fit \(timing.fit) s), estimated \(estimate) s")
            let predictEstimate = timing.model.estimatedPredictSeconds(rows: validationRows)
            #expect(check.holds(measured: timing.predict, estimated: predictEstimate),
                    "\(what): \(learner) predicted \(validationRows) rows in \(timing.predict) s, estimated \(predictEstimate) s")
            if ProcessInfo.processInfo.environment["MLFORGE_PRINT_COSTS"] != nil {
                print(String(format: "cost-model %@: trial %.4f s, estimate %.4f s (×%.2f); predict %.4f s, estimate %.4f s (×%.2f) — %@",
                             what, timing.trial, estimate, estimate / max(timing.trial, 1e-9), timing.predict, predictEstimate,
                             predictEstimate / max(timing.predict, 1e-9), learner.description))
            }
        }

        @Test("At 100 rows every configuration a search starts from is estimated within the band (or both are under the floor)")
        func hundredRows() throws {
            let train = try Self.table(rows: 100, seed: 1), validation = try Self.table(rows: 25, seed: 2)
            let shape = train.shape
            for family in LearnerFamily.builtIn {
                var learners: [(String, any Learner)] = [("low-cost", try family.learner(family.searchSpace(for: shape).lowCostPoint, shape: shape)),
                                                         ("defaults", family.defaults(for: shape))]
                for (i, c) in family.portfolio(for: shape).enumerated() { learners.append(("portfolio \(i)", try family.learner(c, shape: shape))) }
                for (what, learner) in learners { try expectHolds(learner, on: shape, train, validation, "\(family) \(what) at 100 rows") }
            }
        }

        @Test("At 1,000,000 rows each family's first configuration is estimated within the band; k-NN runs on the share that fits")
        func millionRows() throws {
            let train = try Self.table(rows: 1_000_000, seed: 3), validation = try Self.table(rows: 250_000, seed: 4)
            let shape = train.shape
            let policy = SchedulerPolicy()
            for family in LearnerFamily.builtIn {
                var point = family.searchSpace(for: shape).lowCostPoint
                // Networks: one epoch (the estimate is per epoch; ten would take a minute here).
                if point["epochs"] != nil { point["epochs"] = .int(1) }
                let learner = try family.learner(point, shape: shape)
                if family.capabilities.stopsAtDeadline {
                    try expectHolds(learner, on: shape, train, validation, "\(family) at 1,000,000 rows")
                    continue
                }
                // A learner that cannot stop early: all the rows would take far longer than a search has, so
                // the scheduler gives it the seeded share of the training rows that fits what it may spend
                // (here 2 s), validated on all the validation rows; its estimate there is that share of the whole.
                let whole = learner.estimatedCost(for: shape)
                #expect(whole > 60, "\(family) at 1,000,000 rows: estimated \(whole) s")
                let allowed = 2.0
                let rows = try #require(SearchScheduler.trainingRows(rows: shape.rows, cost: whole, allowed: allowed, minimumRows: policy.subsampleMinimumRows))
                #expect(rows < shape.rows && rows >= policy.subsampleMinimumRows)
                let estimate = whole * Double(rows) / Double(shape.rows)
                let timing = try timed(learner, train.selecting(rows: Array(0..<rows)), validation, estimate: estimate)
                expectHolds(learner, timing, estimate: estimate, validationRows: validation.rows, "\(family) on \(rows) of 1,000,000 rows")
            }
        }

        @Test("On 20,000 rows of 500 features each family's first configuration, and elastic net there and at 1,000,000 × 20, are estimated within the band")
        func wide() throws {
            let train = try Self.table(rows: 20_000, features: 500, seed: 5), validation = try Self.table(rows: 5_000, features: 500, seed: 6)
            let shape = train.shape
            var learners: [(String, any Learner)] = try LearnerFamily.builtIn.map { family in
                var point = family.searchSpace(for: shape).lowCostPoint
                if point["epochs"] != nil { point["epochs"] = .int(1) }
                return ("\(family) at 20,000 × 500", try family.learner(point, shape: shape))
            }
            learners.append(("elastic net at 20,000 × 500", try LearnerFamily.linear.learner(["C": .double(1), "l1_ratio": .double(0.5)], shape: shape)))
            for (what, learner) in learners { try expectHolds(learner, on: shape, train, validation, what) }
            let long = try Self.table(rows: 1_000_000, seed: 3), longValidation = try Self.table(rows: 250_000, seed: 4)
            let net = try LearnerFamily.linear.learner(["C": .double(1), "l1_ratio": .double(0.5)], shape: long.shape)
            try expectHolds(net, on: long.shape, long, longValidation, "elastic net at 1,000,000 × 20")
        }

        @Test("On a signal of 40 samples and an 8 × 8 image, the architecture search's convolutional first configuration and defaults are estimated within the band")
        func convolutions() throws {
            for (features, inputShape) in [(40, [40]), (64, [8, 8])] {
                let train = try Self.table(rows: 4_000, features: features, seed: 7), validation = try Self.table(rows: 1_000, features: features, seed: 8)
                var shape = train.shape
                shape.inputShape = inputShape
                let family = LearnerFamily(named: "nas")
                var point = family.searchSpace(for: shape).lowCostPoint
                point["epochs"] = .int(2)
                let defaults = try family.learner({ var c = family.defaults(for: shape).configuration; c["epochs"] = .int(2); return c }(), shape: shape)
                for (what, learner) in [("low-cost", try family.learner(point, shape: shape)), ("defaults", defaults)] {
                    try expectHolds(learner, on: shape, train, validation, "nas \(what) on \(inputShape)")
                }
            }
        }
    }
}
