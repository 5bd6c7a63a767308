/// How `mlforge serve` listens and what it accepts.
public struct ServeConfiguration: Sendable {
    /// The address to bind: loopback unless told otherwise.
    public var host = "127.0.0.1"
    /// The port (0: any free one; the server prints the one it got).
    public var port = 8080
    /// When set, every route but `/healthz` needs `Authorization: Bearer <key>`.
    public var apiKey: String?
    /// The largest request body accepted (larger ones get 413).
    public var maxBodyBytes = 16 << 20
    /// Event-loop threads (default: one per core).
    public var workers: Int?

    public init() {}
}
