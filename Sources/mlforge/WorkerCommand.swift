import ArgumentParser
import AutoML
import Foundation
import MLData

struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Join a shared search that `mlforge fit` or `mlforge nas` coordinates (--storage, --study), and run its trials until it ends.",
        discussion: "Start the coordinator first (mlforge fit train.csv --target y --storage URL --study NAME --out model/), then any number of workers, on this machine or on others that can reach the database and read the same data file."
    )

    @OptionGroup var sharing: StorageOptions

    @Option(help: "This machine's copy of the training file (default: the coordinator's path); its checksum must match.")
    var data: String?

    @Option(help: "Threads to use (default: all cores).")
    var jobs: Int?

    @Option(help: "Seconds to wait for a coordinator to start the study.")
    var wait: Double = 60

    func run() throws {
        try reportingErrors {
            guard sharing.storage != nil, sharing.study != nil else {
                throw DataError.invalidArgument("a worker needs --storage URL and --study NAME: the database and the study its coordinator started")
            }
            guard wait >= 0, wait.isFinite else { throw DataError.invalidArgument("--wait must be a number of seconds, 0 or more; got \(wait)") }
            var worker = SearchWorker(search: try sharing.search(role: .worker)!)
            worker.dataPath = data
            worker.waitSeconds = wait
            if let jobs {
                guard jobs >= 1 else { throw DataError.invalidArgument("--jobs must be at least 1; got \(jobs)") }
                worker.threads = jobs
            }
            worker.log = { event in
                switch event {
                case .phase(let line), .plan(let line): Terminal.write(line + "\n")
                case .skipped(let family, let why): Terminal.write("skipped \(family.rawValue): \(why)\n")
                case .trial(let entry, _, _):
                    let score = entry.score.map { String(format: "%.4f", $0) } ?? entry.state.rawValue
                    Terminal.write("trial \(entry.trial) \(entry.family.rawValue): \(score) (\(String(format: "%.2f", entry.fitSeconds)) s)\n")
                }
            }
            let report = try worker.run()
            if !report.endedBeforeJoining {
                Terminal.write("the study '\(sharing.study!)' ended: this worker ran \(report.trials) trials (\(report.completed) complete)\n")
            }
        }
    }
}
