import Foundation
import Testing

/// The PostgreSQL server the store tests use: `MLFORGE_TEST_POSTGRES_URL` when set (CI sets it, after
/// `scripts/postgres-test-server start`), else a private server this process starts with that script on
/// first use and stops when it exits. Where none can be started, the tests that need one are skipped
/// with the reason — unless `MLFORGE_REQUIRE_POSTGRES=1` (CI) says it must be there, and they fail.
///
/// Use as `.enabled(if: TestPostgres.runnable, TestPostgres.needsServer)`, then
/// `let url = try TestPostgres.requireURL()` in the test.
public enum TestPostgres {
    /// Whether a test that needs PostgreSQL should run (a server is there, or it is required).
    public static var runnable: Bool { server.url != nil || required }

    /// The reason shown when such a test is skipped.
    public static let needsServer: Comment = "needs PostgreSQL: set MLFORGE_TEST_POSTGRES_URL, or install Debian's postgresql (bash scripts/setup) so that scripts/postgres-test-server can start one"

    /// The server's URL, or an error that says why there is none.
    public static func requireURL() throws -> String {
        guard let url = server.url else {
            throw TestPostgresUnavailable(reason: server.problem ?? "no server")
        }
        return url
    }

    /// Whether this machine has PostgreSQL's server programs, so that a test can run a server of its own
    /// (`ownServer`); true under `MLFORGE_REQUIRE_POSTGRES=1`, where their absence must fail the test.
    public static var serverProgramsRunnable: Bool {
        required || ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).contains {
            FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/initdb")
        }
    }

    /// Runs `scripts/postgres-test-server COMMAND` for a server of the test's own on `port` (one the
    /// shared server does not use), for tests that stop or restart it; returns its output, or throws.
    @discardableResult
    public static func ownServer(_ command: String, port: Int) throws -> String {
        let (status, output) = run("\(command)", environment: "MLFORGE_TEST_PG_PORT=\(port)")
        guard status == 0 else { throw TestPostgresUnavailable(reason: "postgres-test-server \(command) on port \(port): \(output)") }
        return output.split(separator: "\n").last.map(String.init) ?? ""
    }

    /// A study name no other test uses.
    public static func uniqueStudy(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(12))" }

    private static var required: Bool { ProcessInfo.processInfo.environment["MLFORGE_REQUIRE_POSTGRES"] == "1" }

    private static let server: (url: String?, problem: String?) = {
        if let url = ProcessInfo.processInfo.environment["MLFORGE_TEST_POSTGRES_URL"], !url.isEmpty { return (url, nil) }
        let running = run("status").status == 0
        let (status, output) = run("start")
        guard status == 0, let url = output.split(separator: "\n").last.map(String.init), url.hasPrefix("postgresql://") else {
            return (nil, "scripts/postgres-test-server could not start a server: \(output.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        // Stop only a server this process started.
        if !running { atexit { _ = TestPostgres.run("stop") } }
        return (url, nil)
    }()

    /// Runs `scripts/postgres-test-server COMMAND` and returns its exit status and output. Through popen,
    /// which reaps its own child: Foundation's Process can miss the exit of a script whose child daemonises
    /// (pg_ctl start), and wait for ever.
    private static func run(_ command: String, environment: String = "") -> (status: Int32, output: String) {
        let script = Fixtures.repositoryRoot.appendingPathComponent("scripts/postgres-test-server").path
        guard let pipe = popen("\(environment) bash '\(script)' \(command) 2>&1", "r") else { return (-1, "cannot run \(script)") }
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, pipe)
            if n <= 0 { break }
            output.append(contentsOf: buffer[0..<n])
        }
        let status = pclose(pipe)
        return (status == 0 ? 0 : max(1, status), String(decoding: output, as: UTF8.self))
    }
}

/// No PostgreSQL server for a test that must have one.
public struct TestPostgresUnavailable: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { "no PostgreSQL server for the test: \(reason)" }
}
