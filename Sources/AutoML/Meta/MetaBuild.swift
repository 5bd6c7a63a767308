import Foundation
import Learners
import MLData
import Store
import Support

/// `mlforge meta build`: runs the `MetaProtocol` on every dataset of a corpus folder (each `NAME/` with
/// `train.csv` and `meta.json`, as ../shared/corpus) and stores what it measures in a `KnowledgeBase`.
/// Resumable: each configuration's result is stored as it finishes, a finished dataset is skipped, and a
/// dataset left half-done continues with the configurations it does not have yet. Only `train.csv` is
/// read (the test rows stay unseen).
public struct MetaBuild: Sendable {
    public var corpus: URL
    public var knowledge: URL
    public var settings = MetaProtocol.standard
    /// Only these datasets (nil: every one in the corpus).
    public var only: [String]?
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    /// Progress lines (a dataset done, with the time so far and the estimate of what is left).
    public var log: (@Sendable (String) -> Void)?

    public init(corpus: URL, knowledge: URL) {
        self.corpus = corpus
        self.knowledge = knowledge
    }

    /// What a build did.
    public struct Summary: Sendable, Equatable {
        public var datasets = 0
        public var skipped = 0
        public var results = 0
        public var seconds = 0.0
    }

    /// A corpus dataset's `meta.json` (the fields the build reads).
    struct DatasetMeta: Decodable {
        var name: String
        var task: TaskKind
        var target: String
        var metric: String
    }

    /// The corpus's dataset folders, by name (each must hold train.csv and meta.json).
    func datasetFolders() throws -> [URL] {
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        guard fm.fileExists(atPath: corpus.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw AutoMLError.invalidInput("the corpus folder \(corpus.path) does not exist; pass a folder of NAME/{train.csv,meta.json} datasets with --corpus")
        }
        let all = try fm.contentsOfDirectory(at: corpus, includingPropertiesForKeys: nil)
            .filter { fm.fileExists(atPath: $0.appendingPathComponent("meta.json").path) && fm.fileExists(atPath: $0.appendingPathComponent("train.csv").path) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        guard !all.isEmpty else {
            throw AutoMLError.invalidInput("\(corpus.path) holds no dataset: each dataset is a folder with train.csv and meta.json")
        }
        guard let only else { return all }
        let names = Set(all.map(\.lastPathComponent))
        if let missing = only.first(where: { !names.contains($0) }) {
            throw AutoMLError.invalidInput("the corpus has no dataset '\(missing)'; its datasets are in \(corpus.path)")
        }
        return all.filter { only.contains($0.lastPathComponent) }
    }

    public func run() throws -> Summary {
        let folders = try datasetFolders()
        let base = try KnowledgeBase(path: knowledge.path)
        let finished = Dictionary(try base.datasets().filter(\.finished).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var summary = Summary()
        let start = ContinuousClock.now
        var measured = 0.0, measuredCount = 0
        for (i, folder) in folders.enumerated() {
            let name = folder.lastPathComponent
            if var done = finished[name] {
                // A base built before the landmarks were measured gets them (the configurations stay).
                if done.features[MetaFeatures.stumpName] == nil {
                    done.features = try prepare(folder, name: name).features.features
                    try base.put(done)
                    log?("[\(i + 1)/\(folders.count)] \(name): landmarks added")
                }
                summary.skipped += 1
                continue
            }
            let datasetStart = ContinuousClock.now
            let added = try build(folder, name: name, into: base)
            summary.datasets += 1
            summary.results += added
            let took = (ContinuousClock.now - datasetStart).inSeconds
            measured += took
            measuredCount += 1
            let left = folders.count - i - 1
            let eta = measured / Double(measuredCount) * Double(left)
            log?(String(format: "[%d/%d] %@: %d configurations in %.1f s; %d datasets left, about %@", i + 1, folders.count,
                        name, added, took, left, Self.duration(eta)))
        }
        summary.seconds = (ContinuousClock.now - start).inSeconds
        return summary
    }

    static func duration(_ s: Double) -> String {
        s < 90 ? String(format: "%.0f s", s) : s < 5400 ? String(format: "%.0f min", s / 60) : String(format: "%.1f h", s / 3600)
    }

    /// Runs the protocol's missing configurations on one dataset; returns how many it stored.
    func build(_ folder: URL, name: String, into base: KnowledgeBase) throws -> Int {
        let (plan, metric, named) = try prepare(folder, name: name)
        try base.put(KnowledgeBase.Dataset(name: name, source: "corpus", task: named.task, features: named.features, metric: metric.rawValue))
        let stored = try base.resultKeys(dataset: name)
        var added = 0
        for family in settings.families {
            let shape: DataShape
            do { shape = try plan.shape(for: family) } catch { continue }
            for entry in PriorConfiguration.protocolEntries(family, samples: settings.samples[family.rawValue] ?? 0, seed: settings.seed, shape: shape)
            where !stored.contains(entry.name) {
                try base.add([evaluate(entry, shape: shape, plan: plan, metric: metric, dataset: name)])
                added += 1
            }
        }
        try base.finish(name)
        return added
    }

    /// One dataset's plan on at most the protocol's rows, its metric, and its meta-features as the base
    /// stores them (the dataset's own size, the rows measured on, the landmarks).
    func prepare(_ folder: URL, name: String) throws -> (plan: TrainingPlan, metric: ValidationMetric, features: (task: String, features: [String: Double])) {
        let (plan, metric, target, fullRows) = try planned(folder, name: name)
        // The dataset's own size (a fit compares its table with that), and the rows the protocol measured on.
        var features = MetaFeatures(frame: plan.frame, targetName: target, target: plan.target)
        features.rows = fullRows
        features.landmarks = plan.landmarks(families: settings.families)
        var named = features.named
        named["measured_rows"] = Double(plan.rowCount)
        named[Self.maxRowsKey] = Double(settings.maxRows)
        return (plan, metric, (features.task, named))
    }

    /// The feature under which a corpus dataset's entry records the protocol's row cap (`--max-rows`), so
    /// that its validated rows can be drawn again; entries without it were built at the standard cap.
    static let maxRowsKey = "protocol_max_rows"

    /// One dataset's plan on at most `maxRows` rows (the protocol's by default; a seeded subsample of
    /// larger tables), its metric, its target's name and its own row count.
    func planned(_ folder: URL, name: String, maxRows: Int? = nil) throws -> (plan: TrainingPlan, metric: ValidationMetric, target: String, rows: Int) {
        let maxRows = maxRows ?? settings.maxRows
        let meta: DatasetMeta
        do { meta = try JSONDecoder().decode(DatasetMeta.self, from: Data(contentsOf: folder.appendingPathComponent("meta.json"))) } catch {
            throw AutoMLError.invalidInput("\(folder.path)/meta.json cannot be read (\(error)); it needs name, task, target and metric")
        }
        var frame = try CSVReader.read(path: folder.appendingPathComponent("train.csv").path)
        let fullRows = frame.rowCount
        if frame.rowCount > maxRows {
            var rng = SeededGenerator(seed: settings.seed ^ PriorConfiguration.stableHash(name))
            var order = Array(0..<frame.rowCount)
            order.seededShuffle(using: &rng)
            frame = frame.selecting(rows: order.prefix(maxRows).sorted())
        }
        var policy = SearchPolicy.standard
        policy.validation = MetaProtocol.validation
        let plan = try TrainingPlan(frame: frame, target: meta.target, task: meta.task, seed: settings.seed, policy: policy)
        guard let metric = ValidationMetric(rawValue: meta.metric), metric.isClassification == plan.task.isClassification else {
            throw AutoMLError.invalidInput("\(folder.path)/meta.json names the metric '\(meta.metric)', which does not suit its \(meta.task.rawValue) task")
        }
        return (plan, metric, meta.target, fullRows)
    }

    /// The target of each of `base`'s corpus datasets' validated rows, in the order of its out-of-fold
    /// predictions there, read again from the corpus (the base keeps no data row) at the row cap its entry
    /// records; of `only`'s datasets, or every one.
    public func validatedTargets(in base: KnowledgeBase) throws -> [String: TargetValues] {
        // Each corpus dataset's cap; an entry without one was built at the standard cap.
        let caps = try base.datasets().filter { $0.source == "corpus" }.reduce(into: [String: Int]()) { caps, d in
            caps[d.name] = d.features[Self.maxRowsKey].map { Int($0) } ?? MetaProtocol.standard.maxRows
        }
        var out: [String: TargetValues] = [:]
        for folder in try datasetFolders() {
            let name = folder.lastPathComponent
            guard let cap = caps[name] else { continue }
            let plan = try planned(folder, name: name, maxRows: cap).plan
            out[name] = plan.validatedTarget
        }
        return out
    }

    /// One protocol entry over the plan's folds, within `settings.secondsPerConfiguration` (fold i must
    /// end by (i + 1)/k of it).
    func evaluate(_ entry: PriorConfiguration, shape: DataShape, plan: TrainingPlan, metric: ValidationMetric, dataset: String) -> KnowledgeBase.Result {
        let start = ContinuousClock.now
        var result = KnowledgeBase.Result(dataset: dataset, family: entry.family.rawValue, entry: entry.name,
                                          configuration: [:], score: nil, fitSeconds: 0)
        guard let configuration = entry.configuration(for: shape) else {
            result.note = "the family has no such portfolio entry"
            return result
        }
        result.configuration = configuration
        do {
            let learner = try entry.family.learner(configuration, shape: shape)
            result.memoryBytes = learner.estimatedMemory(for: shape)
            let data = try plan.foldData(for: entry.family)
            var parts: [Predictions] = []
            var predictSeconds = 0.0, predicted = 0
            for (i, fold) in data.enumerated() {
                var context = FitContext(seed: settings.seed &+ UInt64(i), deadline: start + .seconds(settings.secondsPerConfiguration * Double(i + 1) / Double(data.count)),
                                         threads: threads, metric: metric.roundMetric)
                context.cache = fold.cache
                let model = try learner.fitModel(fold.train, validation: fold.validation, context: context)
                let t = ContinuousClock.now
                let p = try model.predict(fold.validation.features)
                predictSeconds += (ContinuousClock.now - t).inSeconds
                predicted += fold.validation.rows
                result.foldScores.append(metric.score(p, fold.validation.target))
                parts.append(p)
            }
            let all = SearchRun.concatenate(parts)
            let score = metric.score(all, plan.validatedTarget)
            result.score = score.isFinite ? score : nil
            result.predictions = EnsembleSelection.values(all).map { Float($0) }
            if predicted > 0 { result.predictMsPer1000 = predictSeconds / Double(predicted) * Double(data.count) * 1e6 }
        } catch {
            result.note = "\(error)"
        }
        result.fitSeconds = (ContinuousClock.now - start).inSeconds
        return result
    }
}
