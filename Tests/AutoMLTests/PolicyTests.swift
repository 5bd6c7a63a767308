import AutoML
import Foundation
import MLData
import Testing
import TestSupport

@Suite("Search policy") struct PolicyTests {
    @Test("The standard policy survives JSON, and a file naming one value changes only that value")
    func partialFile() throws {
        let standard = SearchPolicy.standard
        #expect(try SearchPolicy.decode(standard.json()) == standard)
        let changed = try SearchPolicy.decode(Data(#"{"scheduler": {"familyShares": [4, 2, 1]}, "ensemble": {"rounds": 10}}"#.utf8))
        var expected = standard
        expected.scheduler.familyShares = [4, 2, 1]
        expected.ensemble.rounds = 10
        #expect(changed == expected)
    }

    @Test("A misspelt key, a wrong type or a value out of range is refused with its name")
    func badFiles() throws {
        #expect { try SearchPolicy.decode(Data(#"{"scheduler": {"familyShare": [4, 2, 1]}}"#.utf8)) } throws: {
            "\($0)".contains("no value 'scheduler.familyShare'") && "\($0)".contains("scheduler.familyShares")
        }
        #expect { try SearchPolicy.decode(Data(#"{"ensemble": {"rounds": "many"}}"#.utf8)) } throws: {
            "\($0)".contains("ensemble.rounds")
        }
        #expect { try SearchPolicy.decode(Data("[1]".utf8)) } throws: { "\($0)".contains("JSON object") }
        #expect { try SearchPolicy.decode(Data("{".utf8)) } throws: { "\($0)".contains("not valid JSON") }
        var bad = SearchPolicy.standard
        bad.validation.folds = 1
        #expect { try bad.validate() } throws: { "\($0)".contains("validation.folds") }
    }

    @Test("The reserve: a share of the budget, bounded below and above")
    func reserve() {
        let budget = BudgetPolicy()
        #expect(abs(budget.withRefit.seconds(of: 10) - 1.2) < 1e-12)
        #expect(budget.withRefit.seconds(of: 2) == 0.4)
        #expect(budget.withRefit.seconds(of: 1) == 0.3)
        #expect(budget.withoutRefit.seconds(of: 100) == 4)
    }
}

@Suite("Cancellation") struct CancellationTests {
    @Test("Cancelling the task of an async fit stops it with CancellationError and no model")
    func cancelled() async throws {
        let frame = try CSVReader.read(path: Fixtures.repositoryRoot.appendingPathComponent("examples/iris/train.csv").path)
        var options = AutoMLOptions()
        options.budget = .seconds(600)
        let task = Task { try await AutoML.fit(frame, target: "species", options: options) }
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
    }
}
