import ArgumentParser
import Foundation
import MLData
import Serving
import Support

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a model folder over HTTP: POST /v1/predict, GET /v1/model, /healthz, /readyz, /metrics, /card, /openapi.json.",
        discussion: "SIGHUP reloads the folder (a broken one is refused and the old model keeps serving); SIGTERM stops gracefully.")

    @Argument(help: "The model folder written by `mlforge fit` or `mlforge nas`.")
    var model: String

    @Option(help: "The address to listen on (loopback unless told otherwise).")
    var host = "127.0.0.1"

    @Option(help: "The port (0: any free port; the server prints the one it got).")
    var port = 8080

    @Option(help: "A file holding the API key: every route but /healthz then needs Authorization: Bearer <key>.")
    var apiKeyFile: String?

    @Option(help: "The largest request body accepted, in megabytes.")
    var maxBodyMb: Double = 16

    @Option(help: "Event-loop threads (default: one per core).")
    var workers: Int?

    func run() throws {
        try reportingErrors {
            var configuration = ServeConfiguration()
            configuration.host = host
            guard (0...65535).contains(port) else { throw DataError.invalidArgument("--port must lie in 0...65535; got \(port)") }
            configuration.port = port
            guard maxBodyMb > 0, maxBodyMb.isFinite else { throw DataError.invalidArgument("--max-body-mb must be a positive number; got \(maxBodyMb)") }
            configuration.maxBodyBytes = Int(maxBodyMb * 1_048_576)
            if let workers {
                guard workers >= 1 else { throw DataError.invalidArgument("--workers must be at least 1; got \(workers)") }
                configuration.workers = workers
            }
            if let apiKeyFile {
                guard let text = try? String(contentsOfFile: apiKeyFile, encoding: .utf8) else {
                    throw DataError.invalidArgument("the API key file \(apiKeyFile) cannot be read as text")
                }
                let key = text.trimmingCharacters(in: .whitespacesAndNewlines)
                guard key.count >= 16 else { throw DataError.invalidArgument("the API key in \(apiKeyFile) is shorter than 16 characters; use a long random one") }
                configuration.apiKey = key
            }
            let server = try ModelServer(folder: URL(fileURLWithPath: model), configuration: configuration) { line in
                FileHandle.standardError.write(Data("mlforge serve: \(line)\n".utf8))
            }
            let outcome = LockedBox<(any Error)?>(nil)
            let done = DispatchSemaphore(value: 0)
            Task {
                do { try await server.run() } catch { outcome.withLock { $0 = error } }
                done.signal()
            }
            done.wait()
            if let error = outcome.current { throw error }
        }
    }
}
