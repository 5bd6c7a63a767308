import Foundation

/// How a shared store lends trials to workers that may die: the constants of leases, heartbeats and
/// retries, with their reasons. (Optuna's RDB storage has the same three: `heartbeat_interval`,
/// `grace_period` and `RetryFailedTrialCallback(max_retry)`.)
public struct LeasePolicy: Codable, Sendable, Equatable {
    /// How long a running trial stays its worker's without a heartbeat; after that, the next worker that
    /// asks for a trial puts it back in the queue. Long enough to ride out a pause (a garbage-collecting
    /// peer, a busy database, a brief network cut) at several heartbeats; short enough that a dead
    /// worker's trial is rerun well within a minute-long budget. Hand-set (Optuna's grace period is 120 s
    /// for a 60 s heartbeat; trials here are seconds long).
    public var leaseSeconds: Double
    /// How often a store renews the leases of the trials it runs (a thread of its own). A sixth of the
    /// lease: five renewals can be lost before a live worker loses its trial.
    public var heartbeatSeconds: Double
    /// A trial whose worker died this many times is ended as failed instead of queued again: a trial that
    /// kills its worker (out of memory, say) must not take down every worker in turn. Optuna's
    /// `RetryFailedTrialCallback` default retries without limit; 3 is hand-set.
    public var maximumAttempts: Int
    /// Connections a store opens at most (one per operation at a time; a study's threads share them).
    public var connections: Int
    /// How long to keep trying to reach a server that does not answer (it may be starting) before
    /// giving up with a message.
    public var connectTimeoutSeconds: Double
    /// How long to wait for the server's answer to one statement before the connection is taken as
    /// broken (a server cut off without a reset, a connection that closed as it was lent): closed,
    /// replaced, and the operation retried where that is safe. The store's statements take milliseconds;
    /// a sixth of a minute-long budget is hand-set.
    public var answerTimeoutSeconds: Double

    public init(leaseSeconds: Double, heartbeatSeconds: Double, maximumAttempts: Int, connections: Int,
                connectTimeoutSeconds: Double, answerTimeoutSeconds: Double = 10) {
        self.leaseSeconds = leaseSeconds
        self.heartbeatSeconds = heartbeatSeconds
        self.maximumAttempts = maximumAttempts
        self.connections = connections
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.answerTimeoutSeconds = answerTimeoutSeconds
    }

    public static let standard = LeasePolicy(leaseSeconds: 30, heartbeatSeconds: 5, maximumAttempts: 3, connections: 4,
                                             connectTimeoutSeconds: 10)

    /// Why the values cannot work, or nil.
    public var problem: String? {
        if !(leaseSeconds > 0) { return "the lease must be longer than 0 s" }
        if !(heartbeatSeconds > 0) || heartbeatSeconds * 2 > leaseSeconds {
            return "the heartbeat (\(heartbeatSeconds) s) must be more than 0 s and at most half the lease (\(leaseSeconds) s)"
        }
        if maximumAttempts < 1 { return "a trial needs at least 1 attempt" }
        if connections < 1 { return "a store needs at least 1 connection" }
        if !(connectTimeoutSeconds >= 0) { return "the connect timeout cannot be negative" }
        if !(answerTimeoutSeconds > 0) { return "the answer timeout must be longer than 0 s" }
        return nil
    }
}
