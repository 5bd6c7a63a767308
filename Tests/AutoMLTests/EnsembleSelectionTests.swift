import AutoML
import Foundation
import Learners
import MLData
import Testing

/// Ensemble selection: ties under accuracy, and the guard against the winner's curse (searched ensemble
/// members are kept only for a gain beyond chance).
@Suite struct EnsembleSelectionTests {
    /// Normal draws from a seeded generator (Box–Muller).
    static func normals(_ n: Int, _ rng: inout SeededGenerator) -> [Double] {
        (0..<n).map { _ in
            let u = Double(rng.uniform(below: 1 << 30) + 1) / Double(1 << 30)
            let v = Double(rng.uniform(below: 1 << 30)) / Double(1 << 30)
            return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
        }
    }

    /// Two models right on the same rows: under accuracy the better calibrated one is chosen, whichever
    /// comes first (a boosted model stopped after a few rounds predicts nearly uniform probabilities).
    @Test func accuracyTiesGoToTheBetterLogLoss() {
        let target = TargetValues.classes([0, 1, 1, 0], classCount: 2)
        let flat = Predictions.probabilities([0.51, 0.49, 0.49, 0.51, 0.49, 0.51, 0.51, 0.49], classes: 2)
        let sharp = Predictions.probabilities([0.9, 0.1, 0.1, 0.9, 0.1, 0.9, 0.9, 0.1], classes: 2)
        for candidates in [[flat, sharp], [sharp, flat]] {
            let w = EnsembleSelection.select(candidates, target: target, metric: .accuracy, rounds: 1)
            #expect(w == (candidates[0] == sharp ? [1, 0] : [0, 1]))
        }
        #expect(ValidationMetric.accuracy.roundMetric == .logLoss && ValidationMetric.rocAUC.roundMetric == .rocAUC)
    }

    /// A hundred "searched" candidates that differ from the a-priori model by noise unrelated to the target:
    /// ensemble selection picks the ones that fit the validation rows by chance (its validation score rises
    /// by about 0.05 R²), and the gate sets them aside because they do not help on held-out rows.
    @Test func chanceGainsAreNotKept() {
        for seed in UInt64(0)..<5 {
            var rng = SeededGenerator(seed: seed)
            let n = 300
            let y = Self.normals(n, &rng)
            let noise = Self.normals(n, &rng)
            let prior = zip(y, noise).map { $0 + $1 }
            var candidates: [Predictions] = [.values(prior)]
            for _ in 0..<100 { candidates.append(.values(zip(prior, Self.normals(n, &rng)).map { $0 + 0.3 * $1 })) }
            let apriori = [true] + [Bool](repeating: false, count: 100)
            let weights = EnsembleSelection.select(candidates, target: .values(y), metric: .r2, rounds: 40)
            let gate = EnsembleSelection.gate(weights, candidates: candidates, apriori: apriori, target: .values(y), metric: .r2, rounds: 40, seed: seed)
            #expect(gate != nil, "the searched candidates were selected, so there is something to decide")
            #expect(gate?.kept == false, "seed \(seed): held-out gain \(gate!.gain) ± \(gate!.standardError)")
            #expect(gate?.priorWeights == [1] + [Double](repeating: 0, count: 100))
        }
    }

    /// A searched candidate with a third of the a-priori model's error is kept.
    @Test func realGainsAreKept() {
        var rng = SeededGenerator(seed: 7)
        let n = 300
        let y = Self.normals(n, &rng)
        let prior = zip(y, Self.normals(n, &rng)).map { $0 + $1 }
        let better = zip(y, Self.normals(n, &rng)).map { $0 + 0.3 * $1 }
        let candidates: [Predictions] = [.values(prior), .values(better)]
        let weights = EnsembleSelection.select(candidates, target: .values(y), metric: .r2, rounds: 40)
        let gate = EnsembleSelection.gate(weights, candidates: candidates, apriori: [true, false], target: .values(y), metric: .r2, rounds: 40, seed: 1)
        #expect(gate?.kept == true, "held-out gain \(String(describing: gate?.gain))")
        // Nothing to decide when the searched candidates get no weight, or there is no a-priori candidate.
        #expect(EnsembleSelection.gate([1, 0], candidates: candidates, apriori: [true, false], target: .values(y), metric: .r2, rounds: 40, seed: 1) == nil)
        #expect(EnsembleSelection.gate(weights, candidates: candidates, apriori: [false, false], target: .values(y), metric: .r2, rounds: 40, seed: 1) == nil)
    }
}
