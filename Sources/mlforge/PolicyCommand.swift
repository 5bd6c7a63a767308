import ArgumentParser
import AutoML
import Foundation

struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Print the standard search policy as JSON: every tuning constant of a fit, for `fit --policy FILE`.",
        discussion: """
        Save the output, change the values to try, and pass the file to `mlforge fit --policy FILE.json`; a file \
        may also name only the values it changes. docs/automl.md says what each value does and where it comes from.
        """
    )

    func run() throws {
        try reportingErrors {
            Terminal.write(String(decoding: try SearchPolicy.standard.json(), as: UTF8.self) + "\n")
        }
    }

    /// The policy in the JSON file at `path`, over the standard one, checked.
    static func read(_ path: String) throws -> SearchPolicy {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw AutoMLError.invalidInput("cannot read the policy file \(path): \(error.localizedDescription)")
        }
        let policy = try SearchPolicy.decode(data)
        try policy.validate()
        return policy
    }
}
