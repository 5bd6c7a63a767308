import Foundation

/// A trial store that several processes share, with named byte values on the study and on each of its
/// trials: what a search spread over processes needs to hand its results to a coordinator.
public protocol SharedTrialStore: TrialStore {
    /// This store's name as a worker (host, process and a random part): who ran a trial.
    var worker: String { get }
    /// Sets a named value of the study (`trial` nil) or of one of its trials, replacing an earlier one.
    func setAttribute(_ key: String, _ value: Data, trial: Int?) throws
    /// The named values of the study (`trial` nil) or of one trial.
    func attributes(trial: Int?) throws -> [String: Data]
    /// One named value of the study (`trial` nil) or of one trial; nil when it is not set.
    func attribute(_ key: String, trial: Int?) throws -> Data?
    /// The time by the store's own clock (the database server's), which every process sharing the study
    /// reads alike, whatever its machine's clock says.
    func serverTime() throws -> Date
    /// Lets go of the store's connections; trials still running keep their leases until they expire.
    func close()
}

/// Where shared studies live (a database server): it opens a study by name for this process, and gives
/// one process at a time an exclusive hold on a name (the coordinator of a study).
public protocol StudyHost: Sendable, CustomStringConvertible {
    /// Opens (creating when needed) the study `name`; this process's trials in it are leased for
    /// `leaseSeconds`.
    func open(study name: String, leaseSeconds: Double) throws -> any SharedTrialStore
    /// Takes the hold named `name`, or returns nil when another process has it. The hold lasts until it is
    /// released or its process ends, however it ends.
    func hold(_ name: String) throws -> (any ExclusiveHold)?
}

/// An exclusive hold taken with `StudyHost.hold`.
public protocol ExclusiveHold: AnyObject, Sendable {
    func release()
}
