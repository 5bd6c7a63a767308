import Foundation
import Search
import Store
import Testing
import TestSupport

@Suite("README search example")
struct ReadmeSearchExampleTests {
    @Test("The README's search example runs: pruned trials, a best trial near lr = 0.01")
    func example() async throws {
        let path = Fixtures.scratch.appendingPathComponent("mlforge-readme-\(UUID().uuidString).sqlite").path
        let space = try SearchSpace([
            .init("lr", .float(1e-4, 1, log: true)),
            .init("optimizer", .categorical(["sgd", "adam"])),
            .init("momentum", .float(0, 0.99), when: .init(parent: "optimizer", values: [.string("sgd")])),
        ])
        let study = Study(space: space, store: try SQLiteTrialStore(path: path),
                          strategy: TPESampler(seed: 42), pruner: ASHAPruner(minResource: 1, reductionFactor: 3))
        // (The README's 60 s; here the trial count ends the study, and the timeout only guards against a
        // hang: on 2 cores the other suites can keep this study's tasks waiting for a thread.)
        try await study.optimize(trials: 100, timeout: .seconds(600), jobs: 2) { trial in
            let lr = trial.double("lr") ?? 1e-3
            var loss = 0.0
            for epoch in 1...9 {
                loss = pow(log10(lr) + 2, 2) + 1 / Double(epoch)
                try trial.report(loss, step: epoch)
                if try trial.shouldPrune() { throw TrialPruned() }
            }
            return [loss]
        }
        #expect(study.trials.contains { $0.state == .pruned })
        let lr = try #require(study.bestTrial?.configuration["lr"]?.doubleValue)
        #expect(abs(log10(lr) + 2) < 0.5, "best lr \(lr)")
        let readme = (try? String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
        #expect(readme.contains("if try trial.shouldPrune() { throw TrialPruned() }"))
    }
}
