import ArgumentParser
import AutoML
import Foundation
import Learners
import MLData
import NN

struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Search for the best model of a target within a time budget and save it as a model folder."
    )

    @OptionGroup var common: RunOptions

    @OptionGroup var card: CardOptions

    @Option(help: "The time budget in seconds, CSV loading and saving included.")
    var time: Double = 10

    @Option(help: "The folder to write the model to (replaced only once the new model is complete).")
    var out: String = "model"

    @Option(help: "The metric to optimise: roc_auc, accuracy, log_loss (classification); r2, rmse, mae (regression).")
    var metric: String?

    @Option(help: "Memory limit in GB: configurations estimated to need more are skipped.")
    var memory: Double?

    @Option(help: "The final model must predict a row within this many milliseconds (its members' measured batch costs added up).")
    var maxLatencyMs: Double?

    @Option(help: "The final model's saved members must take at most this many megabytes.")
    var maxModelMb: Double?

    @Option(help: "The model families to use, comma-separated (xgboost, random_forest, linear, knn, mlp, nas; default: all but nas, plus nas when the rows are a signal or an image).")
    var families: String?

    @Option(help: "The rows are a signal of this length (40) or an image of this size (8x8): adds architecture search over convolutional cells; none: never read the table as a signal or image (default: detected from the columns).")
    var shape: String?

    @Flag(help: "Continue an interrupted fit of the same --out from its stored trials (with a new --time budget).")
    var resume = false

    @Option(help: "A fairness bound over the groups of --sensitive (binary targets): demographic_parity<=B or equalized_odds<=B, met with a decision threshold per group.")
    var fairness: String?

    @Option(help: "A JSON file of search-policy values to use instead of the standard ones (only the values it names change; `mlforge policy` prints them all).")
    var policy: String?

    @Option(help: "A CSV file of unlabeled rows (the training columns; the target absent or empty) for self-training: the model labels those it is confident about and the search fits again, kept only when validation improves. Training rows without a target join them.")
    var unlabeled: String?

    func run() throws {
        let start = ContinuousClock.now
        try reportingErrors {
            var options = AutoMLOptions()
            options.budget = try RunOptions.budget(time)
            options.start = start
            try common.apply(to: &options)
            if let memory {
                guard memory > 0 else { throw DataError.invalidArgument("--memory must be a positive number of GB; got \(memory)") }
                options.memoryLimit = Int(memory * 1_073_741_824)
            }
            if let maxLatencyMs {
                guard maxLatencyMs > 0 else { throw DataError.invalidArgument("--max-latency-ms must be a positive number of milliseconds; got \(maxLatencyMs)") }
                options.maxLatencyMs = maxLatencyMs
            }
            if let maxModelMb {
                guard maxModelMb > 0 else { throw DataError.invalidArgument("--max-model-mb must be a positive number of megabytes; got \(maxModelMb)") }
                options.maxModelBytes = Int(maxModelMb * 1_048_576)
            }
            options.metric = try metric.map(ModelOutput.metric)
            if let fairness {
                guard let column = card.sensitive else {
                    throw DataError.invalidArgument("--fairness needs --sensitive COL: the column whose groups it compares")
                }
                options.fairness = try FairnessConstraint(parsing: fairness, column: column)
            }
            if let families {
                options.families = try families.split(separator: ",").map { name in
                    guard let f = LearnerFamily(rawValue: String(name)) else {
                        throw DataError.invalidArgument("unknown model family '\(name)'; use \(LearnerFamily.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    return f
                }
            }
            try InputLayout.apply(shape, to: &options)
            if let policy { options.policy = try PolicyCommand.read(policy) }
            let progress = Progress(budget: time, start: start, everyTrial: common.logTrials)
            options.log = { progress.handle($0) }
            var fit = FolderFit(dataPath: common.data, target: common.target, output: URL(fileURLWithPath: out), options: options)
            fit.resume = resume
            fit.unlabeledPath = unlabeled
            fit.shared = try common.sharedSearch()
            fit.documenter = try card.documenter(fairness: options.fairness != nil)
            let model = try fit.run()
            progress.finish()
            let elapsed = (ContinuousClock.now - start).inSeconds
            Terminal.write(model.leaderboard.table())
            Terminal.write(String(format: "model saved to %@ (%.1f s of %.0f s)\n", out, elapsed, time))
            if let test = common.test { try ModelOutput.test(model, path: test) }
        }
    }
}

/// The options `fit` and `nas` share: the data, the target and how the search runs.
struct RunOptions: ParsableArguments {
    @Argument(help: "The training CSV file.")
    var data: String

    @Option(help: "The column to predict.")
    var target: String

    @Option(help: "The task, when the target alone cannot decide it: binary, multiclass or regression.")
    var task: TaskKind?

    @Option(help: "Threads to use (default: all cores).")
    var jobs: Int?

    @Option(help: "COL=+1 or COL=-1: the prediction must not decrease (+1) or not increase (-1) as the numeric column grows (XGBoost's trees and forests only; repeat for several).")
    var monotone: [String] = []

    @Option(help: "An input column the model must not use (repeat for several); the model card lists it.")
    var exclude: [String] = []

    @Option(help: "Random seed: with --jobs 1 and --trials, two runs give the same model.")
    var seed: UInt64 = 0

    @Option(help: "Stop after this many trials.")
    var trials: Int?

    @Option(help: "A labelled CSV file to score the final model on.")
    var test: String?

    @Flag(help: "Print a line for every trial (state, validation score, fit time, configuration, why it stopped), not only each new best.")
    var logTrials = false

    @Option(help: "The local knowledge base this run reads and adds to (default: $MLFORGE_KNOWLEDGE, else ~/.mlforge/knowledge.sqlite).")
    var knowledge: String?

    @Flag(help: "Neither read nor write the local knowledge base.")
    var noLearn = false

    @Option(help: "The learned prior to start from: a file `mlforge meta prior` wrote, or none for the hand-set portfolios (default: the prior MLForge ships).")
    var prior: String?

    @OptionGroup var sharing: StorageOptions

    @Option(help: "With --storage: seconds a process's running trial stays its own without a heartbeat; after that a dead worker's trial runs again elsewhere (default 30).")
    var leaseSeconds: Double?

    /// The shared search of --storage and --study, this process its coordinator; nil without them.
    func sharedSearch() throws -> SharedSearch? {
        if leaseSeconds != nil && sharing.storage == nil { throw DataError.invalidArgument("--lease-seconds needs --storage and --study") }
        return try sharing.search(role: .coordinator, leaseSeconds: leaseSeconds)
    }

    /// `--time` as a budget, checked.
    static func budget(_ time: Double) throws -> Duration {
        guard time > 0, time.isFinite else { throw DataError.invalidArgument("--time must be a positive number of seconds; got \(time)") }
        return .milliseconds(Int(time * 1000))
    }

    /// Sets the task, seed, trial cap and threads (checked).
    func apply(to options: inout AutoMLOptions) throws {
        options.seed = seed
        options.task = task
        options.excludedColumns = exclude
        for item in monotone {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, let sign = ["+1": 1, "1": 1, "-1": -1][parts[1]] else {
                throw DataError.invalidArgument("--monotone takes COL=+1 or COL=-1; got '\(item)'")
            }
            options.monotone[parts[0]] = sign
        }
        options.maxTrials = trials
        if let jobs {
            guard jobs >= 1 else { throw DataError.invalidArgument("--jobs must be at least 1; got \(jobs)") }
            options.threads = jobs
        }
        if noLearn && knowledge != nil { throw DataError.invalidArgument("--no-learn and --knowledge contradict each other; give one") }
        options.knowledge = noLearn ? nil
            : knowledge.map { URL(fileURLWithPath: $0) }
            ?? ProcessInfo.processInfo.environment["MLFORGE_KNOWLEDGE"].map { URL(fileURLWithPath: $0) }
            ?? LocalKnowledge.defaultPath
        switch prior {
        case nil: break
        case "none"?: options.prior = nil
        case let path?: options.prior = try LearnedPrior.read(path)
        }
    }
}

/// Option parsing and output shared by the commands that write a model folder.
enum ModelOutput {
    static func metric(_ name: String) throws -> ValidationMetric {
        guard let m = ValidationMetric(rawValue: name) else {
            throw DataError.invalidArgument("unknown metric '\(name)'; use one of \(ValidationMetric.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return m
    }

    /// Scores the model on a labelled file and prints one line.
    static func test(_ model: AutoMLModel, path: String) throws {
        let testFrame = try model.readTable(path: path)
        let scores = try model.evaluate(testFrame)
        Terminal.write("test: " + scores.keys.sorted().filter { $0 != "rows" }.map { String(format: "%@ %.4f", $0, scores[$0]!) }.joined(separator: ", ") + "\n")
    }
}
