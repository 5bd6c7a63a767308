import ArgumentParser
import AutoML
import Foundation
import Learners
import MLData
import NN

extension NetworkSpace: ExpressibleByArgument {}
extension SearchStrategyKind: ExpressibleByArgument {}

struct NASCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nas",
        abstract: "Design a neural network for a target by architecture search, and save it as a model folder.",
        discussion: """
        The search draws networks from one space (an MLP macro space for tables, 1-D convolutional cells for \
        signals, NAS-Bench-201 cells for images), trains each from scratch on 80% of the rows, prunes weak ones \
        early (ASHA on epochs) and keeps the best on the other 20%. It prints the chosen architecture and the \
        Pareto front of score, parameters and latency, and saves nas/history.csv (best score over time) and \
        nas/search.json in the model folder, which `predict` and `evaluate` read like any other.
        """
    )

    @OptionGroup var common: RunOptions

    @OptionGroup var card: CardOptions

    @Option(help: "The rows are a signal of this length (40) or an image of this size (8x8), or none (an ordinary table); default: detected from the columns.")
    var shape: String?

    @Option(help: "The search space: mlp, conv1d or cell2d (default: from the shape).")
    var space: NetworkSpace?

    @Option(help: "The search strategy: evolution, reinforce, tpe or random.")
    var strategy: SearchStrategyKind = .evolution

    @Option(help: "The time budget in seconds, CSV loading and saving included.")
    var time: Double = 60

    @Option(help: "The folder to write the model to (replaced only once the new model is complete).")
    var out: String = "nas-model"

    @Option(name: .customLong("max-params"), help: "Only networks with at most this many trainable parameters.")
    var maxParams: Int?

    @Option(name: .customLong("max-latency-ms"), help: "Only networks that predict one row within this many milliseconds.")
    var maxLatencyMs: Double?

    @Option(help: "The metric to optimise (default: accuracy for classification, r2 for regression).")
    var metric: String?

    func run() throws {
        let start = ContinuousClock.now
        try reportingErrors {
            let budget = try RunOptions.budget(time)
            if let maxParams, maxParams < 1 { throw DataError.invalidArgument("--max-params must be at least 1; got \(maxParams)") }
            if let maxLatencyMs, !(maxLatencyMs > 0) { throw DataError.invalidArgument("--max-latency-ms must be positive; got \(maxLatencyMs)") }
            var options = AutoMLOptions.architectureSearch(strategy: strategy, budget: budget)
            options.start = start
            try common.apply(to: &options)
            try InputLayout.apply(shape, to: &options)
            options.networkSpace = space
            options.maxParameters = maxParams
            options.maxLatencyMs = maxLatencyMs
            options.metric = try metric.map(ModelOutput.metric)
            let progress = Progress(budget: time, start: start, everyTrial: common.logTrials)
            options.log = { progress.handle($0) }
            var fit = FolderFit(dataPath: common.data, target: common.target, output: URL(fileURLWithPath: out), options: options)
            fit.journaled = false
            fit.shared = try common.sharedSearch()
            let seed = common.seed, strategy = strategy
            fit.extraFiles = { try NASReport(leaderboard: $0.leaderboard, strategy: strategy, seed: seed).files() }
            fit.documenter = try card.documenter()
            let model = try fit.run()
            let report = NASReport(leaderboard: model.leaderboard, strategy: strategy, seed: common.seed)
            progress.finish()
            let elapsed = (ContinuousClock.now - start).inSeconds
            if let chosen = report.chosen {
                var line = "chosen network (trial \(chosen.trial)): \(chosen.summary)\n"
                line += String(format: "  validation %@ %.4f, %d parameters, %.3f ms per row\n", model.metric.rawValue,
                               Leaderboard.display(chosen.score ?? .nan, model.metric), chosen.parameters ?? 0, chosen.latencyMs ?? .nan)
                Terminal.write(line)
            }
            Terminal.write("Pareto front (\(model.metric.rawValue) against parameters and latency; * chosen):\n" + report.frontTable())
            let done = report.trials.filter { $0.state == .complete }.count
            Terminal.write(String(format: "%d networks trained (%d pruned, failed or skipped) by %@; model saved to %@ (%.1f s of %.0f s)\n",
                                  done, report.trials.count - done, strategy.rawValue, out, elapsed, time))
            if let test = common.test { try ModelOutput.test(model, path: test) }
        }
    }
}
