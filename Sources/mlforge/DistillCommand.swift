import ArgumentParser
import AutoML
import Foundation
import Learners
import MLData

struct DistillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distill",
        abstract: "Distil a saved model into one small student: the teacher labels the training rows and synthetic rows made from them, and the student learns its labels.",
        discussion: "The student is searched within --time, validated on a hold-out of the table's own targets, and saved as a normal model folder whose manifest names its teacher."
    )

    @Argument(help: "The teacher: a model folder written by `mlforge fit`.")
    var model: String

    @Argument(help: "The training CSV file (the teacher's, with its target column).")
    var data: String

    @Option(help: "The student's family: mlp, xgboost or linear (or random_forest, nas).")
    var student: String

    @Option(help: "How to make the synthetic rows the teacher labels: munge, resample (each column from a random row) or none.")
    var sampler: String = SyntheticSampler.munge.rawValue

    @Option(help: "The student may have at most this many trainable parameters (tree nodes for xgboost).")
    var maxParams: Int?

    @Option(help: "The student must predict a row within this many milliseconds.")
    var maxLatencyMs: Double?

    @Option(help: "The student must predict at least this many times faster than the teacher (its members' measured cost per row).")
    var speedup: Double?

    @Option(help: "The time budget in seconds, labelling and saving included.")
    var time: Double = 10

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Option(help: "Stop after this many trials.")
    var trials: Int?

    @Option(help: "Threads to use (default: all cores).")
    var jobs: Int?

    @Option(help: "A labelled CSV file to score the student on.")
    var test: String?

    @Flag(help: "Print a line for every trial (state, validation score, fit time, configuration, why it stopped), not only each new best.")
    var logTrials = false

    @Option(help: "The folder to write the student to.")
    var out: String = "student"

    @OptionGroup var card: CardOptions

    func run() throws {
        let start = ContinuousClock.now
        try reportingErrors {
            guard let family = LearnerFamily(rawValue: student) else {
                throw DataError.invalidArgument("unknown student family '\(student)'; use mlp, xgboost or linear")
            }
            guard let kind = SyntheticSampler(rawValue: sampler) else {
                throw DataError.invalidArgument("unknown sampler '\(sampler)'; use \(SyntheticSampler.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if let jobs, jobs < 1 { throw DataError.invalidArgument("--jobs must be at least 1; got \(jobs)") }
            if let trials, trials < 1 { throw DataError.invalidArgument("--trials must be at least 1; got \(trials)") }
            var distillation = Distillation(teacher: URL(fileURLWithPath: model), dataPath: data, output: URL(fileURLWithPath: out), student: family)
            distillation.sampler = kind
            distillation.budget = try RunOptions.budget(time)
            distillation.start = start
            distillation.seed = seed
            if let jobs { distillation.threads = jobs }
            distillation.maxParameters = maxParams
            distillation.maxLatencyMs = maxLatencyMs
            distillation.speedup = speedup
            distillation.maxTrials = trials
            distillation.documenter = try card.documenter()
            let progress = Progress(budget: time, start: start, everyTrial: logTrials)
            distillation.log = { progress.handle($0) }
            let student = try distillation.run()
            progress.finish()
            Terminal.write(student.leaderboard.table())
            if let record = student.distillation, let agreement = record.agreement {
                Terminal.write(String(format: "agreement with the teacher on the validation rows: %@\n",
                                      student.task.isClassification ? String(format: "%.1f%% same class", agreement * 100)
                                                                     : String(format: "R² %.4f", agreement)))
            }
            Terminal.write(String(format: "student saved to %@ (%.1f s of %.0f s)\n", out, (ContinuousClock.now - start).inSeconds, time))
            if let test { try ModelOutput.test(student, path: test) }
        }
    }
}
