import Foundation
import PostgresNIO
import Search

/// A PostgreSQL server as the home of shared studies: every study it opens is a `PostgresTrialStore`, and
/// its holds are session advisory locks, which the server lets go of when the holding connection ends —
/// so a coordinator killed with SIGKILL never leaves its study locked.
public struct PostgresStudyHost: StudyHost {
    public let location: PostgresLocation
    /// The lease policy of the stores it opens (their lease and heartbeat follow `open`'s lease).
    public var policy: LeasePolicy

    /// `policy`'s connections default to 2 per study: a search keeps one study per model family open.
    public init(location: PostgresLocation, policy: LeasePolicy = PostgresStudyHost.perFamilyStudy) {
        self.location = location
        self.policy = policy
    }

    /// A server at a `postgresql://` URL (parts it leaves out come from the `PG*` variables).
    public init(url: String, policy: LeasePolicy = PostgresStudyHost.perFamilyStudy) throws {
        self.init(location: try PostgresLocation(url: url), policy: policy)
    }

    /// The standard lease policy with 2 connections per store: one for the heartbeat, one for the search.
    public static let perFamilyStudy: LeasePolicy = {
        var p = LeasePolicy.standard
        p.connections = 2
        return p
    }()

    public var description: String { location.description }

    public func open(study name: String, leaseSeconds: Double) throws -> any SharedTrialStore {
        var p = policy
        p.leaseSeconds = leaseSeconds
        // The heartbeat keeps the policy's ratio to the lease (a sixth, standard).
        p.heartbeatSeconds = leaseSeconds * policy.heartbeatSeconds / policy.leaseSeconds
        return try PostgresTrialStore(location: location, study: name, policy: p)
    }

    public func hold(_ name: String) throws -> (any ExclusiveHold)? {
        let connections = try PostgresConnections(location: location, capacity: 1, connectTimeoutSeconds: policy.connectTimeoutSeconds,
                                                  answerTimeoutSeconds: policy.answerTimeoutSeconds,
                                                  applicationName: "mlforge-hold:\(getpid())")
        let taken = try connections.withSession(retrying: true) { session in
            try session.query("SELECT pg_try_advisory_lock(hashtextextended(\("mlforge-hold:" + name), 0))").first?.decode(Bool.self) ?? false
        }
        guard taken else {
            connections.close()
            return nil
        }
        return PostgresHold(connections: connections)
    }
}

/// A session advisory lock held on a connection of its own; closing the connection lets it go.
final class PostgresHold: ExclusiveHold, @unchecked Sendable {
    private let connections: PostgresConnections
    init(connections: PostgresConnections) { self.connections = connections }
    deinit { connections.close() }
    func release() { connections.close() }
}

extension PostgresTrialStore: SharedTrialStore {}
