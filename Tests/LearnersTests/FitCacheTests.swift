import Learners
import MLData
import Testing
import TestSupport

/// `FitCache` keeps what fits derive from a fold up to its capacity, makes each entry once, keeps
/// scopes apart, and a boosted or forest fit that reuses a kept DMatrix gives the same model as one
/// that builds its own.
@Suite struct FitCacheTests {
    final class Box { let value: Int; init(_ value: Int) { self.value = value } }

    @Test func makesAnEntryOnceAndKeepsItWithinCapacity() {
        let cache = FitCache(capacityBytes: 100)
        var made = 0
        let a = cache.value(for: "a", bytes: 60) { made += 1; return Box(1) }
        let again = cache.value(for: "a", bytes: 60) { made += 1; return Box(2) }
        #expect(made == 1)
        #expect(a === again)
        #expect(cache.keptBytes == 60)
        // Over capacity: made and returned, not kept, so it is made again next time.
        let b = cache.value(for: "b", bytes: 50) { made += 1; return Box(3) }
        #expect(b.value == 3)
        _ = cache.value(for: "b", bytes: 50) { made += 1; return Box(4) }
        #expect(made == 3)
        #expect(cache.keptBytes == 60)
        #expect(cache.hits == 1, "only the second lookup of a found its entry kept")
    }

    @Test func theTreeFamiliesReportTheirSetupAsReusable() throws {
        let shape = DataShape(rows: 80_000, features: 500, task: .binary)
        for learner in [try XGBoostLearner.lowCost(for: shape) as any Learner, try RandomForestLearner.lowCost(for: shape)] {
            let reusable = learner.estimatedReusableCost(for: shape), total = learner.estimatedCost(for: shape)
            // 1.33e-7 s a value over 80,000 × 500 training and 20,000 × 500 validation values.
            #expect(abs(reusable - 1.33e-7 * 1.25 * 4e7) < 1e-9)
            #expect(reusable < total)
        }
        #expect(try LinearLearner.lowCost(for: shape).estimatedReusableCost(for: shape) == 0, "a learner that keeps nothing")
    }

    @Test func scopesShareTheCapacityButNotTheirKeys() {
        let cache = FitCache(capacityBytes: 100)
        let fold0 = cache.scoped("trees.fold0"), fold1 = cache.scoped("trees.fold1")
        let x = fold0.value(for: "m", bytes: 40) { Box(0) }
        let y = fold1.value(for: "m", bytes: 40) { Box(1) }
        #expect(x.value == 0 && y.value == 1)
        #expect(fold0.value(for: "m", bytes: 40) { Box(9) }.value == 0)
        #expect(cache.keptBytes == 80)
        _ = fold1.value(for: "n", bytes: 40) { Box(2) }
        #expect(cache.keptBytes == 80, "a third entry would pass the shared capacity")
    }

    @Test func aZeroCapacityKeepsNothing() {
        let cache = FitCache(capacityBytes: 0)
        var made = 0
        for _ in 0..<3 { _ = cache.value(for: "a", bytes: 1) { made += 1; return Box(made) } }
        #expect(made == 3)
        #expect(cache.keptBytes == 0)
    }

    @Test(arguments: [PredictionTask.regression, .binary, .multiclass(classes: 4)])
    func treeFitsOnAKeptDMatrixGiveTheSameModels(task: PredictionTask) throws {
        let x = TreeEnsembleTests.table(rows: 500, seed: 21), v = TreeEnsembleTests.table(rows: 200, seed: 22)
        let train = try LabeledData(features: x, target: TreeEnsembleTests.target(x, task: task), task: task)
        let valid = try LabeledData(features: v, target: TreeEnsembleTests.target(v, task: task), task: task)
        let cache = FitCache(capacityBytes: 1 << 30).scoped("fold0")
        var cached = FitContext(seed: 4, threads: 1)
        cached.cache = cache
        var boosted = XGBoostLearner()
        boosted.rounds = 30
        var forest = RandomForestLearner()
        forest.trees = 12
        for round in 0..<2 {
            let plain = try boosted.fit(train, validation: valid, context: FitContext(seed: 4, threads: 1))
            let reused = try boosted.fit(train, validation: valid, context: cached)
            #expect(plain.json == reused.json, "boosted trees differ on round \(round)")
            let plainForest = try forest.fit(train, validation: valid, context: FitContext(seed: 4, threads: 1))
            let reusedForest = try forest.fit(train, validation: valid, context: cached)
            #expect(plainForest.chunks.map(\.json) == reusedForest.chunks.map(\.json), "forests differ on round \(round)")
            boosted.maxDepth = 3  // the second round uses the kept matrices with another configuration
        }
        #expect(cache.keptBytes > 0)
    }
}
