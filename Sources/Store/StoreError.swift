import Foundation

/// What goes wrong with a store's database itself (its address, the server, its schema), as a message
/// that says what to do about it. Problems with the study's trials are `SearchError`s.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// The address of the database is malformed.
    case badLocation(String)
    /// The server cannot be reached, or refused the connection.
    case unreachable(String)
    /// The connection broke during an operation whose effect is unknown.
    case connectionLost(String)
    /// The database holds a newer schema than this MLForge knows.
    case schemaTooNew(found: Int, known: Int)
    /// The server answered with an error.
    case server(String)
    /// What the store was asked to open cannot work (an empty study name, an impossible lease policy).
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .badLocation(let m), .unreachable(let m), .connectionLost(let m), .server(let m), .invalidRequest(let m): return m
        case .schemaTooNew(let found, let known):
            return "the database's MLForge tables are at schema version \(found), newer than this MLForge knows (\(known)): upgrade MLForge on this machine"
        }
    }
}
