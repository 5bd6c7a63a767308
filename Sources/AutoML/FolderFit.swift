import Foundation
import MLData

/// A fit from a CSV file into a model folder, as `mlforge fit` and `mlforge nas` run it: the budget counts
/// from `run()` (reading the CSV and saving included); the trials are journaled beside the output as
/// they run (`.NAME.run`), so that a killed fit can be resumed; the finished folder holds the manifest
/// with the data's checksum, and the journal moves into it as `search/`.
public struct FolderFit: Sendable {
    public var dataPath: String
    public var target: String
    public var output: URL
    public var options: AutoMLOptions
    /// Continue the fit of `output` that was interrupted, from its journal.
    public var resume = false
    /// Keep a journal of the trials (a fit that cannot be resumed, `mlforge nas`, does not).
    public var journaled = true
    /// Files to add to the folder, made from the model (`nas/history.csv`, say).
    public var extraFiles: (@Sendable (AutoMLModel) throws -> [String: Data])?
    /// Makes the model's documents (the model card) within what is left of the budget; nil: none.
    public var documenter: (any FitDocumenter)?
    /// A teacher whose labels the model learns (`mlforge distill`; see `Distillation`); nil: the table's.
    public var teacher: Teacher?
    /// A CSV file of unlabeled rows for self-training (`fit --unlabeled`; see `SelfTraining`): read with
    /// the training table's column types. The training table's rows without a target join them.
    public var unlabeledPath: String?
    public var selfTraining: SelfTrainingPolicy = .standard
    /// Share the search with worker processes through a study on a database (`fit --storage URL --study
    /// NAME`; see `SharedSearch`): this process is the coordinator. With `resume`, it continues the
    /// study's search. Its role must be `.coordinator`.
    public var shared: SharedSearch?

    public init(dataPath: String, target: String, output: URL, options: AutoMLOptions) {
        self.dataPath = dataPath
        self.target = target
        self.output = output
        self.options = options
    }

    /// Where the trials of a fit into `output` are journaled while it runs.
    public static func journal(for output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).run")
    }

    /// Checks that `output` can be written: its parent exists, and an existing folder is an MLForge model
    /// (MLForge only ever replaces its own model folders).
    public static func checkDestination(_ output: URL) throws {
        let parent = output.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: parent.path) else {
            throw AutoMLError.invalidInput("the folder \(parent.path) for --out does not exist; create it first")
        }
        if FileManager.default.fileExists(atPath: output.path),
           !FileManager.default.fileExists(atPath: output.appendingPathComponent("manifest.json").path) {
            throw AutoMLError.invalidInput("\(output.path) exists and is not an MLForge model folder; choose another --out (MLForge only replaces its own model folders)")
        }
    }

    /// Runs the fit and writes the folder; returns the model.
    public func run() throws -> AutoMLModel {
        var options = options
        if options.start == nil { options.start = options.clock.now }
        try Self.checkDestination(output)
        let journal = Self.journal(for: output)
        if unlabeledPath != nil {
            guard !resume else { throw AutoMLError.invalidInput("--resume cannot continue a fit with --unlabeled (its rounds are not journaled); run it again") }
            guard teacher == nil else { throw AutoMLError.invalidInput("a distilled student cannot self-train; give --unlabeled to the teacher's fit") }
        }
        if let shared {
            guard shared.role == .coordinator else { throw AutoMLError.invalidInput("a fit into a folder coordinates its shared study; workers run SearchWorker") }
            guard unlabeledPath == nil else { throw AutoMLError.invalidInput("--unlabeled cannot be shared with workers yet; run self-training without --storage") }
            guard teacher == nil else { throw AutoMLError.invalidInput("a distilled student cannot be shared with workers yet; run distill without --storage") }
        }
        // (A shared search keeps its trials in the study: it resumes from there.)
        let journaled = journaled && unlabeledPath == nil && shared == nil
        if journaled {
            if resume {
                guard FileManager.default.fileExists(atPath: journal.path) else {
                    throw AutoMLError.invalidInput("nothing to resume: no interrupted fit of \(output.path) was found (its trial store \(journal.path) does not exist); run without --resume")
                }
            } else if FileManager.default.fileExists(atPath: journal.path) {
                try FileManager.default.removeItem(at: journal)
            }
            options.journal = journal
            options.resume = resume
        }
        let (frame, crc) = try CSVReader.readWithChecksum(path: dataPath)
        if let shared {
            options.sharedStart = SharedStart(search: shared, dataPath: URL(fileURLWithPath: dataPath).standardizedFileURL.path, dataHash: DataHash.format(crc))
            options.resume = resume
        }
        try documenter?.check(frame)
        if documenter?.needsTime == true {
            options.documentsReserve = .milliseconds(Int(options.policy.budget.documents.seconds(of: options.budget.inSeconds) * 1000))
        }
        // The run's log lines, kept for the documents.
        let logged = LockedBox(FitRecord(training: frame, dataPath: dataPath))
        let log = options.log
        options.log = { event in
            logged.withLock { record in
                switch event {
                case .plan(let line): record.plan.append(line)
                case .skipped(let family, let why): record.skipped.append("\(family.rawValue): \(why)")
                case .phase(let line): record.phases.append(line)
                case .trial: break
                }
            }
            log?(event)
        }
        if let teacher {
            options.teacher = try teacher.labels(for: frame, target: target, budget: options.budget, seed: options.seed, log: options.log)
        }
        var model: AutoMLModel
        if let unlabeledPath {
            var reading = CSVOptions()
            let present = Set(try CSVReader.columnNames(path: unlabeledPath))
            for c in frame.columns where c.name != target && c.type != .missing && present.contains(c.name) { reading.columnTypes[c.name] = c.type }
            let unlabeled = try CSVReader.read(path: unlabeledPath, options: reading)
            model = try SelfTraining.fit(frame, unlabeled: unlabeled, target: target, options: options, policy: selfTraining)
        } else {
            model = try AutoML.fitSynchronously(frame, target: target, options: options)
        }
        model.dataHash = DataHash.format(crc)
        if let teacher, let labels = options.teacher { model.distillation = teacher.record(for: model, labels: labels) }
        var files = try extraFiles?(model) ?? [:]
        if let documenter {
            let start = options.start ?? options.clock.now
            let total = options.budget.inSeconds
            // Saving takes longer on a loaded machine: its margin is stretched as the search's reserves are.
            let idleMargin = options.policy.budget.saveMargin.seconds(of: total)
            let margin = options.maxTrials != nil ? idleMargin
                : options.policy.budget.stretched(idleMargin, slowdown: options.clock.slowdown, tail: idleMargin, total: total)
            let deadline = start + options.budget - .milliseconds(Int(margin * 1000))
            var record = logged.current
            record.elapsedSeconds = (options.clock.now - start).inSeconds
            options.log?(.phase("writing the model's documents"))
            // The model comes first: documents that cannot be made are reported, and the model is saved.
            do {
                files.merge(try documenter.documents(for: model, record: record, deadline: deadline)) { _, new in new }
            } catch {
                options.log?(.phase("the model's documents could not be made (\(error)); the model is saved without them"))
            }
        }
        options.log?(.phase("saving the model to \(output.relativePath)"))
        try model.save(to: output, searchStore: journaled ? journal : nil, extraFiles: files)
        if let knowledge = options.knowledge, let hash = model.dataHash {
            // The model is saved: a knowledge base that cannot take the run is only reported.
            do {
                let n = try LocalKnowledge.record(model, dataHash: hash, into: knowledge)
                options.log?(.phase("\(n) trials added to the knowledge base \(knowledge.path)"))
            } catch {
                options.log?(.phase("the knowledge base \(knowledge.path) could not take this run (\(error)); the model is saved"))
            }
        }
        if journaled {
            // The model is saved (its folder holds a copy of the journal): a journal that stays behind
            // is only reported.
            do { try FileManager.default.removeItem(at: journal) } catch {
                options.log?(.phase("the trial journal \(journal.path) could not be removed (\(error.localizedDescription)); delete it by hand"))
            }
        }
        return model
    }
}

/// The checksum of a training file that a model's manifest records (`crc32:XXXXXXXX`).
public enum DataHash {
    /// The manifest's form of a CRC-32.
    public static func format(_ crc: UInt32) -> String { String(format: "crc32:%08x", crc) }
}
