import Foundation
import Learners
import MLData
import Testing
import Support
import TestSupport

/// The Swift tree walk (`TreeEnsemble`) gives XGBoost's own predictions bit for bit: numeric and
/// categorical splits, missing values, unseen and negative category codes, the three objectives, and
/// forests of several chunks.
@Suite struct TreeEnsembleTests {
    /// Rows with two numeric features (some missing), one category code in 0..<7 and one in 0..<40.
    static func table(rows: Int, seed: UInt64) -> FeatureMatrix {
        var rng = SeededGenerator(seed: seed)
        var v: [Double] = []
        for _ in 0..<rows {
            let a = Double.random(in: -2...2, using: &rng)
            v.append(Double.random(in: 0...1, using: &rng) < 0.15 ? .nan : a)
            v.append(Double.random(in: 0...1, using: &rng) < 0.05 ? .nan : Double.random(in: -1...1, using: &rng))
            v.append(Double(Int.random(in: 0..<7, using: &rng)))
            v.append(Double.random(in: 0...1, using: &rng) < 0.1 ? .nan : Double(Int.random(in: 0..<40, using: &rng)))
        }
        var x = FeatureMatrix(rows: rows, columns: 4, values: v, names: ["a", "b", "c", "d"])
        x.categoryCodeFeatures = [2, 3]
        return x
    }

    static func target(_ x: FeatureMatrix, task: PredictionTask) -> TargetValues {
        let score = (0..<x.rows).map { r -> Double in
            let a = x.values[r * 4].isNaN ? 0.5 : x.values[r * 4]
            let c = x.values[r * 4 + 2], d = x.values[r * 4 + 3].isNaN ? 3 : x.values[r * 4 + 3]
            let b = x.values[r * 4 + 1].isNaN ? 0 : x.values[r * 4 + 1]
            return a + (c == 3 || c == 5 ? 1.5 : 0) + (Int(d) % 3 == 0 ? 0.8 : -0.4) + b
        }
        switch task {
        case .regression: return .values(score)
        case .binary: return .classes(score.map { $0 > 0.5 ? 1 : 0 }, classCount: 2)
        case .multiclass(let k): return .classes(score.map { min(k - 1, max(0, Int(($0 + 2) / 1.2))) }, classCount: k)
        }
    }

    /// XGBoost's own output on `x` for a model's JSON (probabilities or values, as `XGBoostTask` reads them).
    static func library(_ json: [UInt8], _ x: FeatureMatrix, margin: Bool = false) throws -> [Float] {
        try Booster(json: json).predict(try DMatrix(x), margin: margin)
    }

    /// Queries with what training never had: unseen levels, negative codes, all-missing rows.
    static func queries() -> FeatureMatrix {
        var q = table(rows: 300, seed: 99)
        for r in 0..<20 { q.values[r * 4 + 3] = Double(40 + r * 3) }  // levels never seen
        for r in 20..<25 { q.values[r * 4 + 2] = -1 }
        for r in 25..<30 { for c in 0..<4 { q.values[r * 4 + c] = .nan } }
        q.values[30 * 4 + 2] = 1e9  // beyond any category
        return q
    }

    /// Boosted trees fitted on `rows` rows of `table(seed:)`.
    static func boosted(_ task: PredictionTask, rows: Int, seed: UInt64, rounds: Int) throws -> FittedXGBoost {
        let x = table(rows: rows, seed: seed)
        var learner = XGBoostLearner()
        learner.rounds = rounds
        return try learner.fit(try LabeledData(features: x, target: target(x, task: task), task: task), validation: nil,
                               context: FitContext(seed: 1, threads: 1))
    }

    @Test(arguments: [PredictionTask.regression, .binary, .multiclass(classes: 4)])
    func boostedTreesMatchXGBoostBitForBit(task: PredictionTask) throws {
        let model = try Self.boosted(task, rows: 600, seed: 3, rounds: 60)
        let q = Self.queries()
        let ours = model.trees.outputs(q)
        let theirs = try Self.library(model.json, q)
        #expect(ours.count == theirs.count)
        #expect(zip(ours, theirs).allSatisfy { $0.bitPattern == $1.bitPattern },
                "largest difference \(zip(ours, theirs).map { abs($0 - $1) }.max() ?? 0)")
        #expect(model.trees.categoryWords.count > 0, "the model should have categorical splits to test")
        // The fitted model's margins too, and after a save and load.
        #expect(model.trees.margins(q) == (try Self.library(model.json, q, margin: true)))
        let loaded = try FittedXGBoost(bundle: model.bundle())
        #expect(try loaded.predict(q) == model.predict(q))
    }

    @Test func forestChunksMatchXGBoost() throws {
        let x = Self.table(rows: 500, seed: 5)
        let data = try LabeledData(features: x, target: Self.target(x, task: .binary), task: .binary)
        var learner = RandomForestLearner()
        learner.trees = 40
        let model = try learner.fit(data, validation: nil, context: FitContext(seed: 2, threads: 1))
        #expect(model.chunks.count > 2)
        let q = Self.queries()
        for chunk in model.chunks {
            let theirs = try Self.library(chunk.json, q, margin: true)
            #expect(chunk.model.margins(q) == theirs)
        }
    }

    @Test func largeBatchesSplitOverCoresGiveTheSameAnswer() throws {
        let model = try Self.boosted(.regression, rows: 400, seed: 8, rounds: 200)
        let big = Self.table(rows: 5_000, seed: 11)
        let all = model.trees.margins(big)
        #expect(5_000 * model.trees.treeCount >= TreeEnsemble.parallelWork)
        let picked: [Int] = Array(stride(from: 0, to: 5_000, by: 97))
        var one: [Float] = []
        for r in picked {
            var row = FeatureMatrix(rows: 1, columns: 4, values: Array(big.values[(r * 4)..<(r * 4 + 4)]), names: big.names)
            row.categoryCodeFeatures = big.categoryCodeFeatures
            one.append(model.trees.margins(row)[0])
        }
        let expected: [Float] = picked.map { all[$0] }
        #expect(one == expected)
        #expect(all == (try Self.library(model.json, big, margin: true)))
    }

    @Test func damagedModelsAreClearErrors() throws {
        let json = try Self.boosted(.regression, rows: 200, seed: 4, rounds: 3).json
        #expect(throws: TreeEnsemble.FormatError.self) { try TreeEnsemble(xgboostJSON: Array(json.prefix(json.count / 2))) }
        let text = String(decoding: json, as: UTF8.self)
        let cycle = text.replacingOccurrences(of: "\"left_children\":[1,", with: "\"left_children\":[0,")
        #expect(cycle != text)
        #expect(throws: TreeEnsemble.FormatError.self) { try TreeEnsemble(xgboostJSON: Array(cycle.utf8)) }
        let dart = text.replacingOccurrences(of: "\"name\":\"gbtree\"", with: "\"name\":\"dart\"")
        #expect(throws: TreeEnsemble.FormatError.self) { try TreeEnsemble(xgboostJSON: Array(dart.utf8)) }
    }

    @Test func readsXGBoostsJSONDialect() throws {
        let text = #" {"a": [1, -2.5e-1, NaN, Infinity, -Infinity, "3"], "b": {"c": true, "d": null}, "e": "x\"y\u0041", "f": [3, -7, "12"]} "#
        var a: [Float] = [], e = "", f: [Int] = []
        try XGBoostJSON.read(Array(text.utf8)) { r in
            try r.object { r, key in
                switch key {
                case "a": a = try r.floats()
                case "e": e = try r.string()
                case "f": f = try r.ints()
                default: try r.skip()
                }
            }
        }
        #expect(a.count == 6 && a[0] == 1 && a[1] == -0.25 && a[2].isNaN && a[3] == .infinity && a[4] == -.infinity && a[5] == 3)
        #expect(e == "x\"yA")
        #expect(f == [3, -7, 12])
        for bad in ["[1,", "{\"a\" 1}", "[1] 2", "nul", "[1.5]", "[\"x\"]", String(repeating: "[", count: 300) + String(repeating: "]", count: 300)] {
            #expect(throws: XGBoostJSON.SyntaxError.self, "\(bad)") { try XGBoostJSON.read(Array(bad.utf8)) { r in _ = try r.ints() } }
        }
        #expect(throws: XGBoostJSON.SyntaxError.self) { try XGBoostJSON.read(Array("[1e]".utf8)) { r in _ = try r.floats() } }
    }
}
