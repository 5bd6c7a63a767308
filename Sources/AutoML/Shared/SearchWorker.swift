import Foundation
import MLData
import Search

/// A worker of a shared search (`mlforge worker --storage URL --study NAME`): joins the study a
/// coordinator started, reads the same data file (refused when its checksum differs), and runs trials
/// of the coordinator's search until the study's deadline or the coordinator's end, publishing each on
/// the study. A worker that joins late, leaves, or dies is harmless: a dead worker's running trial goes
/// back to the queue when its lease runs out.
public struct SearchWorker: Sendable {
    /// The study to join; its role must be `.worker` (the lease comes from the coordinator).
    public var search: SharedSearch
    /// The training file on this machine; nil: the path the coordinator read.
    public var dataPath: String?
    public var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    /// How long to wait for a coordinator to start the study.
    public var waitSeconds: Double = 60
    public var log: (@Sendable (AutoMLEvent) -> Void)?

    public init(search: SharedSearch) {
        self.search = search
    }

    /// What a worker did.
    public struct Report: Sendable {
        /// Trials this worker ran, and how many of them completed.
        public var trials: Int
        public var completed: Int
        /// Set when the study's search had already ended when the worker joined (it ran nothing).
        public var endedBeforeJoining: Bool
    }

    /// Joins the study and runs trials until its search ends.
    public func run() throws -> Report {
        guard search.role == .worker else { throw AutoMLError.invalidInput("a SearchWorker joins a study as a worker; give it the role .worker") }
        let shared = try SharedRun.worker(search, waitSeconds: waitSeconds) { line in log?(.phase(line)) }
        defer { shared.close() }
        let spec = shared.spec
        let path = dataPath ?? spec.dataPath
        guard FileManager.default.fileExists(atPath: path) else {
            throw AutoMLError.invalidInput("the study's data file \(path) is not on this machine; give its copy with --data PATH")
        }
        let (frame, crc) = try CSVReader.readWithChecksum(path: path)
        guard DataHash.format(crc) == spec.dataHash else {
            throw AutoMLError.invalidInput("\(path) is not the study's data: its checksum is \(DataHash.format(crc)), the coordinator's file \(spec.dataPath) has \(spec.dataHash); give the same file with --data")
        }
        let (end, ended) = try shared.deadline()
        guard !ended, let end, end.timeIntervalSinceNow > 0 else {
            log?(.phase("the study '\(search.study)' has ended; nothing to do"))
            return Report(trials: 0, completed: 0, endedBeforeJoining: true)
        }
        var options = AutoMLOptions()
        spec.apply(to: &options)
        options.threads = threads
        options.start = options.clock.now
        options.budget = .milliseconds(Int(end.timeIntervalSinceNow * 1000))
        // The coordinator queues the a-priori configurations and keeps the knowledge base.
        options.portfolio = false
        options.knowledge = nil
        options.sharedRun = shared
        options.log = log
        log?(.phase(String(format: "joined the study '%@' as %@: searching for %.1f s", search.study,
                                   shared.runStore.worker, options.budget.inSeconds)))
        let run = try AutoML.searchOnly(frame, target: spec.target, options: options)
        return Report(trials: run.entries.count, completed: run.entries.filter { $0.state == .complete }.count, endedBeforeJoining: false)
    }
}
