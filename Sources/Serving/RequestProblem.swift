import Foundation
import Hummingbird

/// What was wrong with a client's request: a 4xx status and one line that names the problem (and the
/// column or row where there is one). No client input produces anything else.
public struct RequestProblem: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var message: String

    public init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    /// A 400 Bad Request.
    public init(_ message: String) { self.init(.badRequest, message) }

    /// The JSON response `{"error": message}`.
    var response: Response {
        JSONBody.response(["error": message], status: status)
    }
}

/// JSON response bodies.
enum JSONBody {
    static func response(_ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
