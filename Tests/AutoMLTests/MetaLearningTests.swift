import AutoML
import Foundation
import Learners
import MLData
import Search
import Store
import Testing
import TestSupport

/// Learning to learn: the protocol's named configurations, the knowledge base a build fills, the prior
/// learned from it, and a fit that reads and adds to the local base.
@Suite struct MetaLearningTests {
    static let small = DataShape(rows: 150, features: 4, task: .multiclass(classes: 3))
    static let large = DataShape(rows: 40_000, features: 26, task: .regression, categoricalGroups: 3)

    @Test("A protocol entry names one configuration per shape, inside that shape's space, and is found again by its name")
    func entries() throws {
        for family in MetaProtocol.standard.families {
            for shape in [Self.small, Self.large] {
                let entries = PriorConfiguration.protocolEntries(family, samples: 5, seed: 0, shape: shape)
                #expect(entries.count == 1 + family.portfolio(for: shape).count + 5)
                for e in entries {
                    let c = try #require(e.configuration(for: shape))
                    try family.searchSpace(for: shape).validate(c)
                    #expect(PriorConfiguration.named(e.name, seed: 0) == e)
                    #expect(e.configuration(for: shape) == c, "the same entry gives the same configuration")
                }
                // The samples are spread: no two alike.
                let samples = entries.filter { if case .sample = $0.rule { return true } else { return false } }.compactMap { $0.configuration(for: shape) }
                #expect(Set(samples).count == samples.count, "\(family)")
            }
        }
        #expect(PriorConfiguration.named("xgboost#q1", seed: 0) == nil)
        #expect(PriorConfiguration.named("nofamily#low", seed: 0) == nil)
    }

    @Test("A recorded configuration is moved into another shape's space: numbers clamped, unknown values dropped")
    func fixedProjection() throws {
        let space = LearnerFamily.xgboost.searchSpace(for: Self.small)
        var recorded = try #require(LearnerFamily.xgboost.portfolio(for: Self.large).first)
        recorded["n_estimators"] = .int(1_000_000)
        recorded["learning_rate"] = .double(-3)
        recorded["no_such_parameter"] = .string("x")
        let c = try #require(PriorConfiguration(family: .xgboost, name: "xgboost@t", rule: .fixed(recorded)).configuration(for: Self.small))
        try space.validate(c)
        guard case .int(_, let hi, _, _)? = space.parameter("n_estimators")?.distribution else {
            Issue.record("n_estimators is not a whole-number parameter")
            return
        }
        #expect(c["n_estimators"] == .int(hi))
        #expect(c["no_such_parameter"] == nil)
    }

    @Test("The greedy portfolio covers datasets by what each entry adds per unit of cost, and stops when nothing adds")
    func greedy() {
        // Three datasets; A is best on the first two, B on the third, C mediocre on all; all cost alike.
        let score: [[String: Double]] = [["A": 1, "B": 0, "C": 0.5], ["A": 1, "B": 0.2, "C": 0.5], ["A": 0, "B": 1, "C": 0.5]]
        let cost = [[String: Double]](repeating: ["A": 1, "B": 1, "C": 1], count: 3)
        let chosen = PriorBuilder.greedy(score, cost: cost, candidates: ["A", "B", "C"], size: 5)
        #expect(chosen.map(\.entry) == ["A", "B"])
        #expect(abs(chosen.last!.score - 1) < 1e-12)
        // A costly entry gives way to a cheap one that is nearly as good.
        let costly = [[String: Double]](repeating: ["A": 9, "B": 1, "C": 0.2], count: 3)
        #expect(PriorBuilder.greedy(score, cost: costly, candidates: ["A", "B", "C"], size: 1).map(\.entry) == ["C"])
    }

    @Test("Folds of datasets partition the names, the same whatever order they come in")
    func folds() {
        let names = (0..<23).map { "d\($0)" }
        let a = PriorBuilder.folds(names, k: 5), b = PriorBuilder.folds(names.reversed(), k: 5)
        #expect(a == b)
        #expect(a.flatMap { $0 }.sorted() == names.sorted())
        #expect(a.allSatisfy { (4...5).contains($0.count) })
    }

    @Test("Advice: the nearest datasets of the same task lend their best entries first, then the portfolio, at most the cap per family")
    func advice() throws {
        let near = MetaFeatures(task: "binary", rows: 1000, columns: 10, categoricalShare: 0, missingShare: 0, classes: 2, minorityShare: 0.4)
        var far = near
        far.rows = 1_000_000
        var otherTask = near
        otherTask.task = "regression"
        let names = ["xgboost#s1", "xgboost#s2", "xgboost#s3", "linear#low", "knn#p0"]
        let configurations = Dictionary(uniqueKeysWithValues: names.map { ($0, PriorConfiguration.named($0, seed: 0)!) })
        let prior = LearnedPrior(
            built: "test", settings: .standard, datasets: ["n", "f", "o"],
            portfolio: [.init(entry: "xgboost#s3", score: 0.5, seconds: 1), .init(entry: "knn#p0", score: 0.7, seconds: 1),
                        .init(entry: "xgboost#s2", score: 0.9, seconds: 1)],
            neighbours: [.init(dataset: "n", features: near, best: ["xgboost": "xgboost#s1", "linear": "linear#low"]),
                         .init(dataset: "f", features: far, best: ["xgboost": "xgboost#s2"]),
                         .init(dataset: "o", features: otherTask, best: ["xgboost": "xgboost#s2"])],
            configurations: configurations)
        var policy = PriorPolicy()
        policy.configurationsPerFamily = 2
        let advice = try #require(PriorAdvice.make(prior: prior, local: [], features: near, policy: policy))
        #expect(advice.perFamily[.xgboost]?.map(\.name) == ["xgboost#s1", "xgboost#s3"])
        #expect(advice.perFamily[.linear]?.map(\.name) == ["linear#low"])
        #expect(advice.perFamily[.knn]?.map(\.name) == ["knn#p0"])
        #expect(advice.use.neighbours.count == 1 && advice.use.neighbours[0].hasPrefix("corpus:n "))
        // An earlier fit of the same table comes first.
        let local = PriorAdvice.Known(name: "crc32:00000000/y", features: near,
                                      best: [.xgboost: PriorConfiguration(family: .xgboost, name: "xgboost@mine", rule: .fixed(["n_estimators": .int(7)]))])
        let withLocal = try #require(PriorAdvice.make(prior: prior, local: [local], features: near, policy: policy))
        #expect(withLocal.perFamily[.xgboost]?.first?.name == "xgboost@mine")
        #expect(withLocal.use.neighbours.first?.hasPrefix("local:crc32:00000000/y") == true)
        #expect(PriorAdvice.make(prior: nil, local: [], features: near, policy: policy) == nil)
    }

    @Test("The shipped prior reads, and each of its entries gives a configuration inside the space")
    func shipped() throws {
        let prior = try #require(LearnedPrior.shipped, "Sources/AutoML/Meta/ShippedPrior.swift holds no readable prior; run scripts/build_prior.sh")
        #expect(prior.datasets.count >= 20)
        #expect(!prior.portfolio.isEmpty)
        for (name, entry) in prior.configurations {
            for shape in [Self.small, Self.large] {
                let c = try #require(entry.configuration(for: shape), "\(name)")
                try entry.family.searchSpace(for: shape).validate(c)
            }
        }
        let decoded = try LearnedPrior.decode(prior.json())
        #expect(decoded == prior)
    }

    @Test("meta build measures every protocol entry, resumes where it stopped, and a prior is learned from it")
    func buildResumeAndPrior() throws {
        let kb = URL(fileURLWithPath: try Fixtures.temporaryPath("mlforge-meta", file: "kb.sqlite"))
        var build = MetaBuild(corpus: Fixtures.repositoryRoot.appendingPathComponent("examples"), knowledge: kb)
        build.only = ["iris", "diabetes"]
        build.settings.samples = ["xgboost": 2, "linear": 1, "knn": 1]
        build.settings.secondsPerConfiguration = 1
        build.threads = 1
        let first = try build.run()
        let expected = (1 + 2 + 2) + (1 + 1) + (1 + 1 + 1)  // low-cost, portfolio (xgboost 2, knn 1) and samples
        #expect(first.datasets == 2 && first.skipped == 0 && first.results == 2 * expected, "\(first)")
        let base = try KnowledgeBase(path: kb.path)
        let results = try base.results(withPredictions: true)
        #expect(results.allSatisfy { $0.score != nil && $0.foldScores.count == 5 }, "\(results.filter { $0.score == nil }.map(\.note))")
        let iris = results.filter { $0.dataset == "iris" }
        #expect(iris.allSatisfy { $0.predictions.count == 112 * 3 }, "out-of-fold class probabilities of every row")
        #expect(try base.datasets().allSatisfy(\.finished))
        // Each dataset's landmarks are stored beside its meta-features: on iris one split sets a class apart.
        let landmarks = try base.datasets().map { MetaFeatures(task: $0.task, named: $0.features).landmarks }
        #expect(landmarks.allSatisfy { $0.map { (0...1).contains($0.stump) && (0...1).contains($0.nearestNeighbour) } == true }, "\(landmarks)")
        #expect((landmarks.last??.stump ?? 0) > 0.4, "iris: \(String(describing: landmarks.last))")
        // Finished datasets are skipped; one stored before landmarks were measured gets them, and nothing else.
        var bare = try #require(try base.datasets().first { $0.name == "diabetes" })
        bare.features[MetaFeatures.stumpName] = nil
        try base.put(bare)
        let second = try build.run()
        #expect(second.datasets == 0 && second.skipped == 2)
        #expect(try base.datasets().first { $0.name == "diabetes" }?.features[MetaFeatures.stumpName] != nil)
        #expect(try base.results().count == 2 * expected)
        // A dataset left half-done continues with what it lacks.
        var iris0 = try #require(try base.datasets().first { $0.name == "iris" })
        iris0.finished = false
        try base.put(iris0)
        build.settings.samples["xgboost"] = 3
        let third = try build.run()
        #expect(third.datasets == 1 && third.results == 1, "only xgboost#s2 is new")

        var builder = PriorBuilder()
        builder.settings = build.settings
        let prior = try builder.build(from: base, built: "test")
        #expect(prior.datasets == ["diabetes", "iris"])
        #expect(!prior.portfolio.isEmpty && prior.portfolio.allSatisfy { prior.configurations[$0.entry] != nil })
        #expect(zip(prior.portfolio, prior.portfolio.dropFirst()).allSatisfy { $0.score <= $1.score + 1e-12 }, "the portfolio's score only grows")
        #expect(prior.portfolioObjective == .best)

        // Chosen on the ensemble's score: the validated targets read again from the corpus reproduce the
        // stored scores, the score only grows, and replaying the portfolio gives the greedy's score.
        let targets = try build.validatedTargets(in: base)
        #expect(targets["iris"]?.count == 112 && targets["diabetes"] != nil)
        builder.targets = targets
        let ensemble = try builder.build(from: base, built: "test")
        #expect(ensemble.portfolioObjective == .ensemble && !ensemble.portfolio.isEmpty)
        #expect(zip(ensemble.portfolio, ensemble.portfolio.dropFirst()).allSatisfy { $0.score <= $1.score + 1e-12 })
        #expect((ensemble.portfolio.last?.score ?? 0) >= 1, "every dataset's best entry is a candidate: \(ensemble.portfolio)")
        let scoring = try EnsemblePortfolio(base: base, targets: targets, names: ["diabetes", "iris"])
        let curves = scoring.curves(ensemble.portfolio.map(\.entry))
        let replayed = zip(curves[0], curves[1]).map { ($0 + $1) / 2 }
        #expect(zip(replayed, ensemble.portfolio).allSatisfy { abs($0 - $1.score) < 1e-9 }, "\(replayed)")
        // The ensemble policy's constants on held-out halves: every setting of the grid (the policy's among
        // them) scored on both datasets within the normalisation's bounds, a-priori entries told by their
        // tag, the policy's setting marked in the report, and one choice per leave-out fold.
        var constants = EnsembleConstants()
        constants.splits = 1
        constants.folds = 2
        #expect(constants.grid.contains(EnsembleConstants.Setting(EnsemblePolicy())))
        #expect(EnsembleConstants.isApriori("xgboost#p0") && EnsembleConstants.isApriori("knn#low") && !EnsembleConstants.isApriori("mlp#s3"))
        let perDataset = constants.scores(scoring)
        #expect(Set(perDataset.keys) == ["diabetes", "iris"])
        for (name, s) in perDataset {
            #expect(Set(s.keys) == Set(constants.grid) && s.values.allSatisfy { (-1.0...2.0).contains($0) }, "\(name): \(s)")
        }
        let report = constants.report(perDataset, rows: ["diabetes": 331, "iris": 112])
        #expect(report.contains("* " + EnsembleConstants.Setting(EnsemblePolicy()).description), "\(report)")
        #expect(report.components(separatedBy: "chosen on the other 1:").count == 3 && report.contains("nested"), "\(report)")
        // Targets that do not belong to the predictions (rows out of order) are refused.
        guard case .values(let y) = try #require(targets["diabetes"]) else { Issue.record("diabetes is a regression"); return }
        #expect(throws: AutoMLError.self) {
            _ = try EnsemblePortfolio(base: base, targets: ["diabetes": .values(y.reversed())], names: ["diabetes"])
        }
        builder.targets = nil
        builder.excluding = ["iris", "diabetes"]
        #expect(throws: AutoMLError.self) { _ = try builder.build(from: base, built: "test") }

        // A base built at another row cap records it, and the validated targets are drawn again at that cap
        // by a reader at the standard one: as many as the stored out-of-fold predictions.
        let capped = URL(fileURLWithPath: try Fixtures.temporaryPath("mlforge-meta", file: "capped.sqlite"))
        var small = MetaBuild(corpus: build.corpus, knowledge: capped)
        small.only = ["diabetes"]
        small.settings.samples = ["linear": 0]
        small.settings.maxRows = 120
        small.settings.secondsPerConfiguration = 1
        small.threads = 1
        _ = try small.run()
        let cappedBase = try KnowledgeBase(path: capped.path)
        let stored = try #require(try cappedBase.results(withPredictions: true).first)
        var reader = MetaBuild(corpus: build.corpus, knowledge: capped)
        reader.only = ["diabetes"]
        let drawn = try reader.validatedTargets(in: cappedBase)
        #expect(drawn["diabetes"]?.count == stored.predictions.count && stored.predictions.count <= 120,
                "\(drawn["diabetes"]?.count ?? -1) targets, \(stored.predictions.count) predictions")
        #expect(try build.validatedTargets(in: base)["diabetes"]?.count == 331, "the first base, built uncapped, keeps its rows")
    }

    @Test("Landmarks: a stump and a 1-NN score a table whose class one feature sets near 1, and noise near 0")
    func landmarks() throws {
        var rng = SeededGenerator(seed: 3)
        func data(_ n: Int, signal: Bool) throws -> LabeledData {
            let x = (0..<(n * 3)).map { _ in Double.random(in: -1...1, using: &rng) }
            let labels = (0..<n).map { r in signal ? (x[r * 3] > 0.1 ? 1 : 0) : Int.random(in: 0...1, using: &rng) }
            return try LabeledData(features: FeatureMatrix(rows: n, columns: 3, values: x, names: ["a", "b", "c"]),
                                   target: .classes(labels, classCount: 2), task: .binary)
        }
        let clear = try Landmarks(train: data(1500, signal: true), validation: data(400, signal: true), seed: 0)
        #expect(clear.stump > 0.95 && clear.nearestNeighbour > 0.7, "\(clear)")
        let noise = try Landmarks(train: data(1500, signal: false), validation: data(400, signal: false), seed: 0)
        #expect(noise.stump < 0.25 && noise.nearestNeighbour < 0.25, "\(noise)")
        // Values: the target is the first feature.
        let x = (0..<1200).map { _ in Double.random(in: -1...1, using: &rng) }
        let rows = FeatureMatrix(rows: 600, columns: 2, values: x, names: ["a", "b"])
        let values = try LabeledData(features: rows, target: .values((0..<600).map { x[$0 * 2] }), task: .regression)
        let fitted = try Landmarks(train: values.selecting(rows: Array(0..<400)), validation: values.selecting(rows: Array(400..<600)), seed: 0)
        #expect((0.6...0.85).contains(fitted.stump) && fitted.nearestNeighbour > 0.95, "\(fitted)")
        // Landmarks count in the distance only with a weight, and only when both tables have them.
        var a = MetaFeatures(task: "binary", rows: 1000, columns: 10, categoricalShare: 0, missingShare: 0, classes: 2, minorityShare: 0.4)
        var b = a
        a.landmarks = clear
        #expect(a.distance(to: b, landmarkWeight: 1) == 0)
        b.landmarks = noise
        #expect(a.distance(to: b) == 0 && a.distance(to: b, landmarkWeight: 1) > 0.9)
        #expect(MetaFeatures(task: "binary", named: a.named) == a)
    }

    @Test("A family's a-priori list: the hand-set portfolio first when asked, then the learned entries, no repeats, at most the cap")
    func aprioriList() {
        let c = (0..<5).map { ["n_estimators": ParameterValue.int($0)] as Configuration }
        let hand = [("x#p0", c[0]), ("x#p1", c[1])].map { (name: $0.0, configuration: $0.1) }
        let learned = [("x#s1", c[1]), ("x#s2", c[2]), ("x#s3", c[3])].map { (name: $0.0, configuration: $0.1) }
        var policy = PriorPolicy()
        policy.configurationsPerFamily = 3
        #expect(policy.apriori(hand: hand, learned: learned).map(\.name) == ["x#p0", "x#p1", "x#s2"])
        #expect(policy.apriori(hand: hand, learned: []).map(\.name) == ["x#p0", "x#p1"])
        policy.handPortfolioFirst = false
        #expect(policy.apriori(hand: hand, learned: learned).map(\.name) == ["x#s1", "x#s2", "x#s3"])
        #expect(policy.apriori(hand: hand, learned: learned, handFirst: true).map(\.name) == ["x#p0", "x#p1", "x#s2"])
    }

    @Test("Prior evaluation replays each held-out dataset's a-priori configurations on its own results, within the budgets")
    func priorEvaluation() throws {
        let kb = URL(fileURLWithPath: try Fixtures.temporaryPath("mlforge-evaluate", file: "kb.sqlite"))
        let base = try KnowledgeBase(path: kb.path)
        // Ten datasets where xgboost#s1 is best everywhere, the hand-set xgboost#p0 is the median and the
        // low-cost point below it; every entry fits in 1 s.
        let scores = ["xgboost#low": 0.2, "xgboost#p0": 0.5, "xgboost#s1": 1.0, "xgboost#s2": 0.0]
        for d in 0..<10 {
            let features = MetaFeatures(task: "binary", rows: 500 + 1000 * d, columns: 10, categoricalShare: 0, missingShare: 0,
                                        classes: 2, minorityShare: 0.4)
            try base.put(KnowledgeBase.Dataset(name: "d\(d)", source: "corpus", task: "binary", features: features.named,
                                               metric: "roc_auc", finished: true))
            try base.add(scores.keys.sorted().enumerated().map { i, e in
                KnowledgeBase.Result(dataset: "d\(d)", family: "xgboost", entry: e, configuration: ["n_estimators": .int(i)],
                                     score: scores[e], fitSeconds: 1)
            })
        }
        var evaluation = PriorEvaluation()
        evaluation.budgets = [1, 2, 3]
        let replay = try evaluation.replay(base)
        let hand = evaluation.outcomes(replay, policy: nil)
        #expect(hand.count == 10 && hand.allSatisfy { $0.reached == [0, 0, 0] && $0.all == 0 }, "\(hand)")
        let learned = evaluation.outcomes(replay, policy: PriorPolicy())
        // low (1 s), p0 (2 s), then the neighbours' best, s1 (3 s).
        #expect(learned.allSatisfy { $0.reached == [0, 0, 1] && $0.all == 1 }, "\(learned)")
        #expect(Set(learned.map(\.fold)) == Set(0..<5))
        #expect(PriorEvaluation.best([hand, learned]) == 1 && PriorEvaluation.best([hand, learned], excluding: 0) == 1)
        let report = try evaluation.report(base, grid: [PriorPolicy()], top: 1)
        #expect(report.contains("nested") && report.contains("hand-set portfolios alone"), "\(report)")
        evaluation.folds = 6
        #expect(throws: AutoMLError.self) { _ = try evaluation.replay(base) }
    }

    @Test("A fit reads the local knowledge base and adds to it; the next fit of the same table starts from its best")
    func localKnowledge() throws {
        let kb = URL(fileURLWithPath: try Fixtures.temporaryPath("mlforge-local", file: "knowledge.sqlite"))
        let data = Fixtures.repositoryRoot.appendingPathComponent("examples/iris/train.csv").path
        var options = AutoMLOptions()
        options.budget = .seconds(30)
        options.maxTrials = 6
        options.threads = 1
        options.knowledge = kb
        options.prior = nil
        let out = URL(fileURLWithPath: try Fixtures.temporaryPath("mlforge-local", file: "model"))
        let first = try FolderFit(dataPath: data, target: "species", output: out, options: options).run()
        #expect(first.prior == nil, "nothing was known")
        let base = try KnowledgeBase(path: kb.path)
        let fits = try base.datasets()
        #expect(fits.count == 1 && fits[0].source == "fit" && fits[0].features["rows"] == 112)
        #expect(try base.results().count == first.leaderboard.entries.filter { $0.state == .complete }.count)
        let second = try FolderFit(dataPath: data, target: "species", output: out, options: options).run()
        let use = try #require(second.prior)
        #expect(use.neighbours.first?.hasPrefix("local:crc32:") == true)
        #expect(use.entries.values.contains { $0.contains { $0.contains("@crc32:") } })
        #expect(try AutoMLModel.load(from: out).prior == use, "the manifest records what the fit used")
        // Without a base, nothing is written.
        options.knowledge = nil
        let before = try base.results().count
        _ = try FolderFit(dataPath: data, target: "species", output: out, options: options).run()
        #expect(try base.results().count == before)
    }

    @Test("A learned a-priori configuration is exempt from the cost allowance, or earns its time, as the policy says")
    func learnedEntriesEarnTheirTime() throws {
        let kb = URL(fileURLWithPath: try Fixtures.temporaryPath("mlforge-earn", file: "knowledge.sqlite"))
        let data = Fixtures.repositoryRoot.appendingPathComponent("examples/iris/train.csv").path
        let out = URL(fileURLWithPath: try Fixtures.temporaryPath("mlforge-earn", file: "model"))
        // A costly configuration (many trees and leaves) that fits iris well.
        let costly: Configuration = ["n_estimators": .int(60), "max_leaves": .int(32), "min_child_weight": .double(0.001),
                                     "learning_rate": .double(0.3), "subsample": .double(1), "colsample_bylevel": .double(1),
                                     "colsample_bytree": .double(1), "reg_alpha": .double(1.0 / 1024), "reg_lambda": .double(1)]
        var options = AutoMLOptions()
        options.budget = .seconds(30)
        options.threads = 1
        options.families = [.xgboost]
        options.knowledge = kb
        options.prior = nil
        // First fit: the low-cost point and the costly configuration alone; the local base keeps both.
        options.maxTrials = 2
        options.portfolio = false
        options.startingConfigurations = [.xgboost: [costly]]
        let first = try FolderFit(dataPath: data, target: "species", output: out, options: options).run()
        let best = try #require(first.leaderboard.entries.filter { $0.state == .complete }.max { ($0.score ?? -.infinity) < ($1.score ?? -.infinity) })
        #expect(best.configuration == costly, "the costly configuration is the one the next fit learns: \(first.leaderboard.entries.map { ($0.summary, $0.score, $0.state) })")
        // Second fit: only the learned entries are queued, and the allowance stays at the low-cost point's cost.
        options.maxTrials = 3
        options.portfolio = true
        options.startingConfigurations = [:]
        options.policy.prior.handPortfolioFirst = false
        options.policy.scheduler.initialAllowanceMultiple = 1
        options.policy.scheduler.initialAllowanceBudgetShare = 0
        options.policy.scheduler.allowanceGrowth = 1
        func ranCostly(exempt: Bool) throws -> Bool {
            var o = options
            o.policy.prior.exemptLearnedEntries = exempt
            let model = try FolderFit(dataPath: data, target: "species", output: out, options: o).run()
            let use = try #require(model.prior)
            #expect(use.entries["xgboost"]?.isEmpty == false, "the learned entry was queued: \(use)")
            return model.leaderboard.entries.contains { $0.state == .complete && $0.configuration == costly }
        }
        #expect(try ranCostly(exempt: true), "exempt, it runs as learned")
        #expect(try !ranCostly(exempt: false), "held to the allowance, it is moved toward the low-cost point first")
    }
}
