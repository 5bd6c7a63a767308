import Foundation

/// Where a study keeps its trials: an append-only log of events, records rebuilt from it, and an atomic
/// claim of queued trials so that several workers can share one study.
///
/// The surface is deliberately small and free of any database's idioms; the in-memory store and (later)
/// the SQLite and PostgreSQL stores implement the same four operations and pass the same conformance suite.
public protocol TrialStore: AnyObject, Sendable {
    /// Creates a trial with the next free number (atomically) and returns that number.
    func create(configuration: Configuration, state: TrialState) throws -> Int
    func append(_ event: TrialEvent) throws
    /// Every trial, by number.
    func records() throws -> [TrialRecord]
    /// Takes the oldest waiting trial and marks it running, atomically; nil when none waits.
    func claimWaiting() throws -> TrialRecord?
}

/// A trial store in memory (one process; lost when it ends).
public final class InMemoryTrialStore: TrialStore, @unchecked Sendable {
    private let lock = NSLock()
    private var events: [TrialEvent] = []
    private var byNumber: [Int: TrialRecord] = [:]

    public init() {}

    public func create(configuration: Configuration, state: TrialState) throws -> Int {
        lock.lock()
        defer { lock.unlock() }
        let n = byNumber.count
        let e = TrialEvent.created(number: n, configuration: configuration, state: state, time: Date())
        events.append(e)
        TrialEvent.apply(e, to: &byNumber)
        return n
    }

    public func append(_ event: TrialEvent) throws {
        lock.lock()
        defer { lock.unlock() }
        guard byNumber[event.number] != nil else { throw SearchError.unknownTrial(event.number) }
        events.append(event)
        TrialEvent.apply(event, to: &byNumber)
    }

    public func records() throws -> [TrialRecord] {
        lock.lock()
        defer { lock.unlock() }
        return byNumber.values.sorted { $0.number < $1.number }
    }

    public func claimWaiting() throws -> TrialRecord? {
        lock.lock()
        defer { lock.unlock() }
        guard let n = byNumber.values.filter({ $0.state == .waiting }).map(\.number).min() else { return nil }
        let e = TrialEvent.started(number: n, time: Date())
        events.append(e)
        TrialEvent.apply(e, to: &byNumber)
        return byNumber[n]
    }

    /// The event log (for tests and export).
    public var log: [TrialEvent] {
        lock.lock()
        defer { lock.unlock() }
        return events
    }
}
