import Foundation
import Learners
import MLData
import Search
import Testing
import TestSupport

@Suite struct SearchSpaceTests {
    static let shapes = [
        DataShape(rows: 150, features: 4, task: .multiclass(classes: 3)),
        DataShape(rows: 40_000, features: 26, task: .regression, categoricalGroups: 3),
        DataShape(rows: 3_000, features: 20, task: .binary, categoricalGroups: 0),
    ]

    @Test(arguments: LearnerFamily.builtIn)
    func spacesScaleAndRoundTrip(_ family: LearnerFamily) throws {
        var rng = SeededGenerator(seed: 5)
        for shape in Self.shapes {
            let space = family.searchSpace(for: shape)
            try space.validate(space.lowCostPoint)
            let cheap = try family.learner(space.lowCostPoint, shape: shape)
            let usual = family.defaults(for: shape)
            #expect(cheap.estimatedCost(for: shape) <= usual.estimatedCost(for: shape) + 1e-9,
                    "\(family): the low-cost point should cost no more than the defaults")
            for _ in 0..<30 {
                let c = space.sample(using: &rng)
                let learner = try family.learner(c, shape: shape)
                // The configuration a learner reports is a point of the space that rebuilds the same learner.
                let again = try family.learner(learner.configuration, shape: shape)
                #expect(again.configuration == learner.configuration)
                #expect(learner.estimatedCost(for: shape) > 0 && learner.estimatedMemory(for: shape) > 0)
            }
        }
        // Ranges grow with the data (where a family has a size-dependent range).
        let small = family.searchSpace(for: Self.shapes[0]), large = family.searchSpace(for: Self.shapes[1])
        if family == .xgboost || family == .randomForest || family == .knn {
            #expect(small != large, "\(family): the space should depend on the row count")
        }
    }

    @Test(arguments: LearnerFamily.builtIn)
    func portfoliosArePointsOfTheSpace(_ family: LearnerFamily) throws {
        for shape in Self.shapes {
            for c in family.portfolio(for: shape) {
                try family.searchSpace(for: shape).validate(c)
                _ = try family.learner(c, shape: shape)
            }
        }
    }

    @Test(arguments: LearnerFamily.builtIn)
    func lowCostPointGivesASensibleModelQuickly(_ family: LearnerFamily) throws {
        let data = try #require(try SharedData.prepare("titanic", for: family))
        let learner = try family.learner(family.searchSpace(for: data.train.shape).lowCostPoint, shape: data.train.shape)
        let model = try learner.fitModel(data.train, validation: nil, context: FitContext(seed: 1, threads: 2))
        let auc = try data.score(model.predict(data.test.features))
        #expect(auc > 0.75, "\(family) low-cost AUC on titanic: \(auc)")
    }

    @Test func wrongConfigurationsAreClearErrors() throws {
        let shape = Self.shapes[0]
        #expect(throws: LearnerError.self) { try XGBoostLearner(configuration: ["n_estimators": .int(4)], shape: shape) }
        var c = KNNLearner.searchSpace(for: shape).lowCostPoint
        c["weights"] = .string("gaussian")
        #expect(throws: LearnerError.self) { try KNNLearner(configuration: c, shape: shape) }
        var bad = XGBoostLearner()
        bad.rounds = 0
        let data = try #require(try SharedData.prepare("iris", for: .xgboost))
        #expect(throws: LearnerError.self) { try bad.fit(data.train, validation: nil, context: FitContext()) }
    }
}

@Suite struct ModelBundleTests {
    func savedModel() throws -> (URL, Predictions, FeatureMatrix) {
        let data = try #require(try SharedData.prepare("iris", for: .xgboost))
        let model = try XGBoostLearner().fit(data.train, validation: nil, context: FitContext(seed: 1, threads: 1))
        let dir = Fixtures.scratch.appendingPathComponent("mlforge-bundle-\(UUID().uuidString)")
        try model.bundle().write(to: dir)
        return (dir, try model.predict(data.test.features), data.test.features)
    }

    @Test func savesOverAnExistingModelAndLoadsByFamily() throws {
        let (dir, expected, x) = try savedModel()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bundle = try ModelBundle.read(from: dir)
        #expect(bundle.family == .xgboost)
        try bundle.write(to: dir)  // replacing an existing folder
        let loaded = try LearnerFamily.model(from: ModelBundle.read(from: dir))
        #expect(try loaded.predict(x) == expected)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.deletingLastPathComponent().path)
            .filter { $0.contains(dir.lastPathComponent) && $0 != dir.lastPathComponent }
        #expect(leftovers.isEmpty, "temporary folders left behind: \(leftovers)")
    }

    @Test func corruptedTruncatedOrFutureModelsAreClearErrors() throws {
        let (dir, _, _) = try savedModel()
        defer { try? FileManager.default.removeItem(at: dir) }
        let booster = dir.appendingPathComponent("booster.json")
        let original = try Data(contentsOf: booster)

        var flipped = original
        flipped[flipped.count / 2] ^= 0x20
        try flipped.write(to: booster)
        #expect { try ModelBundle.read(from: dir) } throws: { "\($0)".contains("corrupted") }

        try original.prefix(original.count / 2).write(to: booster)
        #expect { try ModelBundle.read(from: dir) } throws: { "\($0)".contains("corrupted") }

        try original.write(to: booster)
        let manifestURL = dir.appendingPathComponent("manifest.json")
        let manifest = try String(contentsOf: manifestURL, encoding: .utf8)
        try manifest.replacingOccurrences(of: "\"version\" : 1", with: "\"version\" : 99").write(to: manifestURL, atomically: true, encoding: .utf8)
        #expect { try ModelBundle.read(from: dir) } throws: { "\($0)".contains("upgrade MLForge") }

        try FileManager.default.removeItem(at: manifestURL)
        #expect { try ModelBundle.read(from: dir) } throws: { "\($0)".contains("not a saved model") }
    }

    @Test func aBundleOfAnotherFamilyIsRefused() throws {
        let (dir, _, _) = try savedModel()
        defer { try? FileManager.default.removeItem(at: dir) }
        var bundle = try ModelBundle.read(from: dir)
        bundle.family = .mlp
        #expect(throws: LearnerError.self) { try LearnerFamily.model(from: bundle) }
    }
}

@Suite struct LabelAndMissingTests {
    @Test func labelsSortNumericallyAndUnknownsAreCounted() throws {
        let train = try CSVReader.read(text: "y\n10\n9\n2\n10\n")
        let enc = LabelEncoder.fit(try train.column(named: "y"))
        #expect(enc.classes == ["2", "9", "10"])
        let test = try CSVReader.read(text: "y,x\n9,1\n11,1\n,1\n2.0,1\n")
        let (labels, unknown) = enc.encode(try test.column(named: "y"))
        #expect(labels == [1, -1, -1, 0])
        #expect(unknown == 1)
    }

    @Test func treesKeepMissingNumbersAsNaN() throws {
        let frame = try CSVReader.read(text: "a,b\n1,x\n,y\n3,x\n")
        var rng = SeededGenerator(seed: 1)
        let (_, trees) = try Preprocessor(options: LearnerFamily.xgboost.preprocessing).fitTransform(frame, target: nil, using: &rng)
        #expect(trees.names.first == "a" && trees[1, 0].isNaN && trees[0, 0] == 1)
        let (_, dense) = try Preprocessor(options: LearnerFamily.linear.preprocessing).fitTransform(frame, target: nil, using: &rng)
        #expect(dense.values.allSatisfy { $0.isFinite })
        #expect(dense.categoricalGroups.count == 1)
    }
}

/// Trees split a categorical column on a set of its levels (XGBoost's categorical splits on the code
/// feature), where one-hot features split one level off at a time.
@Suite struct NativeCategoricalTests {
    /// Twelve levels; the class is 1 for a scattered half of them.
    static let positive: Set<Int> = [1, 2, 5, 7, 8, 11]
    static func frame(repeats: Int) throws -> DataFrame {
        var text = "level,noise\n"
        for r in 0..<repeats { for l in 0..<12 { text += "L\(l < 10 ? "0" : "")\(l),\(r % 7)\n" } }
        return try CSVReader.read(text: text)
    }
    static func labels(_ rows: Int) -> [Int] { (0..<rows).map { positive.contains($0 % 12) ? 1 : 0 } }

    func prepared(_ options: PreprocessingOptions) throws -> (FittedPreprocessor, LabeledData) {
        let frame = try Self.frame(repeats: 20)
        var rng = SeededGenerator(seed: 1)
        let (fitted, x) = try Preprocessor(options: options).fitTransform(frame, target: nil, using: &rng)
        return (fitted, try LabeledData(features: x, target: .classes(Self.labels(frame.rowCount), classCount: 2), task: .classification(classes: 2)))
    }

    @Test func oneStumpSeparatesASetOfLevelsAndSurvivesSaving() throws {
        var stump = XGBoostLearner()
        stump.rounds = 1
        stump.maxDepth = 1
        stump.learningRate = 1
        let (fitted, data) = try prepared(LearnerFamily.xgboost.preprocessing)
        #expect(data.features.categoryCodeFeatures == [0])
        let model = try stump.fit(data, validation: nil, context: FitContext(seed: 1, threads: 1))
        let test = try fitted.transform(try Self.frame(repeats: 1)).features
        let predicted = try #require(try model.predict(test).classes)
        #expect(predicted == Self.labels(12))
        let dir = Fixtures.scratch.appendingPathComponent("mlforge-cat-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try model.bundle().write(to: dir)
        let loaded = try LearnerFamily.model(from: ModelBundle.read(from: dir))
        #expect(try loaded.predict(test) == model.predict(test))

        // The same stump on one-hot features can split off only one level, so it errs on others.
        let (oneHotFitted, oneHot) = try prepared(LearnerFamily.linear.preprocessing)
        #expect(oneHot.features.categoryCodeFeatures.isEmpty)
        let oneHotModel = try stump.fit(oneHot, validation: nil, context: FitContext(seed: 1, threads: 1))
        let oneHotPredicted = try #require(try oneHotModel.predict(try oneHotFitted.transform(try Self.frame(repeats: 1)).features).classes)
        #expect(oneHotPredicted != Self.labels(12))
    }
}
