import Foundation
import Search
import Store
import Testing
import TestSupport

@Suite("Journaled trial store")
struct JournaledStoreTests {
    func tempPath() throws -> String { try Fixtures.temporaryPath("mlforge-journal", file: "journal.sqlite") }

    @Test("Store conformance: journaled")
    func conformance() throws {
        let problems = try SearchConformance.store { try JournaledTrialStore(path: try tempPath(), resume: false) }
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("Resuming replays finished trials and fails the ones that were running; reports stay in memory")
    func resume() throws {
        let path = try tempPath()
        let first = try JournaledTrialStore(path: path, resume: false)
        let done = try first.create(configuration: ["x": .double(1)], state: .running)
        try first.append(.reported(number: done, step: 1, value: 0.5))
        try first.append(.finished(number: done, state: .complete, values: [0.7], error: nil, time: Date()))
        let running = try first.create(configuration: ["x": .double(2)], state: .running)
        let waiting = try first.create(configuration: ["x": .double(3)], state: .waiting)

        let again = try JournaledTrialStore(path: path, resume: true)
        let records = try again.records()
        #expect(records.map(\.number) == [done, running, waiting])
        #expect(records[0].state == .complete && records[0].values == [0.7])
        #expect(records[0].intermediate.isEmpty, "reports are not journaled")
        #expect(records[1].state == .failed, "a trial that was running when the run died is failed")
        #expect(records[2].state == .waiting)
        #expect(try again.claimWaiting()?.number == waiting)
        #expect(try again.create(configuration: ["x": .double(4)], state: .running) == waiting + 1)
    }
}
