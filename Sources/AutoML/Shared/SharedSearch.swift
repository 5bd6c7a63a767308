import Foundation
import Learners
import Search

/// A search spread over several processes, on one machine or many, through studies on a `StudyHost`
/// (a PostgreSQL server): `mlforge fit … --storage URL --study NAME` is the coordinator, and any number of
/// `mlforge worker --storage URL --study NAME` join it.
///
/// Every process runs the same search loop over the same folds: the coordinator writes the run's
/// specification (`SharedRunSpec`) and queues each family's low-cost point and portfolio; each family's
/// trials are shared through the study `NAME/FAMILY`, so every strategy sees every process's trials,
/// and every process publishes each trial's out-of-fold predictions and fold models on the trial
/// (`PublishedOutcome`). The coordinator holds the budget: it publishes the search's deadline, and at
/// the end collects every published trial for ensemble selection and the refit.
public struct SharedSearch: Sendable {
    public enum Role: String, Sendable {
        /// Plans, publishes the deadline, and ensembles what every process found.
        case coordinator
        /// Runs trials until the study's deadline.
        case worker
    }

    public var host: any StudyHost
    /// The study's name; its family studies are named `NAME/FAMILY`.
    public var study: String
    public var role: Role
    /// How long a process's running trials stay its own without a heartbeat: after that, a dead
    /// worker's trial goes back to the queue and another process runs it. The coordinator's value goes
    /// to the workers through the specification.
    public var leaseSeconds: Double
    public var policy: SharedSearchPolicy = .standard

    public init(host: any StudyHost, study: String, role: Role, leaseSeconds: Double = SharedSearchPolicy.standard.leaseSeconds) {
        self.host = host
        self.study = study
        self.role = role
        self.leaseSeconds = leaseSeconds
    }

    /// The study of one family's trials.
    func familyStudy(_ family: LearnerFamily) -> String { "\(study)/\(family.rawValue)" }
}

/// The constants of a shared search, with their reasons.
public struct SharedSearchPolicy: Codable, Sendable, Equatable {
    /// The standard lease of a running trial (see `SharedSearch.leaseSeconds`): 30 s rides out pauses of
    /// a busy machine or network at five missed heartbeats, and gives a dead worker's trial back well
    /// within a minute-long budget. Hand-set, as `LeasePolicy.standard`.
    public var leaseSeconds: Double
    /// After its own search, how long the coordinator waits for other processes' trials still running
    /// (they stop at the same deadline, then predict and publish): this share of the budget, at most
    /// `collectWaitMaximumSeconds`. Hand-set: a cut trial publishes within a fraction of a second.
    public var collectWaitShare: Double
    public var collectWaitMaximumSeconds: Double
    /// The coordinator publishes a deadline that moved (its search's end moves earlier on a loaded
    /// machine) only when it moved by more than this: one write per trial at most.
    public var deadlineResolutionSeconds: Double
    /// How often a waiting process looks at the study again (a worker waiting for its coordinator, the
    /// coordinator waiting for trials).
    public var pollSeconds: Double

    public static let standard = SharedSearchPolicy(leaseSeconds: 30, collectWaitShare: 0.03, collectWaitMaximumSeconds: 3,
                                                    deadlineResolutionSeconds: 0.25, pollSeconds: 0.05)
}
