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

    /// A study name no other test uses.
    public static func uniqueStudy(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(12))" }

    private static var required: Bool { ProcessInfo.processInfo.environment["MLFORGE_REQUIRE_POSTGRES"] == "1" }

    private static let server: (url: String?, problem: String?) = {
        if let url = ProcessInfo.processInfo.environment["MLFORGE_TEST_POSTGRES_URL"], !url.isEmpty { return (url, nil) }
        let script = Fixtures.repositoryRoot.appendingPathComponent("scripts/postgres-test-server").path
        let (status, output) = run(["bash", script, "start"])
        guard status == 0, let url = output.split(separator: "\n").last.map(String.init), url.hasPrefix("postgresql://") else {
            return (nil, "scripts/postgres-test-server could not start a server: \(output.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        atexit { _ = TestPostgres.run(["bash", Fixtures.repositoryRoot.appendingPathComponent("scripts/postgres-test-server").path, "stop"]) }
        return (url, nil)
    }()

    private static func run(_ arguments: [String]) -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (-1, "\(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// No PostgreSQL server for a test that must have one.
public struct TestPostgresUnavailable: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { "no PostgreSQL server for the test: \(reason)" }
}
