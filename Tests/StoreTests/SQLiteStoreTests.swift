import Foundation
import Search
import Store
import Testing
import TestSupport

@Suite("SQLite trial store")
struct SQLiteStoreTests {
    func tempPath() throws -> String { try Fixtures.temporaryPath("mlforge-store", file: "study.sqlite") }

    @Test("Store conformance: SQLite")
    func conformance() throws {
        let problems = try SearchConformance.store { try SQLiteTrialStore(path: try tempPath()) }
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("A study reopened from its file continues: numbers, records, and a restored strategy")
    func reopen() async throws {
        let path = try tempPath()
        let space = try SearchSpace([.init("x", .float(-3, 3))])
        let strategy = TPESampler(seed: 9, startupTrials: 5)
        let first = Study(space: space, store: try SQLiteTrialStore(path: path), strategy: strategy)
        try await first.optimize(trials: 12) { [$0.double("x").map { $0 * $0 } ?? 0] }
        let state = try strategy.saveState()

        let restored = TPESampler(seed: 12345, startupTrials: 5)
        try restored.restoreState(state)
        let second = Study(space: space, store: try SQLiteTrialStore(path: path), strategy: restored)
        #expect(second.trials.count == 12)
        #expect(second.trials == first.trials)
        try await second.optimize(trials: 8) { [$0.double("x").map { $0 * $0 } ?? 0] }
        #expect(second.trials.map(\.number) == Array(0..<20))
        #expect(second.trials.allSatisfy { $0.state == .complete })
    }

    @Test("Killing a worker mid-study loses no completed trial; the interrupted one can be retried")
    func crash() throws {
        let path = try tempPath()
        let worker = Process()
        worker.executableURL = BuiltProduct.url("study-worker")
        worker.arguments = [path, "--delay-ms", "20"]
        let out = Pipe()
        worker.standardOutput = out
        worker.standardError = FileHandle.nullDevice
        try worker.run()
        var completed: [Int] = []
        var buffer = Data()
        let giveUp = Date().addingTimeInterval(60)
        while completed.count < 25 && Date() < giveUp {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            let lines = String(decoding: buffer, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            completed = lines.dropLast().compactMap { $0.hasPrefix("complete ") ? Int($0.dropFirst(9)) : nil }
        }
        usleep(7_000)  // land the kill inside a trial, between its reports
        kill(worker.processIdentifier, SIGKILL)
        worker.waitUntilExit()
        #expect(worker.terminationReason == .uncaughtSignal)
        #expect(completed.count >= 25)

        let store = try SQLiteTrialStore(path: path)
        let records = try store.records()
        let byNumber = Dictionary(uniqueKeysWithValues: records.map { ($0.number, $0) })
        for n in completed {
            #expect(byNumber[n]?.state == .complete && byNumber[n]?.values != nil, "completed trial \(n) was lost")
        }
        let interrupted = try store.failInterrupted()
        #expect(interrupted.count <= 1)
        #expect(try store.records().allSatisfy { $0.state == .complete || $0.state == .failed })
        let study = Study(space: try SearchSpace([.init("x", .float(-5, 5)), .init("y", .float(-5, 5))]), store: store, strategy: RandomSearch(seed: 1))
        let retried = try study.retryFailed()
        #expect(retried.count == interrupted.count)
        if let again = retried.first {
            let trial = try study.ask()
            #expect(trial.number == again)
            #expect(trial.configuration == byNumber[interrupted[0]]?.configuration)
        }
    }
}
