import ArgumentParser
import AutoML
import Foundation
import MLData
import Store

struct MetaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meta",
        abstract: "Learning to learn: build a knowledge base from a corpus of datasets, the prior `fit` ships with, and show what is known.",
        subcommands: [MetaBuildCommand.self, MetaPriorCommand.self, MetaEvaluateCommand.self, MetaShowCommand.self]
    )

    /// The knowledge base `meta build` wrote at `path`; a clear error when there is none.
    static func built(_ path: String) throws -> KnowledgeBase {
        guard FileManager.default.fileExists(atPath: path) else {
            throw AutoMLError.invalidInput("the knowledge base \(path) does not exist; `mlforge meta build --corpus DIR --out \(path)` makes one")
        }
        return try KnowledgeBase(path: path)
    }

    /// The validated rows' targets of the corpus at `corpus` that `base` was built from.
    static func targets(corpus: String, base: KnowledgeBase) throws -> [String: TargetValues] {
        try MetaBuild(corpus: URL(fileURLWithPath: corpus), knowledge: URL(fileURLWithPath: base.path)).validatedTargets(in: base)
    }
}

struct MetaBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Run the meta-learning protocol on every dataset of a corpus and store the results in a knowledge base.",
        discussion: """
        Each dataset is a folder NAME/ with train.csv and meta.json (task, target, metric), as ../shared/corpus. \
        Every family's low-cost point, hand-set portfolio and a seeded spread of its space are validated by \
        5-fold cross-validation on at most --max-rows rows of train.csv; the scores, times and out-of-fold \
        predictions go to --out as they finish. Killed and run again, it continues where it stopped.
        """
    )

    @Option(help: "The folder of datasets (NAME/train.csv and NAME/meta.json).")
    var corpus: String

    @Option(help: "The knowledge base to write (SQLite; created if missing, continued if not).")
    var out: String

    @Option(help: "Cut larger datasets to this many rows (a seeded subsample).")
    var maxRows: Int = MetaProtocol.standard.maxRows

    @Option(help: "Seconds one configuration may take over its folds.")
    var secondsPerConfiguration: Double = MetaProtocol.standard.secondsPerConfiguration

    @Option(help: "Only these datasets (comma-separated names).")
    var only: String?

    func run() throws {
        try reportingErrors {
            guard maxRows >= 50 else { throw AutoMLError.invalidInput("--max-rows must be at least 50; got \(maxRows)") }
            guard secondsPerConfiguration > 0 else { throw AutoMLError.invalidInput("--seconds-per-configuration must be positive") }
            var build = MetaBuild(corpus: URL(fileURLWithPath: corpus), knowledge: URL(fileURLWithPath: out))
            build.settings.maxRows = maxRows
            build.settings.secondsPerConfiguration = secondsPerConfiguration
            build.only = only.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
            build.log = { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
            let s = try build.run()
            Terminal.write(String(format: "%d datasets measured (%d results), %d already finished, in %.1f s; knowledge base %@\n",
                                  s.datasets, s.results, s.skipped, s.seconds, out))
        }
    }
}

struct MetaPriorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prior",
        abstract: "Learn the prior `fit` starts from (portfolio and warm-start table) from a knowledge base's corpus datasets.",
        discussion: """
        scripts/build_prior.sh runs `meta build` on ../shared/corpus and this command into \
        Sources/AutoML/Meta/ShippedPrior.swift, the prior MLForge ships. --fold I --folds K leaves the I-th of K \
        folds of datasets out (for leave-datasets-out evaluation) and prints the left-out names. With --corpus \
        (the corpus the base was built from) the portfolio is chosen on the ensemble's score, not the best entry's.
        """
    )

    @Option(help: "The knowledge base (written by `mlforge meta build`).")
    var knowledge: String

    @Option(help: "Where to write the prior (JSON).")
    var out: String

    @Option(help: "Leave these datasets out (comma-separated names).")
    var exclude: String?

    @Option(help: "With --folds: leave out fold I (0-based) of the datasets.")
    var fold: Int?

    @Option(help: "The number of leave-datasets-out folds.")
    var folds: Int = 5

    @Option(help: "The corpus the base was built from: choose the portfolio on the ensemble's score (reads the validated rows' targets).")
    var corpus: String?

    func run() throws {
        try reportingErrors {
            let base = try MetaCommand.built(knowledge)
            var builder = PriorBuilder()
            if let corpus {
                builder.targets = try MetaCommand.targets(corpus: corpus, base: base)
            }
            builder.excluding = Set((exclude ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) })
            if let fold {
                guard folds >= 2, (0..<folds).contains(fold) else { throw AutoMLError.invalidInput("--fold must lie in 0..<\(folds) and --folds be at least 2") }
                let names = try base.datasets().filter { $0.source == "corpus" }.map(\.name)
                let held = PriorBuilder.folds(names, k: folds)[fold]
                builder.excluding.formUnion(held)
                Terminal.write("left out: \(held.joined(separator: ","))\n")
            }
            let stamp = ISO8601DateFormatter().string(from: Date())
            let prior = try builder.build(from: base, built: stamp)
            let data = try prior.json()
            try data.write(to: URL(fileURLWithPath: out), options: .atomic)
            Terminal.write("prior of \(prior.datasets.count) datasets, portfolio of \(prior.portfolio.count) entries (mean normalised score \(String(format: "%.3f", prior.portfolio.last?.score ?? 0))), \(data.count / 1024) KB: \(out)\n")
        }
    }
}

struct MetaEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Compare prior policies by leave-datasets-out evaluation on a knowledge base, without fitting.",
        discussion: """
        Each fold's datasets are held out, a prior is learned from the others, and the a-priori configurations \
        each policy of the grid would queue are replayed on the held-out datasets' own results in the base \
        (see docs/meta.md). Prints the hand-set portfolios, the default policy and the best of the grid, \
        overall and by size, with a nested estimate of the choice.
        """
    )

    @Option(help: "The knowledge base (written by `mlforge meta build`).")
    var knowledge: String

    @Option(help: "The number of leave-datasets-out folds.")
    var folds: Int = 5

    @Option(help: "How many of the best policies to list.")
    var top: Int = 10

    @Option(help: "The corpus the base was built from: also compare portfolios chosen on the best entry's and on the ensemble's score.")
    var corpus: String?

    @Flag(help: "Instead, compare the ensemble policy's constants (selection rounds, candidates, the guard's bar) on held-out halves of the validated rows; needs --corpus.")
    var ensemble = false

    func run() throws {
        try reportingErrors {
            guard folds >= 2 else { throw AutoMLError.invalidInput("--folds must be at least 2; got \(folds)") }
            guard top >= 1 else { throw AutoMLError.invalidInput("--top must be at least 1; got \(top)") }
            let base = try MetaCommand.built(knowledge)
            if ensemble {
                guard let corpus else { throw AutoMLError.invalidInput("--ensemble needs --corpus, the corpus the knowledge base was built from") }
                var constants = EnsembleConstants()
                constants.folds = folds
                Terminal.write(try constants.report(base, targets: MetaCommand.targets(corpus: corpus, base: base)) + "\n")
                return
            }
            var evaluation = PriorEvaluation()
            evaluation.folds = folds
            Terminal.write(try evaluation.report(base, top: top) + "\n")
            if let corpus {
                Terminal.write(try evaluation.portfolioReport(base, targets: MetaCommand.targets(corpus: corpus, base: base)) + "\n")
            }
        }
    }
}

struct MetaShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Summarise a knowledge base (by default the local one every `fit` adds to)."
    )

    @Option(help: "The knowledge base (default: ~/.mlforge/knowledge.sqlite).")
    var knowledge: String?

    func run() throws {
        try reportingErrors {
            let path = knowledge ?? LocalKnowledge.defaultPath.path
            guard FileManager.default.fileExists(atPath: path) else {
                throw AutoMLError.invalidInput("there is no knowledge base at \(path) yet; `mlforge fit` adds to it unless --no-learn")
            }
            Terminal.write(try KnowledgeSummary.text(KnowledgeBase(path: path)) + "\n")
        }
    }
}
