import Foundation
import Search
import Store

/// A family's trial store during a run: the study works on a store in memory (its pruner reads every
/// trial's reports each boosting round, which must be fast), and each trial's creation, start and end
/// are also written to a SQLite journal, from which a killed run can be resumed.
final class JournaledTrialStore: TrialStore, @unchecked Sendable {
    let memory = InMemoryTrialStore()
    let journal: SQLiteTrialStore

    /// Opens (or creates) the journal at `path`; with `resume`, replays its trials into memory (trials
    /// that were running when the earlier run died are recorded as failed).
    init(path: String, resume: Bool) throws {
        journal = try SQLiteTrialStore(path: path)
        guard resume else { return }
        try journal.failInterrupted()
        for record in try journal.records() {
            let n = try memory.create(configuration: record.configuration, state: record.state == .waiting ? .waiting : .running)
            guard n == record.number else { throw AutoMLError.unreadableArtifact("the stored trials of \(path) are not numbered in order") }
            if record.state != .waiting && record.state != .running {
                try memory.append(.finished(number: n, state: record.state, values: record.values, error: record.error,
                                            time: record.finished ?? Date()))
            }
        }
    }

    func create(configuration: Configuration, state: TrialState) throws -> Int {
        let n = try memory.create(configuration: configuration, state: state)
        let m = try journal.create(configuration: configuration, state: state)
        guard n == m else { throw AutoMLError.unreadableArtifact("the trial journal is out of step with the search (\(n) vs \(m))") }
        return n
    }

    func append(_ event: TrialEvent) throws {
        try memory.append(event)
        switch event {
        case .started, .finished, .constrained: try journal.append(event)
        case .created, .reported: break  // created goes through create(); reports stay in memory
        }
    }

    func records() throws -> [TrialRecord] { try memory.records() }

    func claimWaiting() throws -> TrialRecord? {
        guard let record = try memory.claimWaiting() else { return nil }
        try journal.append(.started(number: record.number, time: Date()))
        return record
    }
}
