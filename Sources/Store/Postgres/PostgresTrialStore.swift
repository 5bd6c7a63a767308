import Foundation
import PostgresNIO
import Search
import Support

/// A study's trials in a PostgreSQL database that several processes, on one machine or many, share:
/// the store for a search that outgrows one machine (Optuna's RDB storage is the model).
///
/// One store object is one worker of one study (`study` names it; the first store to name it creates
/// it). Trials a worker starts — claimed from the queue or created running — are leased to it: the
/// store's heartbeat thread renews the leases every `policy.heartbeatSeconds`, and when a worker dies
/// (killed, its machine gone), its leases run out and the next worker that asks for a trial puts those
/// trials back in the queue (`TrialEvent.requeued`), or ends them as failed after
/// `policy.maximumAttempts` starts. Only the worker holding a trial's lease can report on it or end it,
/// so every trial ends exactly once: a worker that comes back after losing its lease gets
/// `SearchError.leaseLost` and its result is discarded.
///
/// Claims take the oldest waiting trial with `SELECT … FOR UPDATE SKIP LOCKED`, so workers never wait
/// on each other's claims. Lease times are the server's clock (`now()`), so the machines' clocks need not
/// agree. The events are the same JSON `TrialEvent`s as the SQLite store's; see `PostgresSchema` for the
/// tables. Credentials come from the URL or the `PG*` variables and are never logged or shown.
public final class PostgresTrialStore: TrialStore, @unchecked Sendable {
    public let study: String
    /// This store's name as a lease holder: host, process and a random part.
    public let worker: String
    public let policy: LeasePolicy
    public var location: PostgresLocation { connections.location }
    private let connections: PostgresConnections
    private let studyID: Int64
    private let heartbeat: Heartbeat
    /// The trials read so far that have ended, and the lowest number not among them.
    private let ended = LockedBox<(records: [Int: TrialRecord], watermark: Int)>(([:], 0))

    /// Opens the study `study` at `location` (creating the tables and the study when needed) and starts
    /// renewing this worker's leases.
    public init(location: PostgresLocation, study: String, policy: LeasePolicy = .standard) throws {
        if let problem = policy.problem { throw StoreError.invalidRequest("the lease policy cannot work: \(problem)") }
        guard !study.isEmpty, study.count <= 200 else {
            throw StoreError.invalidRequest("a study needs a name of 1 to 200 characters")
        }
        self.study = study
        self.policy = policy
        worker = "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UInt32.random(in: 0...UInt32.max))"
        connections = try PostgresConnections(location: location, capacity: policy.connections,
                                              connectTimeoutSeconds: policy.connectTimeoutSeconds,
                                              answerTimeoutSeconds: policy.answerTimeoutSeconds, applicationName: worker)
        try PostgresSchema.prepare(connections)
        studyID = try connections.withSession(retrying: true) { session in
            try session.query("INSERT INTO mlforge_studies (name) VALUES (\(study)) ON CONFLICT (name) DO NOTHING")
            guard let row = try session.query("SELECT id FROM mlforge_studies WHERE name = \(study)").first else {
                throw StoreError.server("the study '\(study)' was not created")
            }
            return try row.decode(Int64.self)
        }
        heartbeat = Heartbeat(every: policy.heartbeatSeconds)
        let connections = self.connections, studyID = self.studyID, worker = self.worker, lease = policy.leaseSeconds
        heartbeat.start {
            try connections.withSession(retrying: true) { session in
                try Self.renew(session, studyID: studyID, worker: worker, lease: lease)
            }
        }
    }

    /// Opens a study at a `postgresql://` URL (parts it leaves out come from the `PG*` variables).
    public convenience init(url: String, study: String, policy: LeasePolicy = .standard) throws {
        try self.init(location: try PostgresLocation(url: url), study: study, policy: policy)
    }

    deinit { close() }

    /// Stops the heartbeat and closes the connections. Trials this worker still runs keep their leases
    /// until they expire, then run again elsewhere.
    public func close() {
        heartbeat.stop()
        connections.close()
    }

    // MARK: TrialStore

    public func create(configuration: Search.Configuration, state: TrialState) throws -> Int {
        try connections.transaction { session in
            guard let row = try session.query("""
                UPDATE mlforge_studies SET next_number = next_number + 1 WHERE id = \(studyID) RETURNING next_number - 1
                """).first else { throw StoreError.server("the study '\(study)' was deleted") }
            let n = Int(try row.decode(Int64.self))
            let running = state == .running
            try session.query("""
                INSERT INTO mlforge_trials (study_id, number, state, worker, lease_expires, attempts)
                VALUES (\(studyID), \(Int64(n)), \(state.rawValue), \(running ? worker : nil),
                        CASE WHEN \(running) THEN now() + make_interval(secs => \(policy.leaseSeconds)) END,
                        \(running ? Int64(1) : Int64(0)))
                """)
            try Self.insert(.created(number: n, configuration: configuration, state: state, time: Date()), session, studyID: studyID)
            return n
        }
    }

    public func append(_ event: TrialEvent) throws {
        let n = Int64(event.number)
        let payload = try Self.encode(event)
        let inserted: Bool = try connections.withSession(retrying: false) { session in
            let rows: [PostgresRow]
            switch event {
            case .created:
                throw SearchError.invalidState("a trial is created by create(configuration:state:), not appended")
            case .reported, .constrained:
                rows = try session.query("""
                    WITH held AS (SELECT number FROM mlforge_trials
                                  WHERE study_id = \(studyID) AND number = \(n) AND state = 'running' AND worker = \(worker)
                                  FOR UPDATE)
                    INSERT INTO mlforge_events (study_id, number, payload) SELECT \(studyID), number, \(payload) FROM held
                    RETURNING id
                    """)
            case .finished, .requeued:
                // The holder lets the trial go: ended, or back to the queue.
                var next = TrialState.waiting
                if case .finished(_, let state, _, _, _) = event { next = state }
                rows = try session.query("""
                    WITH released AS (UPDATE mlforge_trials SET state = \(next.rawValue), worker = NULL, lease_expires = NULL
                                      WHERE study_id = \(studyID) AND number = \(n) AND state = 'running' AND worker = \(worker)
                                      RETURNING number)
                    INSERT INTO mlforge_events (study_id, number, payload) SELECT \(studyID), number, \(payload) FROM released
                    RETURNING id
                    """)
            case .started:
                return try claim(n, payload: payload, session)
            }
            return !rows.isEmpty
        }
        if !inserted { throw try refusal(for: event) }
    }

    /// Every trial, by number. Ended trials never change, so they are kept here once read (Optuna's
    /// cached storage does the same): each call reads only the events of trials numbered from the lowest
    /// one that has not ended, so a strategy asking on a long study does not read its whole history.
    public func records() throws -> [TrialRecord] {
        try ended.withLock { cache in
            let rows = try connections.withSession(retrying: true) { session in
                try session.query("SELECT payload FROM mlforge_events WHERE study_id = \(studyID) AND number >= \(Int64(cache.watermark)) ORDER BY id")
            }
            var byNumber = cache.records
            for record in try replay(rows) {
                byNumber[record.number] = record
                if record.state.hasEnded { cache.records[record.number] = record }
            }
            while cache.records[cache.watermark] != nil { cache.watermark += 1 }
            return byNumber.values.sorted { $0.number < $1.number }
        }
    }

    /// Puts trials whose leases ran out back in the queue first, then claims the oldest waiting trial for
    /// this worker. Most asks of a search find nothing to claim: one read says so, without the
    /// transaction (a trial queued just after it is claimed by the next ask).
    public func claimWaiting() throws -> TrialRecord? {
        let anything = try connections.withSession(retrying: true) { session in
            try session.query("""
                SELECT EXISTS (SELECT 1 FROM mlforge_trials WHERE study_id = \(studyID)
                               AND (state = 'waiting' OR (state = 'running' AND lease_expires < now())))
                """).first?.decode(Bool.self) ?? true
        }
        guard anything else { return nil }
        let claimed: Int64? = try connections.transaction { session in
            _ = try reapExpired(session)
            guard let row = try session.query("""
                SELECT number FROM mlforge_trials WHERE study_id = \(studyID) AND state = 'waiting'
                ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED
                """).first else { return nil }
            let n = try row.decode(Int64.self)
            guard try claim(n, payload: Self.encode(.started(number: Int(n), time: Date())), session) else {
                throw SearchError.invalidState("trial \(n) was locked for this claim yet is no longer waiting")
            }
            return n
        }
        guard let claimed else { return nil }
        return try record(Int(claimed))
    }

    // MARK: Leases

    /// Puts back in the queue (or ends as failed, after `policy.maximumAttempts` starts) every running
    /// trial whose lease ran out; returns their numbers. `claimWaiting` does this first; a coordinator can
    /// call it at any time.
    @discardableResult
    public func reapExpiredLeases() throws -> [Int] {
        try connections.transaction { session in try reapExpired(session) }
    }

    /// Renews this worker's leases now (the heartbeat thread does it every `policy.heartbeatSeconds`).
    public func renewLeases() throws {
        try connections.withSession(retrying: true) { session in
            try Self.renew(session, studyID: studyID, worker: worker, lease: policy.leaseSeconds)
        }
    }

    /// The trials that are running, with the worker that holds each and the seconds left on its lease
    /// (negative once it ran out).
    public func leases() throws -> [(number: Int, worker: String, secondsLeft: Double)] {
        try connections.withSession(retrying: true) { session in
            try session.query("""
                SELECT number, worker, EXTRACT(EPOCH FROM lease_expires - now())::float8 FROM mlforge_trials
                WHERE study_id = \(studyID) AND state = 'running' ORDER BY number
                """).map { row in
                let (n, w, left) = try row.decode((Int64, String, Double).self)
                return (Int(n), w, left)
            }
        }
    }

    // MARK: Attributes

    /// Sets a named value of the study (`trial` nil) or of one of its trials, replacing an earlier one.
    public func setAttribute(_ key: String, _ value: Data, trial: Int? = nil) throws {
        let number = Int64(trial ?? -1)
        // One statement: a trial's value is written only when the trial exists.
        let written = try connections.withSession(retrying: true) { session in
            try session.query("""
                INSERT INTO mlforge_attributes (study_id, number, key, value)
                SELECT \(studyID), \(number), \(key), \(value)
                WHERE \(number) = -1 OR EXISTS (SELECT 1 FROM mlforge_trials WHERE study_id = \(studyID) AND number = \(number))
                ON CONFLICT (study_id, number, key) DO UPDATE SET value = EXCLUDED.value
                RETURNING 1
                """).count
        }
        if let trial, written == 0 { throw SearchError.unknownTrial(trial) }
    }

    /// One named value of the study (`trial` nil) or of one trial; nil when it is not set.
    public func attribute(_ key: String, trial: Int? = nil) throws -> Data? {
        let number = Int64(trial ?? -1)
        return try connections.withSession(retrying: true) { session in
            try session.query("SELECT value FROM mlforge_attributes WHERE study_id = \(studyID) AND number = \(number) AND key = \(key)")
                .first.map { try $0.decode(Data.self) }
        }
    }

    /// The named values of the study (`trial` nil) or of one trial.
    public func attributes(trial: Int? = nil) throws -> [String: Data] {
        let number = Int64(trial ?? -1)
        return try connections.withSession(retrying: true) { session in
            var values: [String: Data] = [:]
            for row in try session.query("SELECT key, value FROM mlforge_attributes WHERE study_id = \(studyID) AND number = \(number)") {
                let (key, value) = try row.decode((String, Data).self)
                values[key] = value
            }
            return values
        }
    }

    /// The server's clock (`clock_timestamp()`).
    public func serverTime() throws -> Date {
        try connections.withSession(retrying: true) { session in
            guard let row = try session.query("SELECT EXTRACT(EPOCH FROM clock_timestamp())::float8").first else {
                throw StoreError.server("the server did not say its time")
            }
            return Date(timeIntervalSince1970: try row.decode(Double.self))
        }
    }

    // MARK: For the tests

    /// Stops renewing this worker's leases, as if its process had died, while the connections stay open.
    package func stopHeartbeat() { heartbeat.stop() }

    /// Every event of the study, in the order stored.
    package func eventLog() throws -> [TrialEvent] {
        try connections.withSession(retrying: true) { session in
            try session.query("SELECT payload FROM mlforge_events WHERE study_id = \(studyID) ORDER BY id").map(Self.event)
        }
    }

    /// Runs a statement of the test's own (to break connections, or age a schema).
    package func execute(_ sql: String) throws {
        try connections.withSession(retrying: false) { session in try session.execute(sql) }
    }

    // MARK: Internals

    private static func encode(_ event: TrialEvent) throws -> String {
        String(decoding: try StoreCoding.encoder.encode(event), as: UTF8.self)
    }

    /// The event a row's `payload` holds.
    private static func event(_ row: PostgresRow) throws -> TrialEvent {
        try StoreCoding.decoder.decode(TrialEvent.self, from: Data(try row.decode(String.self).utf8))
    }

    /// Makes the waiting trial `n` this worker's, leased from now, with its `started` event (`payload`);
    /// false when it is not waiting.
    private func claim(_ n: Int64, payload: String, _ session: PostgresSession) throws -> Bool {
        try !session.query("""
            WITH claimed AS (UPDATE mlforge_trials
                             SET state = 'running', worker = \(worker), attempts = attempts + 1,
                                 lease_expires = now() + make_interval(secs => \(policy.leaseSeconds))
                             WHERE study_id = \(studyID) AND number = \(n) AND state = 'waiting'
                             RETURNING number)
            INSERT INTO mlforge_events (study_id, number, payload) SELECT \(studyID), number, \(payload) FROM claimed
            RETURNING id
            """).isEmpty
    }

    private static func insert(_ event: TrialEvent, _ session: PostgresSession, studyID: Int64) throws {
        try session.query("""
            INSERT INTO mlforge_events (study_id, number, payload) VALUES (\(studyID), \(Int64(event.number)), \(try encode(event)))
            """)
    }

    private static func renew(_ session: PostgresSession, studyID: Int64, worker: String, lease: Double) throws {
        try session.query("""
            UPDATE mlforge_trials SET lease_expires = now() + make_interval(secs => \(lease))
            WHERE study_id = \(studyID) AND worker = \(worker) AND state = 'running'
            """)
    }

    private func reapExpired(_ session: PostgresSession) throws -> [Int] {
        let expired = try session.query("""
            SELECT number, attempts, worker FROM mlforge_trials
            WHERE study_id = \(studyID) AND state = 'running' AND lease_expires < now()
            ORDER BY number FOR UPDATE SKIP LOCKED
            """).map { try $0.decode((Int64, Int64, String).self) }
        for (n, attempts, holder) in expired {
            let gaveUp = attempts >= Int64(policy.maximumAttempts)
            try session.query("""
                UPDATE mlforge_trials SET state = \(gaveUp ? "failed" : "waiting"), worker = NULL, lease_expires = NULL
                WHERE study_id = \(studyID) AND number = \(n)
                """)
            let why = "its worker (\(holder)) stopped renewing its lease of \(policy.leaseSeconds) s"
            let event: TrialEvent = gaveUp
                ? .finished(number: Int(n), state: .failed, values: nil,
                            error: "\(why), for the \(attempts)th time; a trial is started at most \(policy.maximumAttempts) times", time: Date())
                : .requeued(number: Int(n), reason: why, time: Date())
            try Self.insert(event, session, studyID: studyID)
        }
        return expired.map { Int($0.0) }
    }

    private func record(_ number: Int) throws -> TrialRecord? {
        try replay(try connections.withSession(retrying: true) { session in
            try session.query("SELECT payload FROM mlforge_events WHERE study_id = \(studyID) AND number = \(Int64(number)) ORDER BY id")
        }).first
    }

    private func replay(_ rows: [PostgresRow]) throws -> [TrialRecord] {
        var byNumber: [Int: TrialRecord] = [:]
        for row in rows { TrialEvent.replay(try Self.event(row), into: &byNumber) }
        return byNumber.values.sorted { $0.number < $1.number }
    }

    /// Why an event was not taken: no such trial, a trial that already ended, or one this worker no longer
    /// holds.
    private func refusal(for event: TrialEvent) throws -> Error {
        let n = event.number
        let row = try connections.withSession(retrying: true) { session in
            try session.query("SELECT state FROM mlforge_trials WHERE study_id = \(studyID) AND number = \(Int64(n))").first
        }
        guard let row, let state = TrialState(rawValue: try row.decode(String.self)) else { return SearchError.unknownTrial(n) }
        switch (event, state) {
        case (.started, .running): return SearchError.invalidState("trial \(n) is already running")
        case (_, .complete), (_, .pruned), (_, .failed):
            return SearchError.invalidState("trial \(n) has already ended (\(state.rawValue)); it cannot take more events")
        case (.started, .waiting): return SearchError.invalidState("trial \(n) was claimed by another worker at the same moment")
        case (_, .waiting): return SearchError.leaseLost(n)
        case (_, .running): return SearchError.leaseLost(n)
        }
    }
}

/// A thread that runs a job every few seconds until stopped (a store's lease renewal). A failed run is
/// tried again at the next beat.
final class Heartbeat: @unchecked Sendable {
    private let interval: Double
    private let condition = NSCondition()
    private var stopped = false
    private var thread: Thread?

    init(every interval: Double) { self.interval = interval }

    func start(_ job: @escaping @Sendable () throws -> Void) {
        let thread = Thread { [self] in
            condition.lock()
            while !stopped {
                _ = condition.wait(until: Date().addingTimeInterval(interval))
                if stopped { break }
                condition.unlock()
                try? job()
                condition.lock()
            }
            condition.unlock()
        }
        thread.name = "mlforge.store.heartbeat"
        self.thread = thread
        thread.start()
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}
