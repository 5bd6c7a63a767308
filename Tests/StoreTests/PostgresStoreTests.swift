import Foundation
import Search
import Store
import Testing
import TestSupport

@Suite("PostgreSQL trial store", .enabled(if: TestPostgres.runnable, TestPostgres.needsServer))
struct PostgresStoreTests {
    /// Leases short enough for a test to see one run out.
    static let quickLeases = LeasePolicy(leaseSeconds: 1.0, heartbeatSeconds: 0.2, maximumAttempts: 3, connections: 4,
                                         connectTimeoutSeconds: 10, answerTimeoutSeconds: 3)

    func store(_ study: String, _ policy: LeasePolicy = .standard) throws -> PostgresTrialStore {
        try PostgresTrialStore(url: try TestPostgres.requireURL(), study: study, policy: policy)
    }

    @Test("Store conformance: PostgreSQL")
    func conformance() throws {
        let problems = try SearchConformance.store { try store(TestPostgres.uniqueStudy("conformance")) }
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("Two stores on one study share it; studies are kept apart; attributes round-trip")
    func sharing() throws {
        let name = TestPostgres.uniqueStudy("sharing")
        let a = try store(name), b = try store(name), other = try store(TestPostgres.uniqueStudy("other"))
        let n = try a.create(configuration: ["x": .double(1)], state: .waiting)
        #expect(try b.records().map(\.number) == [n])
        #expect(try other.records().isEmpty)
        let claimed = try b.claimWaiting()
        #expect(claimed?.number == n && claimed?.state == .running)
        #expect(try a.claimWaiting() == nil)
        // Only the holder may report on the trial or end it.
        #expect(throws: SearchError.leaseLost(n)) { try a.append(.finished(number: n, state: .complete, values: [1], error: nil, time: Date())) }
        try b.append(.finished(number: n, state: .complete, values: [1], error: nil, time: Date()))
        #expect(throws: SearchError.invalidState("trial \(n) has already ended (complete); it cannot take more events")) {
            try b.append(.finished(number: n, state: .complete, values: [2], error: nil, time: Date()))
        }
        #expect(try a.records().first?.values == [1])

        try a.setAttribute("data-hash", Data("abc".utf8))
        try a.setAttribute("oof", Data([0, 1, 2, 255]), trial: n)
        try b.setAttribute("data-hash", Data("def".utf8))
        #expect(try a.attributes() == ["data-hash": Data("def".utf8)])
        #expect(try b.attributes(trial: n) == ["oof": Data([0, 1, 2, 255])])
        #expect(try other.attributes().isEmpty)
        #expect(throws: SearchError.unknownTrial(999)) { try a.setAttribute("k", Data(), trial: 999) }

        // A worker can hand a trial back (shutting down), and another can start it by its number.
        let m = try a.create(configuration: ["x": .double(2)], state: .running)
        try a.append(.requeued(number: m, reason: "shutting down", time: Date()))
        #expect(try b.records().first { $0.number == m }?.state == .waiting)
        try b.append(.started(number: m, time: Date()))
        #expect(throws: SearchError.invalidState("trial \(m) is already running")) { try a.append(.started(number: m, time: Date())) }
        #expect(throws: SearchError.leaseLost(m)) { try a.append(.reported(number: m, step: 1, value: 1)) }
        #expect(throws: SearchError.invalidState("a trial is created by create(configuration:state:), not appended")) {
            try a.append(.created(number: 7, configuration: [:], state: .waiting, time: Date()))
        }
    }

    @Test("A trial whose worker stops heart-beating is queued again and completes exactly once")
    func leaseExpiry() throws {
        let name = TestPostgres.uniqueStudy("lease")
        let dying = try store(name, Self.quickLeases), survivor = try store(name, Self.quickLeases)
        let n = try dying.create(configuration: ["x": .double(3)], state: .running)
        try dying.append(.reported(number: n, step: 1, value: 0.5))
        let live = try survivor.create(configuration: ["x": .double(4)], state: .running)
        dying.stopHeartbeat()
        Thread.sleep(forTimeInterval: 1.5)  // the dying worker's lease (1 s) runs out; the survivor's is renewed
        let again = try survivor.claimWaiting()
        #expect(again?.number == n)
        #expect(again?.intermediate.isEmpty == true, "the dead attempt's reports are forgotten")
        #expect(again?.configuration == ["x": .double(3)])
        // The dead worker comes back: its result is refused, the survivor's counts.
        #expect(throws: SearchError.leaseLost(n)) { try dying.append(.reported(number: n, step: 2, value: 0.1)) }
        #expect(throws: SearchError.leaseLost(n)) {
            try dying.append(.finished(number: n, state: .complete, values: [9], error: nil, time: Date()))
        }
        try survivor.append(.finished(number: n, state: .complete, values: [1], error: nil, time: Date()))
        try survivor.append(.finished(number: live, state: .complete, values: [2], error: nil, time: Date()))
        let events = try survivor.eventLog().filter { $0.number == n }
        #expect(events.filter { if case .finished = $0 { return true } else { return false } }.count == 1)
        #expect(events.filter { if case .requeued = $0 { return true } else { return false } }.count == 1)
        let records = try survivor.records()
        #expect(records.map(\.state) == [.complete, .complete])
        #expect(records.first?.values == [1])
    }

    @Test("A trial that loses its worker every time fails after the last attempt")
    func attemptsRunOut() throws {
        var policy = Self.quickLeases
        policy.maximumAttempts = 2
        let name = TestPostgres.uniqueStudy("attempts")
        let first = try store(name, policy)
        let n = try first.create(configuration: ["x": .double(1)], state: .running)
        first.stopHeartbeat()
        Thread.sleep(forTimeInterval: 1.3)
        let second = try store(name, policy)
        #expect(try second.claimWaiting()?.number == n)  // attempt 2
        second.stopHeartbeat()
        Thread.sleep(forTimeInterval: 1.3)
        let third = try store(name, policy)
        #expect(try third.claimWaiting() == nil)
        let record = try third.records().first
        #expect(record?.state == .failed)
        #expect(record?.error?.contains("at most 2 times") == true, "\(record?.error ?? "")")
        #expect(try third.leases().isEmpty)
    }

    @Test("A broken connection is replaced; the store goes on")
    func reconnects() throws {
        let name = TestPostgres.uniqueStudy("reconnect")
        let a = try store(name), admin = try store(TestPostgres.uniqueStudy("admin"))
        let n = try a.create(configuration: ["x": .double(1)], state: .running)
        try admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '\(a.worker)'")
        Thread.sleep(forTimeInterval: 0.2)
        #expect(try a.records().map(\.number) == [n])  // a read on a dead connection is retried on a new one
        try a.append(.finished(number: n, state: .complete, values: [1], error: nil, time: Date()))
        #expect(try a.records().first?.state == .complete)
    }

    @Test("The server restarts under a store: it reconnects and the study goes on",
          .enabled(if: TestPostgres.serverProgramsRunnable, "needs PostgreSQL's server programs to run a server of its own"))
    func serverRestart() throws {
        let port = 54331
        let url = try TestPostgres.ownServer("start", port: port)
        defer { _ = try? TestPostgres.ownServer("stop", port: port) }
        let store = try PostgresTrialStore(url: url, study: "restart", policy: Self.quickLeases)
        let n = try store.create(configuration: ["x": .double(1)], state: .running)
        try store.append(.reported(number: n, step: 1, value: 0.5))
        try TestPostgres.ownServer("restart", port: port)
        // Every connection broke; the next operations reconnect. The heartbeat keeps the lease meanwhile.
        Thread.sleep(forTimeInterval: 1.3)
        #expect(try store.records().first?.intermediate == [1: 0.5])
        try store.append(.finished(number: n, state: .complete, values: [1], error: nil, time: Date()))
        #expect(try store.records().first?.state == .complete)
        #expect(try store.eventLog().filter { if case .requeued = $0 { return true } else { return false } }.isEmpty,
                "the lease outlived the restart")
    }

    @Test("Bad addresses get clear errors that never show the password")
    func badLocations() throws {
        #expect(throws: StoreError.self) { try PostgresLocation(url: "mysql://x") }
        for url in ["mysql://ann:s3cret@h/db", "mysql://h/db?password=s3cret"] {
            do { _ = try PostgresLocation(url: url); Issue.record("\(url) was taken") } catch {
                #expect("\(error)".contains("is not a PostgreSQL URL") && !"\(error)".contains("s3cret"), "\(error)")
            }
        }
        #expect(throws: StoreError.self) { try PostgresLocation(url: "postgresql://u@h:99999/db") }
        #expect(throws: StoreError.self) { try PostgresLocation(url: "postgresql://u@h/db?sslmode=sometimes") }
        let located = try PostgresLocation(url: "postgresql://ann:s3cret@db.example:6543/studies?sslmode=require", environment: [:])
        #expect(located == PostgresLocation(host: "db.example", port: 6543, user: "ann", password: "s3cret", database: "studies", tls: .require))
        #expect(!located.description.contains("s3cret"))
        let fromEnvironment = try PostgresLocation.fromEnvironment(["PGHOST": "h", "PGPORT": "7000", "PGUSER": "u", "PGPASSWORD": "pw", "PGDATABASE": "d", "PGSSLMODE": "disable"])
        #expect(fromEnvironment == PostgresLocation(host: "h", port: 7000, user: "u", password: "pw", database: "d", tls: .disable))
        // Nothing listens on port 1: a quick, clear refusal without the password.
        var policy = LeasePolicy.standard
        policy.connectTimeoutSeconds = 0.5
        do {
            _ = try PostgresTrialStore(url: "postgresql://ann:s3cret@127.0.0.1:1/db?sslmode=disable", study: "s", policy: policy)
            Issue.record("a store opened on a closed port")
        } catch {
            let message = "\(error)"
            #expect(message.contains("cannot connect to PostgreSQL at 127.0.0.1:1"), "\(message)")
            #expect(!message.contains("s3cret"))
        }
        #expect(throws: StoreError.self) {
            _ = try PostgresTrialStore(url: try TestPostgres.requireURL(), study: "s",
                                       policy: LeasePolicy(leaseSeconds: 1, heartbeatSeconds: 1, maximumAttempts: 1, connections: 1, connectTimeoutSeconds: 1))
        }
    }

    @Test("A database with a newer schema is refused with the upgrade message")
    func newerSchema() throws {
        let url = try TestPostgres.requireURL()
        let admin = try store(TestPostgres.uniqueStudy("schema-admin"))
        let database = "mlforge_schema_\(UInt32.random(in: 0...UInt32.max))"
        try admin.execute("CREATE DATABASE \(database)")
        defer { try? admin.execute("DROP DATABASE \(database) WITH (FORCE)") }
        var location = try PostgresLocation(url: url)
        location.database = database
        let fresh = try PostgresTrialStore(location: location, study: "s")
        try fresh.execute("UPDATE mlforge_schema SET version = 99")
        fresh.close()
        #expect(throws: StoreError.schemaTooNew(found: 99, known: 1)) { _ = try PostgresTrialStore(location: location, study: "s") }
    }

    /// Reads a worker's lines as they come.
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var buffer = Data()
        init(_ pipe: Pipe) {
            pipe.fileHandleForReading.readabilityHandler = { [self] handle in
                let chunk = handle.availableData
                lock.withLock { buffer.append(chunk) }
            }
        }
        var all: [String] { lock.withLock { String(decoding: buffer, as: UTF8.self).split(separator: "\n").map(String.init) } }
    }

    func worker(_ url: String, _ study: String, _ extra: [String]) throws -> (Process, Lines) {
        let process = Process()
        process.executableURL = BuiltProduct.url("study-worker")
        process.arguments = [url, "--study", study] + extra
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        let lines = Lines(out)
        try process.run()
        return (process, lines)
    }

    @Test("Four worker processes, one killed with SIGKILL mid-trial: every trial completes exactly once")
    func killedWorker() throws {
        let url = try TestPostgres.requireURL()
        let name = TestPostgres.uniqueStudy("kill")
        let coordinator = try store(name, Self.quickLeases)
        let space = try SearchSpace([.init("x", .float(-5, 5)), .init("y", .float(-5, 5))])
        let study = Study(space: space, store: coordinator, strategy: RandomSearch(seed: 3))
        for i in 0..<24 { try study.enqueue(["x": .double(Double(i) / 5 - 2), "y": .double(1)]) }
        let options = ["--queued-only", "--delay-ms", "300", "--lease", "1", "--heartbeat", "0.2"]
        let workers = try (0..<4).map { _ in try worker(url, name, options) }
        // Kill the first worker in the middle of its second trial.
        let giveUp = Date().addingTimeInterval(60)
        while workers[0].1.all.filter({ $0.hasPrefix("start ") }).count < 2 && Date() < giveUp { usleep(10_000) }
        usleep(120_000)
        kill(workers[0].0.processIdentifier, SIGKILL)
        for (process, _) in workers { process.waitUntilExit() }
        #expect(workers[0].0.terminationReason == .uncaughtSignal)
        for (process, _) in workers.dropFirst() { #expect(process.terminationStatus == 0) }

        let killedLines = workers[0].1.all
        let interrupted = killedLines.filter { $0.hasPrefix("start ") }.map { Int($0.dropFirst(6))! }
            .filter { !killedLines.contains("complete \($0)") }
        #expect(interrupted.count == 1, "\(killedLines)")
        let completions = workers.flatMap { $0.1.all }.filter { $0.hasPrefix("complete ") }.map { Int($0.dropFirst(9))! }
        #expect(completions.sorted() == Array(0..<24), "each trial completes once: \(completions.sorted())")
        let records = try coordinator.records()
        #expect(records.count == 24 && records.allSatisfy { $0.state == .complete && $0.values != nil })
        let events = try coordinator.eventLog()
        for n in 0..<24 {
            let ends = events.filter { if case .finished(n, _, _, _, _) = $0 { return true } else { return false } }
            #expect(ends.count == 1, "trial \(n) ended \(ends.count) times")
        }
        let requeued = events.compactMap { if case .requeued(let n, _, _) = $0 { return n } else { return nil } }
        #expect(requeued == interrupted, "the killed worker's trial went back to the queue")
    }

    @Test("The plain Study API from several processes: one numbering, no trial lost")
    func studyFromProcesses() throws {
        let url = try TestPostgres.requireURL()
        let name = TestPostgres.uniqueStudy("processes")
        let workers = try (0..<3).map { i in try worker(url, name, ["--trials", "8", "--seed", "\(i + 1)", "--delay-ms", "9"]) }
        for (process, _) in workers { process.waitUntilExit() }
        for (process, _) in workers { #expect(process.terminationStatus == 0) }
        let records = try store(name).records()
        #expect(records.map(\.number) == Array(0..<24))
        #expect(records.allSatisfy { $0.state == .complete && $0.intermediate.count == 3 })
    }
}
