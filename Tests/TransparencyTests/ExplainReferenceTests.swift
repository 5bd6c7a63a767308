import Foundation
import Learners
import MLData
import Testing
import TestSupport
import Transparency

/// Explanations against their references: TreeSHAP against shap's TreeExplainer on the same XGBoost JSON,
/// permutation importance against scikit-learn's, and sampled Shapley values against the exact ones of a
/// linear model (fixtures: scripts/make_explain_fixtures.py).
@Suite("Explanations against shap and scikit-learn")
struct ExplainReferenceTests {
    struct Fixture: Decodable {
        struct Tree: Decodable {
            var name: String
            var classes: Int
            var features: Int
            var rounds: Int
            var booster: String
            var rows: [[Double?]]
            var shap: [[[Double]]]
            var expected: [Double]
            var margin: [[Double]]
        }
        struct Permutation: Decodable {
            var x: [[Double]]
            var y: [Double]
            var mean: [Double]
            var std: [Double]
            var repeats: Int
        }
        var trees: [Tree]
        var permutation: Permutation
    }

    let fixture = try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: Fixtures.url("explain_references.json")))

    /// The bundle `FittedXGBoost` reads (its metadata as MLForge writes it).
    struct Metadata: Encodable { var task: PredictionTask; var featureCount: Int; var rounds: Int; var xgboostVersion: String }

    @Test("TreeSHAP through XGBoost equals shap's TreeExplainer (binary, multiclass, regression; missing values)")
    func treeSHAP() throws {
        for t in fixture.trees {
            let task: PredictionTask = t.classes > 0 ? .multiclass(classes: t.classes) : t.name == "binary" ? .binary : .regression
            var bundle = ModelBundle(family: .xgboost, parts: ["booster.json": Array(t.booster.utf8)])
            try bundle.setJSON(Metadata(task: task, featureCount: t.features, rounds: t.rounds, xgboostVersion: "3.2.0"), as: "model.json")
            let model = try LearnerFamily.model(from: bundle)
            let x = FeatureMatrix(rows: t.rows.count, columns: t.features, values: t.rows.flatMap { $0.map { $0 ?? .nan } },
                                  names: (0..<t.features).map { "f\($0)" })
            // The JSON of xgboost-python 3 (a base score per output, written as "[6E-1]") predicts as XGBoost does.
            let predicted = try model.predict(x)
            for r in 0..<x.rows {
                let m = t.margin[r]
                switch predicted {
                case .values(let v): #expect(abs(v[r] - m[0]) < 1e-5)
                case .probabilities(let q, let k) where k == 2: #expect(abs(q[r * 2 + 1] - 1 / (1 + exp(-m[0]))) < 1e-5)
                case .probabilities(let q, let k):
                    let e = m.map { exp($0 - m.max()!) }, z = e.reduce(0, +)
                    for j in 0..<k { #expect(abs(q[r * k + j] - e[j] / z) < 1e-5, "\(t.name) row \(r) class \(j)") }
                }
            }
            let c = try #require(try model.contributions(x), "\(t.name): no contributions")
            #expect(c.outputs == t.expected.count && c.features == t.features)
            for r in 0..<x.rows {
                for o in 0..<c.outputs {
                    let mine = c.of(row: r, output: o)
                    for f in 0..<t.features {
                        #expect(abs(mine[mine.startIndex + f] - t.shap[r][o][f]) < 1e-4, "\(t.name) row \(r) output \(o) feature \(f)")
                    }
                    #expect(abs(mine.last! - t.expected[o]) < 1e-4, "\(t.name): bias")
                    #expect(abs(mine.reduce(0, +) - t.margin[r][o]) < 1e-4, "\(t.name): the attributions add up to the margin")
                }
            }
        }
    }

    @Test("permutation importance agrees with scikit-learn's within four standard errors (100 repeats)")
    func permutation() throws {
        let p = fixture.permutation
        let columns = (0..<3).map { j in Column(name: "x\(j)", storage: .double(p.x.map { $0[j] })) }
        let frame = try DataFrame(columns: columns)
        let imp = try PermutationImportance.measure(frame, target: .values(p.y), columns: ["x0", "x1", "x2"], metric: .r2, repeats: p.repeats,
                                                    seed: 5, source: "fixture") { f in
            let a = try f.column(named: "x0").doubles!, b = try f.column(named: "x1").doubles!
            return .values(zip(a, b).map { 3 * $0 - 2 * $1 })
        }
        for (j, name) in ["x0", "x1", "x2"].enumerated() {
            let mine = try #require(imp.columns.first { $0.column == name })
            let error = 4 * ((mine.std * mine.std + p.std[j] * p.std[j]) / Double(p.repeats)).squareRoot()
            #expect(abs(mine.mean - p.mean[j]) <= max(error, 1e-12), "\(name): \(mine.mean) against scikit-learn's \(p.mean[j])")
        }
    }

    @Test("sampled Shapley values of a linear model: the exact w·(x − background mean), within their stated error; they add up to value − baseline")
    func samplingShapley() throws {
        let n = 200
        let a = (0..<n).map { Double($0 % 17) }, b = (0..<n).map { Double(($0 * 7) % 11) }
        let frame = try DataFrame(columns: [Column(name: "a", storage: .double(a)), Column(name: "b", storage: .double(b))])
        let background = Array(50..<n)
        let rows = try SamplingShapley.estimate(frame, rows: [0, 5], columns: ["a", "b"], background: background, samples: 400, seed: 9,
                                                classes: [], target: "y") { f in
            .values(zip(try f.column(named: "a").doubles!, try f.column(named: "b").doubles!).map { 2 * $0 - 3 * $1 })
        }
        let meanA = background.map { a[$0] }.reduce(0, +) / Double(background.count)
        let meanB = background.map { b[$0] }.reduce(0, +) / Double(background.count)
        for r in rows {
            let exact = ["a": 2 * (a[r.row] - meanA), "b": -3 * (b[r.row] - meanB)]
            for c in r.columns {
                #expect(abs(c.shapley - exact[c.column]!) <= 4 * c.standardError + 1e-9, "row \(r.row) \(c.column): \(c.shapley) vs \(exact[c.column]!)")
            }
            #expect(abs(r.value - (2 * a[r.row] - 3 * b[r.row])) < 1e-12)
            #expect(abs(r.baseline + r.columns.map(\.shapley).reduce(0, +) - r.value) < 1e-9)
        }
    }
}
