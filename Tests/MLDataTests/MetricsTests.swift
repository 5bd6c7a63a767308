import Foundation
import MLData
import Testing
import TestSupport

/// A case of Sources/TestSupport/Fixtures/metrics.json (values computed with scikit-learn).
struct MetricCase: Decodable, CustomStringConvertible, Sendable {
    var name: String
    var kind: String
    var n_classes: Int?
    var y_true: [Double]
    var proba: [[Double]]?
    var y_pred: [Double]?
    var expected: [String: Expected]
    var description: String { name }

    enum Expected: Decodable, Sendable {
        case value(Double)
        case undefined
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let v = try? c.decode(Double.self) { self = .value(v) } else { self = .undefined }
        }
    }

    static func all() throws -> [MetricCase] {
        struct File: Decodable { var cases: [MetricCase] }
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: Fixtures.url("metrics.json"))).cases
    }
}

@Suite("Metrics match scikit-learn")
struct MetricsTests {
    @Test("Every fixture case, every metric", arguments: try MetricCase.all())
    func fixture(_ c: MetricCase) throws {
        for (metric, expected) in c.expected {
            let got: Result<Double, Error> = Result { try compute(metric, c) }
            switch (expected, got) {
            case (.value(let v), .success(let g)):
                #expect(abs(v - g) <= 1e-9 * max(1, abs(v)), "\(c.name) \(metric): scikit-learn \(v), MLData \(g)")
            case (.undefined, .failure(let e)):
                #expect(e is DataError, "\(c.name) \(metric)")
            default:
                Issue.record("\(c.name) \(metric): scikit-learn \(expected), MLData \(got)")
            }
        }
    }

    func compute(_ metric: String, _ c: MetricCase) throws -> Double {
        if c.kind == "regression" {
            let t = c.y_true, p = c.y_pred ?? []
            switch metric {
            case "r2": return Metrics.r2(t, p)
            case "rmse": return Metrics.rmse(t, p)
            case "mae": return Metrics.mae(t, p)
            default: throw DataError.invalidArgument("unknown metric \(metric)")
            }
        }
        let k = c.n_classes ?? 2
        let y = c.y_true.map { Int($0) }
        let flat = (c.proba ?? []).flatMap { $0 }
        let pred = Metrics.argmax(probabilities: flat, classes: k)
        switch metric {
        case "accuracy": return Metrics.accuracy(y, pred)
        case "balanced_accuracy": return Metrics.balancedAccuracy(y, pred)
        case "log_loss": return Metrics.logLoss(y, probabilities: flat, classes: k)
        case "f1": return Metrics.f1(y, pred)
        case "f1_macro": return Metrics.f1Macro(y, pred)
        case "roc_auc": return try Metrics.rocAUC(y, scores: (c.proba ?? []).map { $0[1] })
        case "roc_auc_ovr_macro": return try Metrics.rocAUCOneVsRest(y, probabilities: flat, classes: k)
        default: throw DataError.invalidArgument("unknown metric \(metric)")
        }
    }

    @Test("The fixtures cover ties, single-class folds, 0/1 probabilities and constant targets")
    func coverage() throws {
        let names = Set(try MetricCase.all().map(\.name))
        for needed in ["binary_random_ties", "binary_single_class_fold", "binary_hard_zero_one", "regression_constant_truth_perfect"] {
            #expect(names.contains(needed))
        }
    }

    @Test("ROC AUC by ranks equals the pairwise definition")
    func aucPairwise() throws {
        var rng = SeededGenerator(seed: 3)
        let y = (0..<200).map { _ in rng.uniform(below: 2) }
        let s = (0..<200).map { _ in Double(rng.uniform(below: 10)) }
        var wins = 0.0, pairs = 0.0
        for i in y.indices where y[i] == 1 {
            for j in y.indices where y[j] == 0 {
                pairs += 1
                wins += s[i] > s[j] ? 1 : (s[i] == s[j] ? 0.5 : 0)
            }
        }
        #expect(abs(try Metrics.rocAUC(y, scores: s) - wins / pairs) < 1e-12)
    }
}
