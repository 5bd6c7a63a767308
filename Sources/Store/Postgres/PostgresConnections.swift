import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Support

/// A few connections to one PostgreSQL server for callers that block: each operation takes a connection
/// of its own for its whole length (so a transaction's statements never interleave with another
/// thread's), and waits on postgres-nio's futures, which complete on NIO's event loops — never on the
/// caller's threads, so blocking a Swift-concurrency thread here cannot starve the I/O.
///
/// (postgres-nio's own pool, `PostgresClient`, is async-only and needs a running service; the trial
/// store's protocol is synchronous, as GRDB's is for SQLite.)
///
/// A connection found closed is replaced; a server that cannot be reached is retried until
/// `connectTimeoutSeconds` has passed. An operation whose connection breaks before it could have changed
/// anything (a read, or a transaction before its COMMIT was sent) is run once more on a new connection;
/// one that broke while committing throws `StoreError.connectionLost`, since its effect is unknown.
final class PostgresConnections: @unchecked Sendable {
    let location: PostgresLocation
    private let configuration: PostgresConnection.Configuration
    private let capacity: Int
    private let connectTimeoutSeconds: Double
    private let answerTimeoutSeconds: Double
    private let logger: Logger
    private let condition = NSCondition()
    private var idle: [PostgresConnection] = []
    private var opened = 0
    private var nextID = 0
    private var closed = false

    /// `applicationName` is what the server's `pg_stat_activity` shows for these connections.
    init(location: PostgresLocation, capacity: Int, connectTimeoutSeconds: Double, answerTimeoutSeconds: Double,
         applicationName: String) throws {
        self.answerTimeoutSeconds = answerTimeoutSeconds
        self.location = location
        self.capacity = max(1, capacity)
        self.connectTimeoutSeconds = connectTimeoutSeconds
        var configuration = try location.configuration(connectTimeoutSeconds: min(connectTimeoutSeconds, 10))
        configuration.options.additionalStartupParameters = [("application_name", String(applicationName.prefix(63)))]
        self.configuration = configuration
        var logger = Logger(label: "mlforge.store.postgres")
        logger.logLevel = .critical  // postgres-nio logs every connection at debug; errors reach the caller as messages
        self.logger = logger
    }

    /// Runs `body` in one transaction on a connection of its own: COMMIT when it returns, ROLLBACK when it
    /// throws.
    func transaction<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try withSession(retrying: true) { session in
            try session.execute("BEGIN")
            do {
                let result = try body(session)
                session.committing = true
                try session.execute("COMMIT")
                return result
            } catch {
                // (A connection that stopped answering is not asked again: closing it rolls back.)
                if !session.broken && !session.connection.isClosed { _ = try? session.execute("ROLLBACK") }
                throw error
            }
        }
    }

    /// Runs `body` (single statements, each atomic on its own) on a connection of its own. Set `retrying`
    /// only where running `body` twice is harmless when the connection broke the first time.
    func withSession<T>(retrying: Bool, _ body: (PostgresSession) throws -> T) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            let connection = try checkout()
            let session = PostgresSession(connection: connection, logger: logger, timeout: answerTimeoutSeconds)
            do {
                let result = try body(session)
                checkin(connection)
                return result
            } catch {
                let broken = session.broken || connection.isClosed
                checkin(connection, broken: session.broken)
                guard broken else { throw Self.translate(error) }
                if retrying && !session.committing && attempt < 2 { continue }
                throw StoreError.connectionLost("the connection to \(location) broke during an operation\(session.committing ? " while it committed, so whether it took effect is unknown" : ""): \(Self.translate(error)); check that the server is running")
            }
        }
    }

    private func checkout() throws -> PostgresConnection {
        condition.lock()
        while true {
            if closed {
                condition.unlock()
                throw StoreError.unreachable("the store's connections to \(location) are closed")
            }
            while let c = idle.popLast() {
                if !c.isClosed { condition.unlock(); return c }
                opened -= 1
            }
            if opened < capacity { break }
            condition.wait()
        }
        opened += 1
        nextID += 1
        let id = nextID
        condition.unlock()
        do {
            return try connect(id: id)
        } catch {
            condition.lock()
            opened -= 1
            condition.signal()
            condition.unlock()
            throw error
        }
    }

    private func checkin(_ connection: PostgresConnection, broken: Bool = false) {
        condition.lock()
        if broken || connection.isClosed || closed {
            opened -= 1
            if !connection.isClosed { connection.close().whenComplete { _ in } }
        } else {
            idle.append(connection)
        }
        condition.signal()
        condition.unlock()
    }

    /// Connects, retrying with a growing pause while the server cannot be reached (it may be starting or
    /// restarting), until `connectTimeoutSeconds` has passed. Wrong credentials are not retried.
    private func connect(id: Int) throws -> PostgresConnection {
        let giveUp = Date().addingTimeInterval(connectTimeoutSeconds)
        var pause = 0.05
        while true {
            do {
                return try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(),
                                                      configuration: configuration, id: id, logger: logger).wait()
            } catch {
                let reason = Self.translate(error)
                if Self.isRefusedByServer(error) || Date().addingTimeInterval(pause) >= giveUp {
                    throw StoreError.unreachable("cannot connect to \(location): \(reason). Check the URL (or the PG* variables), that the server runs and accepts this user, and the password")
                }
                Thread.sleep(forTimeInterval: pause)
                pause = min(pause * 2, 1)
            }
        }
    }

    /// The server answered (bad password, unknown database or role): trying again will not help.
    private static func isRefusedByServer(_ error: Error) -> Bool {
        guard let e = error as? PSQLError else { return false }
        return e.serverInfo != nil
    }

    /// A readable message for postgres-nio's errors (their default description hides the server's words).
    static func translate(_ error: Error) -> Error {
        guard let e = error as? PSQLError else { return error }
        if let info = e.serverInfo, let message = info[.message] {
            let code = info[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            return StoreError.server("PostgreSQL: \(message)\(code)")
        }
        return StoreError.server("PostgreSQL: \(e.code)\(e.underlying.map { ": \($0)" } ?? "")")
    }

    /// Closes every connection; later operations throw.
    func close() {
        condition.lock()
        closed = true
        let all = idle
        idle = []
        opened -= all.count
        condition.broadcast()
        condition.unlock()
        for c in all { c.close().whenComplete { _ in } }
    }
}

/// One connection, lent to one operation.
final class PostgresSession {
    let connection: PostgresConnection
    private let logger: Logger
    private let timeout: Double
    /// COMMIT was sent: from here a broken connection leaves the outcome unknown.
    var committing = false
    /// A statement got no answer in time: the connection is not to be used again.
    private(set) var broken = false

    init(connection: PostgresConnection, logger: Logger, timeout: Double) {
        self.connection = connection
        self.logger = logger
        self.timeout = timeout
    }

    /// Runs a statement and returns its rows, waiting at most `timeout` seconds for the answer (a future
    /// of postgres-nio can stay pending on a connection that closed as it was lent).
    @discardableResult
    func query(_ query: PostgresQuery) throws -> [PostgresRow] {
        let done = DispatchSemaphore(value: 0)
        let answer = LockedBox<Result<PostgresQueryResult, Error>?>(nil)
        connection.query(query, logger: logger).whenComplete { result in
            answer.withLock { $0 = result }
            done.signal()
        }
        guard done.wait(timeout: .now() + timeout) == .success, let result = answer.current else {
            broken = true
            throw StoreError.connectionLost(String(format: "PostgreSQL did not answer within %g s", timeout))
        }
        return Array(try result.get())
    }

    /// Runs a statement given as plain text (no parameters).
    func execute(_ sql: String) throws {
        try query(PostgresQuery(unsafeSQL: sql))
    }
}
