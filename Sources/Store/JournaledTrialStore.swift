import Foundation
import Search

/// A write-through store: the study works on a store in memory (a pruner reads every trial's reports
/// each boosting round, which must be fast), and each trial's creation, start and end are also written
/// to a SQLite journal, from which a killed run can be resumed. Intermediate reports stay in memory.
/// (Optuna's cached storage keeps the same idea over its database storage.)
public final class JournaledTrialStore: TrialStore, @unchecked Sendable {
    let memory = InMemoryTrialStore()
    let journal: SQLiteTrialStore
    /// Makes a creation one step in both stores: two threads creating at once must not take their
    /// numbers from the two stores in different orders.
    private let creating = NSLock()

    /// Opens (or creates) the journal at `path`; with `resume`, replays its trials into memory (trials
    /// that were running when the earlier run died are recorded as failed).
    public init(path: String, resume: Bool) throws {
        journal = try SQLiteTrialStore(path: path)
        guard resume else { return }
        try journal.failInterrupted()
        for record in try journal.records() {
            let n = try memory.create(configuration: record.configuration, state: record.state == .waiting ? .waiting : .running)
            guard n == record.number else { throw SearchError.invalidState("the stored trials of \(path) are not numbered in order; the journal is damaged: start the fit afresh (without --resume)") }
            if record.state != .waiting && record.state != .running {
                try memory.append(.finished(number: n, state: record.state, values: record.values, error: record.error,
                                            time: record.finished ?? Date()))
            }
        }
    }

    public func create(configuration: Configuration, state: TrialState) throws -> Int {
        let (n, m) = try creating.withLock {
            (try memory.create(configuration: configuration, state: state), try journal.create(configuration: configuration, state: state))
        }
        guard n == m else { throw SearchError.invalidState("the trial journal is out of step with the search (trial \(n) in memory, \(m) in the journal)") }
        return n
    }

    public func append(_ event: TrialEvent) throws {
        try memory.append(event)
        switch event {
        case .started, .finished, .constrained, .requeued: try journal.append(event)
        case .created, .reported: break  // created goes through create(); reports stay in memory
        }
    }

    public func records() throws -> [TrialRecord] { try memory.records() }

    public func claimWaiting() throws -> TrialRecord? {
        guard let record = try memory.claimWaiting() else { return nil }
        try journal.append(.started(number: record.number, time: Date()))
        return record
    }
}
