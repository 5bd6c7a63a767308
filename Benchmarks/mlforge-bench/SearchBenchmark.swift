import Foundation
import Search
import TestSupport

/// Our strategies on standard test functions; `Benchmarks/scripts/search_vs_optuna.py` runs Optuna's
/// samplers on the same functions and budgets and prints the table.
enum SearchBenchmark {
    struct Problem {
        var name: String
        var space: SearchSpace
        var trials: Int
        var f: (Configuration) -> Double
    }

    static func problems() throws -> [Problem] {
        func x(_ c: Configuration, _ k: String) -> Double { c[k]?.doubleValue ?? 0 }
        let branin = Problem(name: "branin", space: try SearchSpace([.init("x1", .float(-5, 10)), .init("x2", .float(0, 15))]), trials: 60) { c in
            let (x1, x2) = (x(c, "x1"), x(c, "x2"))
            let b = 5.1 / (4 * Double.pi * Double.pi), cc = 5 / Double.pi, t = 1 / (8 * Double.pi)
            return pow(x2 - b * x1 * x1 + cc * x1 - 6, 2) + 10 * (1 - t) * cos(x1) + 10
        }
        let alpha = [1.0, 1.2, 3.0, 3.2]
        let A: [[Double]] = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
        let P: [[Double]] = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
                             [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]].map { $0.map { $0 * 1e-4 } }
        let hartmann = Problem(name: "hartmann6", space: try SearchSpace((0..<6).map { .init("x\($0)", .float(0, 1)) }), trials: 100) { c in
            var total = 0.0
            for i in 0..<4 {
                var inner = 0.0
                for j in 0..<6 {
                    let d = x(c, "x\(j)") - P[i][j]
                    inner += A[i][j] * d * d
                }
                total += alpha[i] * exp(-inner)
            }
            return -total
        }
        let rosenbrock = Problem(name: "rosenbrock10", space: try SearchSpace((0..<10).map { .init("x\($0)", .float(-2.048, 2.048)) }), trials: 100) { c in
            var total = 0.0
            for i in 0..<9 {
                let a = x(c, "x\(i)"), b = x(c, "x\(i + 1)")
                total += 100 * (b - a * a) * (b - a * a) + (1 - a) * (1 - a)
            }
            return total
        }
        let mixed = Problem(name: "mixed_toy", space: try SearchConformance.mixedSpace(), trials: 60, f: SearchConformance.toyLoss)
        return [branin, hartmann, rosenbrock, mixed]
    }

    static let strategies: [(String, @Sendable (UInt64) -> Strategy)] = [
        ("mlforge-random", { RandomSearch(seed: $0) }),
        ("mlforge-quasirandom", { QuasiRandomSearch(seed: $0) }),
        ("mlforge-tpe", { TPESampler(seed: $0) }),
        ("mlforge-evolution", { RegularizedEvolution(seed: $0, population: 20, sampleSize: 5) }),
        ("mlforge-reinforce", { ReinforceController(seed: $0) }),
        ("mlforge-cfo", { CFOSearch(seed: $0) }),
    ]

    static func run(seeds: Int) throws {
        for problem in try problems() {
            for (name, make) in strategies {
                for seed in 0..<seeds {
                    let strategy = make(UInt64(seed))
                    var history: [TrialRecord] = []
                    var best = Double.infinity
                    var askSeconds = 0.0
                    for i in 0..<problem.trials {
                        let t = DispatchTime.now().uptimeNanoseconds
                        let c = strategy.suggest(in: problem.space, history: history, directions: [.minimize])
                        askSeconds += Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9
                        let v = problem.f(c)
                        best = min(best, v)
                        history.append(TrialRecord(number: i, state: .complete, configuration: c, values: [v],
                                                   finished: Date(timeIntervalSince1970: Double(i))))
                    }
                    print("{\"function\": \"\(problem.name)\", \"strategy\": \"\(name)\", \"seed\": \(seed), \"best\": \(best), \"ask_ms\": \(askSeconds / Double(problem.trials) * 1000)}")
                }
            }
        }
    }
}
