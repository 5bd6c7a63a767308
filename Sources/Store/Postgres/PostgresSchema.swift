import Foundation
import PostgresNIO

/// The tables MLForge keeps in a PostgreSQL database, by version. The first store to open a database
/// creates them, and a store of a newer MLForge migrates them, under an advisory lock so that processes
/// starting at once do it once; a database newer than this MLForge is refused.
///
/// - `mlforge_schema(version)`: one row, the version below.
/// - `mlforge_studies(id, name, next_number, created)`: a study per name; `next_number` hands out trial
///   numbers (its row lock makes creation atomic).
/// - `mlforge_trials(study_id, number, state, worker, lease_expires, attempts)`: the claim table — who
///   runs a trial and until when its lease holds without a heartbeat, and how many times it was started.
/// - `mlforge_events(id, study_id, number, payload)`: the append-only log of JSON `TrialEvent`s from
///   which records are rebuilt (as in the SQLite store).
/// - `mlforge_attributes(study_id, number, key, value)`: the study's (number −1) and its trials' named
///   values.
enum PostgresSchema {
    /// The newest version this MLForge writes.
    static let version = 1

    /// Statements that take a database from version `index` to `index + 1`.
    static let migrations: [[String]] = [
        [
            """
            CREATE TABLE mlforge_studies (
                id BIGSERIAL PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                next_number BIGINT NOT NULL DEFAULT 0,
                created TIMESTAMPTZ NOT NULL DEFAULT now())
            """,
            """
            CREATE TABLE mlforge_trials (
                study_id BIGINT NOT NULL REFERENCES mlforge_studies(id) ON DELETE CASCADE,
                number BIGINT NOT NULL,
                state TEXT NOT NULL,
                worker TEXT,
                lease_expires TIMESTAMPTZ,
                attempts BIGINT NOT NULL DEFAULT 0,
                PRIMARY KEY (study_id, number))
            """,
            "CREATE INDEX mlforge_trials_state ON mlforge_trials (study_id, state, number)",
            """
            CREATE TABLE mlforge_events (
                id BIGSERIAL PRIMARY KEY,
                study_id BIGINT NOT NULL,
                number BIGINT NOT NULL,
                payload TEXT NOT NULL,
                FOREIGN KEY (study_id, number) REFERENCES mlforge_trials(study_id, number) ON DELETE CASCADE)
            """,
            "CREATE INDEX mlforge_events_trial ON mlforge_events (study_id, number, id)",
            """
            CREATE TABLE mlforge_attributes (
                study_id BIGINT NOT NULL REFERENCES mlforge_studies(id) ON DELETE CASCADE,
                number BIGINT NOT NULL,
                key TEXT NOT NULL,
                value BYTEA NOT NULL,
                PRIMARY KEY (study_id, number, key))
            """,
        ],
    ]

    /// An arbitrary constant that names MLForge's advisory lock for schema changes.
    private static let lockKey = 0x4D4C_466F_7267_65

    /// Creates or migrates the tables, or refuses a newer database.
    static func prepare(_ connections: PostgresConnections) throws {
        try connections.transaction { session in
            try session.query("SELECT pg_advisory_xact_lock(\(lockKey))")
            try session.execute("CREATE TABLE IF NOT EXISTS mlforge_schema (version BIGINT NOT NULL)")
            let rows = try session.query("SELECT version FROM mlforge_schema")
            var current = 0
            if let row = rows.first {
                current = Int(try row.decode(Int64.self))
            } else {
                try session.execute("INSERT INTO mlforge_schema (version) VALUES (0)")
            }
            guard current <= version else { throw StoreError.schemaTooNew(found: current, known: version) }
            for step in current..<version {
                for statement in migrations[step] { try session.execute(statement) }
            }
            if current < version { try session.query("UPDATE mlforge_schema SET version = \(Int64(version))") }
        }
    }
}
