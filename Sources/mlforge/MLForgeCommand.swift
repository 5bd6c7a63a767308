import ArgumentParser
import AutoML
import Foundation
import MLData

@main
struct MLForgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlforge",
        abstract: "Turns a table into a finished, documented, deployable model.",
        version: AutoMLModel.version,
        subcommands: [FitCommand.self, NASCommand.self, PredictCommand.self, EvaluateCommand.self, LeaderboardCommand.self, ProfileCommand.self, PolicyCommand.self]
    )
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
