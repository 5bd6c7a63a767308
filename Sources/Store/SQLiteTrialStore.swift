import Foundation
import GRDB
import Search

/// A trial store in a SQLite file (GRDB, write-ahead log), the embedded default: it survives the process,
/// and several processes on one machine can share it.
///
/// Tables: `trials(number, state)` allocates numbers and serves atomic claims; `events(id, number,
/// payload)` is the append-only log (JSON `TrialEvent`s) from which records are rebuilt. Every write is one
/// transaction, so a crash loses at most the event being written, never a completed trial.
public final class SQLiteTrialStore: TrialStore, @unchecked Sendable {
    private let pool: DatabasePool
    public let path: String

    /// Opens (creating if needed) the store at `path`.
    public init(path: String) throws {
        self.path = path
        do {
            pool = try DatabasePool(path: path, configuration: SQLiteSettings.configuration)
            try pool.write { db in
                try db.execute(sql: """
                    CREATE TABLE IF NOT EXISTS trials (number INTEGER PRIMARY KEY, state TEXT NOT NULL);
                    CREATE TABLE IF NOT EXISTS events (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        number INTEGER NOT NULL REFERENCES trials(number),
                        payload TEXT NOT NULL);
                    CREATE INDEX IF NOT EXISTS trials_state ON trials(state);
                    """)
            }
        } catch {
            throw SearchError.invalidState("cannot open the trial store at '\(path)': \(error)")
        }
    }

    private static var encoder: JSONEncoder { StoreCoding.encoder }
    private static var decoder: JSONDecoder { StoreCoding.decoder }

    private static func insert(_ event: TrialEvent, _ db: Database) throws {
        let payload = String(decoding: try encoder.encode(event), as: UTF8.self)
        try db.execute(sql: "INSERT INTO events (number, payload) VALUES (?, ?)", arguments: [event.number, payload])
        switch event {
        case .started: try db.execute(sql: "UPDATE trials SET state = 'running' WHERE number = ?", arguments: [event.number])
        case .finished(_, let state, _, _, _): try db.execute(sql: "UPDATE trials SET state = ? WHERE number = ?", arguments: [state.rawValue, event.number])
        case .requeued: try db.execute(sql: "UPDATE trials SET state = 'waiting' WHERE number = ?", arguments: [event.number])
        default: break
        }
    }

    public func create(configuration: Search.Configuration, state: TrialState) throws -> Int {
        try pool.write { db in
            let n = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(number) + 1, 0) FROM trials") ?? 0
            try db.execute(sql: "INSERT INTO trials (number, state) VALUES (?, ?)", arguments: [n, state.rawValue])
            try Self.insert(.created(number: n, configuration: configuration, state: state, time: Date()), db)
            return n
        }
    }

    public func append(_ event: TrialEvent) throws {
        try pool.write { db in
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM trials WHERE number = ?", arguments: [event.number]) == 1 else {
                throw SearchError.unknownTrial(event.number)
            }
            try Self.insert(event, db)
        }
    }

    public func records() throws -> [TrialRecord] {
        let payloads = try pool.read { db in try String.fetchAll(db, sql: "SELECT payload FROM events ORDER BY id") }
        var byNumber: [Int: TrialRecord] = [:]
        for p in payloads { TrialEvent.replay(try Self.decoder.decode(TrialEvent.self, from: Data(p.utf8)), into: &byNumber) }
        return byNumber.values.sorted { $0.number < $1.number }
    }

    public func claimWaiting() throws -> TrialRecord? {
        let claimed: Int? = try pool.write { db in
            guard let n = try Int.fetchOne(db, sql: "SELECT number FROM trials WHERE state = 'waiting' ORDER BY number LIMIT 1") else { return nil }
            try Self.insert(.started(number: n, time: Date()), db)
            return n
        }
        guard let claimed else { return nil }
        return try records().first { $0.number == claimed }
    }

    /// Marks trials left `running` (by a process that died) as failed, and returns their numbers.
    /// Call it when no other process is running trials of this study.
    @discardableResult
    public func failInterrupted() throws -> [Int] {
        try pool.write { db in
            let running = try Int.fetchAll(db, sql: "SELECT number FROM trials WHERE state = 'running' ORDER BY number")
            for n in running {
                try Self.insert(.finished(number: n, state: .failed, values: nil, error: "interrupted: the process running it stopped", time: Date()), db)
            }
            return running
        }
    }
}
