import ArgumentParser
import AutoML
import Foundation
import MLData
import Tensor

@main
struct MLForgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlforge",
        abstract: "Turns a table into a finished, documented, deployable model.",
        subcommands: [FitCommand.self, NASCommand.self, PredictCommand.self, EvaluateCommand.self, LeaderboardCommand.self, CardCommand.self, ExplainCommand.self, AuditCommand.self, ProfileCommand.self, PolicyCommand.self, MetaCommand.self, DiscoverCommand.self, ServeCommand.self, ExportCommand.self, DistillCommand.self, WorkerCommand.self]
    )

    @Flag(help: "Print the version and exit.")
    var version = false

    @Flag(help: "With --version: also the BLAS kernels in use, the CPU and the linked libraries.")
    var verbose = false

    /// Chooses the BLAS kernels by the CPU's features first (the process may start again), then parses.
    static func main() {
        BLASKernel.relaunchWithBestKernel()
        main(nil)
    }

    func run() throws {
        guard version else { throw CleanExit.helpRequest(self) }
        Terminal.write((verbose ? BuildInfo.current().text : AutoMLModel.version) + "\n")
    }
}

/// Runs `body`; a user or data error becomes one line on standard error and exit status 1.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as DataError {
        Terminal.fail(error.description)
    } catch let error as ExitCode {
        throw error
    } catch {
        Terminal.fail("\(error)")
    }
}

enum Terminal {
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("mlforge: error: \(message)\n".utf8))
        exit(1)
    }

    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
