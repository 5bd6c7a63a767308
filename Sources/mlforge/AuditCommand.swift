import ArgumentParser
import AutoML
import Foundation
import MLData
import Transparency

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify a model folder's audit trail (the hash chain of audit.jsonl) and its checksums; --replay N fits trial N again and compares its scores."
    )

    @Argument(help: "The model folder.")
    var model: String

    @Option(help: "Fit this trial again on the same folds and seed, and compare its fold scores with the recorded ones.")
    var replay: Int?

    @Option(help: "With --replay: the training file (default: the one the audit trail names; its checksum must match).")
    var data: String?

    @Option(help: "With --replay: threads (the recorded scores are reproduced exactly with the --jobs the fit had; 1 by default).")
    var jobs: Int = 1

    func run() throws {
        try reportingErrors {
            let folder = URL(fileURLWithPath: model)
            let report = try AuditTrail.verify(folder)
            Terminal.write("audit trail: \(report.records) records, chain intact; head sha256:\(report.head)\nmodel files: \(report.filesChecked) match the manifest\n")
            guard let replay else { return }
            guard jobs >= 1 else { throw DataError.invalidArgument("--jobs must be at least 1; got \(jobs)") }
            let result = try AuditReplay.run(folder, trial: replay, data: data, threads: jobs)
            Terminal.write(result.text)
            if !result.equal { throw ExitCode(1) }
        }
    }
}
