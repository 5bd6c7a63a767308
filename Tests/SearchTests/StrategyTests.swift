import Foundation
import MLData
import Search
import Testing
import TestSupport

@Suite("Strategies")
struct StrategyTests {
    static let strategies: [(String, @Sendable (UInt64) -> Strategy)] = [
        ("random", { RandomSearch(seed: $0) }),
        ("quasi-random", { QuasiRandomSearch(seed: $0) }),
        ("tpe", { TPESampler(seed: $0) }),
        ("evolution", { RegularizedEvolution(seed: $0, population: 10, sampleSize: 3) }),
        ("reinforce", { ReinforceController(seed: $0) }),
        ("cfo", { CFOSearch(seed: $0) }),
    ]

    @Test("Conformance: valid samples, conditions, determinism, save and restore", arguments: strategies.map(\.0))
    func conformance(_ name: String) throws {
        let make = Self.strategies.first { $0.0 == name }!.1
        let problems = try SearchConformance.strategy(make)
        #expect(problems.isEmpty, "\(name): \(problems)")
    }

    /// Median best loss over seeds after `n` trials of the toy objective.
    func medianBest(_ make: (UInt64) -> Strategy, n: Int, seeds: Range<UInt64> = 0..<7) throws -> Double {
        let space = try SearchConformance.mixedSpace()
        let bests = try seeds.map { seed -> Double in
            let s = make(seed)
            var history: [TrialRecord] = []
            for i in 0..<n {
                let c = s.suggest(in: space, history: history, directions: [.minimize])
                history.append(TrialRecord(number: i, state: .complete, configuration: c, values: [SearchConformance.toyLoss(c)],
                                           intermediate: [:], error: nil, started: nil, finished: Date(timeIntervalSince1970: Double(i))))
            }
            let values: [Double] = history.compactMap { $0.values?.first }
            return values.min() ?? .infinity
        }
        return bests.sorted()[bests.count / 2]
    }

    @Test("TPE and evolution beat random search on the toy objective at equal trials")
    func modelBasedBeatsRandom() throws {
        let random = try medianBest({ RandomSearch(seed: $0) }, n: 80)
        let tpe = try medianBest({ TPESampler(seed: $0) }, n: 80)
        let evolution = try medianBest({ RegularizedEvolution(seed: $0, population: 15, sampleSize: 4) }, n: 80)
        #expect(tpe < random, "TPE \(tpe) vs random \(random)")
        #expect(evolution < random, "evolution \(evolution) vs random \(random)")
    }

    @Test("REINFORCE learns which choices pay off")
    func reinforceLearns() throws {
        let space = try SearchSpace([.init("op", .categorical(["a", "b", "c", "d"])), .init("x", .float(0, 1))])
        let controller = ReinforceController(seed: 3, learningRate: 0.3)
        var history: [TrialRecord] = []
        for i in 0..<150 {
            let c = controller.suggest(in: space, history: history, directions: [.maximize])
            let reward = (c["op"] == .string("c") ? 1.0 : 0.0) + (c["x"]?.doubleValue ?? 0) * 0.5
            history.append(TrialRecord(number: i, state: .complete, configuration: c, values: [reward]))
        }
        let policy = controller.policy(for: space)
        #expect((policy["op"]?[2] ?? 0) > 0.8, "\(policy)")
        #expect((policy["x"]?.last ?? 0) > (policy["x"]?.first ?? 1), "\(policy)")
    }

    @Test("CFO starts at the low-cost point, improves from it, and raises the resource when converged")
    func cfo() throws {
        let space = try SearchSpace([
            .init("trees", .int(4, 1024, log: true), lowCost: .int(4)),
            .init("lr", .float(0.01, 1, log: true), lowCost: .double(0.1)),
            .init("depth", .int(1, 12), lowCost: .int(2)),
        ])
        func loss(_ c: Configuration) -> Double {
            pow(log10(c["lr"]?.doubleValue ?? 1) + 1.3, 2) + 0.05 * pow((c["depth"]?.doubleValue ?? 0) - 6, 2)
                + 1 / (c["trees"]?.doubleValue ?? 1)
        }
        let search = CFOSearch(seed: 2, resource: "trees")
        var history: [TrialRecord] = []
        for i in 0..<300 {
            let c = search.suggest(in: space, history: history, directions: [.minimize])
            if i == 0 { #expect(c == ["trees": .int(4), "lr": .double(0.1), "depth": .int(2)]) }
            history.append(TrialRecord(number: i, state: .complete, configuration: c, values: [loss(c)]))
        }
        let first = loss(history[0].configuration)
        let best = history.compactMap { $0.values?.first }.min() ?? first
        #expect(best < first / 3, "best \(best) from \(first)")
        let maxTrees = history.compactMap { $0.configuration["trees"]?.doubleValue }.max() ?? 0
        #expect(maxTrees > 4, "the resource was never raised")
    }

    @Test("Quasi-random points cover [0, 1) more evenly than random ones")
    func quasiRandomCoverage() throws {
        let space = try SearchSpace([.init("x", .float(0, 1)), .init("y", .float(0, 1))])
        func discrepancy(_ s: Strategy) -> Int {
            var cells = [Int](repeating: 0, count: 16)
            for _ in 0..<64 {
                let c = s.suggest(in: space, history: [], directions: [.minimize])
                let i = min(3, Int((c["x"]?.doubleValue ?? 0) * 4)), j = min(3, Int((c["y"]?.doubleValue ?? 0) * 4))
                cells[i * 4 + j] += 1
            }
            return (cells.max() ?? 0) - (cells.min() ?? 0)
        }
        // 64 points in 16 cells: 4 per cell ideally. The spread (fullest − emptiest cell) of shifted Halton
        // points is clearly below that of independent draws.
        let quasi = (1...5).map { discrepancy(QuasiRandomSearch(seed: $0)) }
        let random = (1...5).map { discrepancy(RandomSearch(seed: $0)) }
        #expect(Double(quasi.reduce(0, +)) < 0.7 * Double(random.reduce(0, +)), "quasi \(quasi), random \(random)")
    }

    @Test("Evolution with two objectives prefers the Pareto front")
    func paretoTournament() throws {
        let values: [[Double]] = [[1, 5], [2, 2], [5, 1], [3, 3], [4, 4]]
        let ranks = Pareto.ranks(values, [.minimize, .minimize])
        #expect(ranks == [0, 0, 0, 1, 2])
        #expect(Pareto.dominates([1, 1], [2, 2], [.minimize, .minimize]))
        #expect(!Pareto.dominates([1, 3], [2, 2], [.minimize, .minimize]))
        #expect(Pareto.dominates([3, 3], [2, 2], [.maximize, .maximize]))
    }
}
