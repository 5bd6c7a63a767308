import AutoML
import Foundation
import Hummingbird
import Learners
import Logging
import MLData
import NIOCore
import NIOPosix

/// `mlforge serve`: a model folder behind HTTP (Hummingbird 2).
///
/// Routes: `POST /v1/predict` (JSON records or CSV; `?proba=true` adds probabilities), `GET /v1/model`,
/// `/healthz`, `/readyz`, `/metrics` (Prometheus), `/card` (the model card) and `/openapi.json`. Client
/// input gets a 4xx naming the problem, never a 5xx; SIGHUP reloads the folder (a broken one is refused
/// and the old model keeps serving); SIGTERM and SIGINT shut down gracefully.
public final class ModelServer: Sendable {
    let slot: ModelSlot
    let configuration: ServeConfiguration
    let metrics = ServerMetrics()
    /// Where the server says what it does (bound address, reloads).
    let say: @Sendable (String) -> Void

    /// Loads the folder (a folder that cannot be loaded is an error before anything listens).
    public init(folder: URL, configuration: ServeConfiguration, say: @escaping @Sendable (String) -> Void) throws {
        guard configuration.maxBodyBytes > 0 else { throw RequestProblem("--max-body-mb must be positive") }
        slot = try ModelSlot(folder: folder)
        self.configuration = configuration
        self.say = say
    }

    static let routes: Set<String> = ["/v1/predict", "/v1/model", "/healthz", "/readyz", "/metrics", "/card", "/openapi.json"]

    /// The router, with authentication (when a key is set) and counting.
    func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: CountingMiddleware(metrics: metrics, routes: Self.routes))
        if let key = configuration.apiKey { router.add(middleware: BearerAuth(key: Array(key.utf8))) }
        router.get("/healthz") { _, _ in Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "ok\n"))) }
        router.get("/readyz") { [slot] _, _ in
            JSONBody.response(["ready": true, "loadedAt": ISO8601DateFormatter().string(from: slot.current.loadedAt)])
        }
        router.get("/v1/model") { [slot] _, _ in JSONBody.response(Self.describe(slot.current.model)) }
        router.get("/openapi.json") { [slot] _, _ in JSONBody.response(OpenAPIDocument.make(for: slot.current.model)) }
        router.get("/metrics") { [metrics] _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(string: metrics.text())))
        }
        router.get("/card") { [slot] _, _ in
            guard let card = slot.current.card else { throw RequestProblem(.notFound, "this model folder has no card.html (fitted with --no-card); `mlforge card MODEL` writes one") }
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; img-src data:"],
                            body: .init(byteBuffer: ByteBuffer(bytes: card)))
        }
        router.post("/v1/predict") { [self] request, _ in try await self.predict(request) }
        return router
    }

    /// Answers a predict request on the model current when it arrived.
    func predict(_ request: Request) async throws -> Response {
        let started = ContinuousClock.now
        let model = slot.current.model
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: configuration.maxBodyBytes) } catch is NIOTooManyBytesError {
            throw RequestProblem(.contentTooLarge, "the body is larger than \(configuration.maxBodyBytes) bytes (--max-body-mb)")
        }
        let bytes = Array(buffer.readableBytesView)
        guard !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else {
            throw RequestProblem("the body is empty; send {\"rows\": [{\"column\": value, …}]} as application/json, or CSV with a header as text/csv")
        }
        let type = request.headers[.contentType]?.lowercased() ?? ""
        let frame: DataFrame
        if type.hasPrefix("text/csv") {
            frame = try PredictInput.csv(bytes, model: model)
        } else if type.isEmpty || type.hasPrefix("application/json") {
            frame = try PredictInput.json(bytes, model: model)
        } else {
            throw RequestProblem(.unsupportedMediaType, "Content-Type \(type) is not accepted; send application/json or text/csv")
        }
        let proba = request.uri.queryParameters.get("proba").map { $0 == "true" || $0 == "1" } ?? false
        let answer: [String: Any]
        do {
            answer = try Self.answer(model, frame: frame, proba: proba)
        } catch let e as AutoMLError {
            if case .invalidInput(let why) = e { throw RequestProblem(why) }
            throw e
        } catch let e as DataError {
            throw RequestProblem("\(e)")
        }
        metrics.rows.increment(by: Int64(frame.rowCount))
        metrics.latency.record(ContinuousClock.now - started)
        return JSONBody.response(answer)
    }

    /// Labels (or numbers) in the rows' order, and with `proba` each row's class probabilities.
    static func answer(_ model: AutoMLModel, frame: DataFrame, proba: Bool) throws -> [String: Any] {
        let p = try model.predict(frame)
        switch p {
        case .values(let v):
            return ["predictions": v.map { $0.isFinite ? $0 as Any : NSNull() }]
        case .probabilities(let q, let k):
            let decided = try model.decisions(p, frame: frame) ?? []
            var out: [String: Any] = ["predictions": decided.map { model.classes[$0] }]
            if proba {
                out["classes"] = model.classes
                out["probabilities"] = (0..<p.rows).map { r in Array(q[(r * k)..<(r * k + k)]) }
            }
            return out
        }
    }

    /// What `GET /v1/model` says.
    static func describe(_ model: AutoMLModel) -> [String: Any] {
        let used = Set(model.usedColumns)
        var out: [String: Any] = [
            "target": model.targetName, "task": "\(model.task)", "metric": model.metric.rawValue, "mlforgeVersion": AutoMLModel.version,
            "inputs": model.schema.map { ["name": $0.name, "type": $0.type.rawValue, "required": used.contains($0.name)] },
            "seed": model.seed, "members": model.members.map { ["family": $0.family.rawValue, "weight": $0.weight] },
        ]
        if model.task.isClassification { out["classes"] = model.classes }
        if let h = model.dataHash { out["dataHash"] = h }
        if let f = model.fairness { out["fairness"] = ["measure": f.constraint.measure.rawValue, "bound": f.constraint.bound, "column": f.constraint.column] }
        return out
    }

    /// Listens until SIGTERM or SIGINT; SIGHUP reloads the model folder.
    public func run() async throws {
        signal(SIGHUP, SIG_IGN)
        let hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        hangup.setEventHandler { [slot, metrics, say] in
            do {
                try slot.reload()
                metrics.reloads.increment()
                say("reloaded \(slot.current.folder.path)")
            } catch {
                metrics.failedReloads.increment()
                say("reload refused, the old model keeps serving: \(error)")
            }
        }
        hangup.resume()
        defer { hangup.cancel() }
        var logger = Logger(label: "mlforge.serve")
        logger.logLevel = .warning
        let group = MultiThreadedEventLoopGroup(numberOfThreads: configuration.workers ?? System.coreCount)
        let host = configuration.host
        let app = Application(router: router(), configuration: .init(address: .hostname(host, port: configuration.port), serverName: "mlforge"),
                              onServerRunning: { [say] channel in
                                  say("serving \(self.slot.current.folder.path) on http://\(host):\(channel.localAddress?.port ?? 0)")
                              },
                              eventLoopGroupProvider: .shared(group), logger: logger)
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        try await group.shutdownGracefully()
        say("stopped")
    }
}
