import Hummingbird

/// With an API key, every route but `/healthz` needs `Authorization: Bearer <key>`; the key is compared
/// in constant time (every byte is looked at, whatever the first difference).
struct BearerAuth<Context: RequestContext>: RouterMiddleware {
    let key: [UInt8]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path != "/healthz" else { return try await next(request, context) }
        let given = request.headers[.authorization].map { Array($0.utf8) } ?? []
        let prefix = Array("Bearer ".utf8)
        guard given.count > prefix.count, Array(given[..<prefix.count]) == prefix, Self.equal(Array(given[prefix.count...]), key) else {
            var response = RequestProblem(.unauthorized, "this server needs Authorization: Bearer <key> (the key in its --api-key-file)").response
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
        return try await next(request, context)
    }

    /// Equal bytes, in time that depends only on the lengths.
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for i in 0..<max(a.count, b.count) {
            difference |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return difference == 0
    }
}

/// Counts every request in `ServerMetrics` by route and status, and turns what a handler threw into
/// a response: a `RequestProblem` as its 4xx, anything else as a 500 that names nothing internal.
struct CountingMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics
    /// The routes the server has (others count as "other").
    let routes: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let route = routes.contains(request.uri.path) ? request.uri.path : "other"
        let response: Response
        do { response = try await next(request, context) } catch let problem as RequestProblem {
            response = problem.response
        } catch let error as any HTTPResponseError {
            let status = error.status
            let message = status == .contentTooLarge ? "the body is larger than this server accepts (--max-body-mb)"
                : status == .notFound ? "no such route: \(request.method) \(request.uri.path); see /openapi.json"
                : status == .methodNotAllowed ? "\(request.method) is not allowed on \(request.uri.path); see /openapi.json"
                : "the request could not be handled (\(status.code))"
            response = RequestProblem(status, message).response
        } catch {
            response = JSONBody.response(["error": "the server failed to answer; the request was not the cause"], status: .internalServerError)
        }
        metrics.count(route: route, status: response.status.code)
        return response
    }
}
