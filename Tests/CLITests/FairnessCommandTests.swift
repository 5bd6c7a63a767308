import Foundation
import Testing
import TestSupport

/// `fit --sensitive COL --fairness "MEASURE<=B"`: titanic by sex, end to end — the bound holds on the
/// validation rows, the thresholds are in the manifest and the card, predict and evaluate decide by them,
/// and wrong requests are refused with nothing written.
@Suite("mlforge fit --fairness", .serialized)
struct FairnessCommandTests {
    let titanic = Fixtures.repositoryRoot.appendingPathComponent("examples/titanic")

    func json(_ url: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    /// The share of rows predicted to have survived, per sex, in a predictions file of the titanic test rows.
    func selectionRates(_ predictions: URL, test: URL) throws -> [String: Double] {
        let labels = try String(contentsOf: predictions, encoding: .utf8).split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[0]) }
        let rows = try String(contentsOf: test, encoding: .utf8).split(separator: "\n")
        let header = rows[0].split(separator: ",").map(String.init)
        let sex = try #require(header.firstIndex(of: "sex"))
        let groups = rows.dropFirst().map { String($0.split(separator: ",", omittingEmptySubsequences: false)[sex]) }
        #expect(groups.count == labels.count)
        var out: [String: Double] = [:]
        for g in Set(groups) {
            let idx = groups.indices.filter { groups[$0] == g }
            out[g] = Double(idx.filter { labels[$0] == "survived" }.count) / Double(idx.count)
        }
        return out
    }

    @Test("demographic parity by sex within 0.1: thresholds per group in the manifest and the card; predict decides by them")
    func demographicParity() throws {
        let dir = Fixtures.scratch.appendingPathComponent("mlforge-fairness-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fair = dir.appendingPathComponent("fair"), plain = dir.appendingPathComponent("plain")
        let train = titanic.appendingPathComponent("train.csv").path, test = titanic.appendingPathComponent("test.csv")
        // A trial cap, not a time budget: at 4 s CI's loaded machine once ran 2 trials whose ensemble chose
        // the same class for every validation row (parity 0, no thresholds to test).
        let budget = ["--time", "30", "--trials", "4"]
        let fit = try MLForgeBinary.run(["fit", train, "--target", "survived"] + budget + ["--sensitive", "sex",
                                         "--fairness", "demographic_parity<=0.1", "--out", fair.path])
        #expect(fit.status == 0, "\(fit.stderr)")
        #expect(fit.stderr.contains("demographic_parity") && fit.stderr.contains("with a threshold per group of sex"), "\(fit.stderr)")
        let manifest = try json(fair.appendingPathComponent("manifest.json"))
        let rule = try #require(manifest["fairness"] as? [String: Any])
        let thresholds = try #require(rule["thresholds"] as? [String: Double])
        #expect(Set(thresholds.keys) == ["female", "male"])
        let before = try #require((rule["before"] as? [String: Any])?["difference"] as? Double)
        let after = try #require((rule["after"] as? [String: Any])?["difference"] as? Double)
        #expect(before > 0.3 && after <= 0.1 + 1e-12, "\(before) → \(after)")
        #expect(((manifest["constraints"] as? [String: Any])?["fairness"] as? [String: Any])?["bound"] as? Double == 0.1)
        let card = try String(contentsOf: fair.appendingPathComponent("card.html"), encoding: .utf8)
        #expect(card.contains("Fairness constraint") && card.contains("data-plot=\"fairness-tradeoff\""))

        // Without the bound, the same seed and trials: the model favours one sex far more on the test rows.
        let plainFit = try MLForgeBinary.run(["fit", train, "--target", "survived"] + budget + ["--no-card", "--out", plain.path])
        #expect(plainFit.status == 0, "\(plainFit.stderr)")
        var gaps: [Double] = []
        for model in [fair, plain] {
            let out = dir.appendingPathComponent("\(model.lastPathComponent).csv")
            let r = try MLForgeBinary.run(["predict", model.path, test.path, "--out", out.path])
            #expect(r.status == 0, "\(r.stderr)")
            let rates = try selectionRates(out, test: test)
            gaps.append(abs((rates["female"] ?? 0) - (rates["male"] ?? 0)))
        }
        #expect(gaps[0] < gaps[1] - 0.2, "test demographic parity with the bound \(gaps[0]), without \(gaps[1])")
        // evaluate's accuracy follows the decisions; without the sensitive column the model cannot decide.
        let evaluate = try MLForgeBinary.run(["evaluate", fair.path, test.path, "--sensitive", "sex", "--json"])
        #expect(evaluate.status == 0, "\(evaluate.stderr)")
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(evaluate.stdout.utf8)) as? [String: Any])
        let groups = try #require(figures["groups"] as? [String: Any])
        let dp = try #require(groups["demographicParityDifference"] as? Double)
        #expect(abs(dp - gaps[0]) < 1e-9, "evaluate's difference \(dp) is the predictions' \(gaps[0])")
        let rows = try #require(groups["groups"] as? [[String: Any]])
        let accuracy = try #require(figures["accuracy"] as? Double)
        let weighted = rows.reduce(0.0) { $0 + ($1["metrics"] as! [String: Double])["accuracy"]! * Double($1["count"] as! Int) }
        #expect(abs(weighted / Double(rows.reduce(0) { $0 + ($1["count"] as! Int) }) - accuracy) < 1e-9, "the groups' accuracy is the decisions' too")
        let text = try MLForgeBinary.run(["evaluate", fair.path, test.path, "--sensitive", "sex"])
        #expect(text.status == 0 && text.stdout.contains("demographic parity difference") && text.stdout.contains("female"), "\(text.stdout)")
        let wrong = try MLForgeBinary.run(["evaluate", fair.path, test.path, "--sensitive", "height"])
        #expect(wrong.status == 1 && wrong.stderr.contains("the sensitive column 'height' is not in the data"), "\(wrong.stderr)")
        let noSex = dir.appendingPathComponent("nosex.csv")
        let lines = try String(contentsOf: test, encoding: .utf8).split(separator: "\n").map { line -> String in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return f.enumerated().filter { $0.offset != 1 }.map(\.element).joined(separator: ",")
        }
        #expect(lines[0].contains("sex") == false)
        try lines.joined(separator: "\n").write(to: noSex, atomically: true, encoding: .utf8)
        let refused = try MLForgeBinary.run(["predict", fair.path, noSex.path])
        // (The model reads sex as an input too, so the schema check names it first.)
        #expect(refused.status == 1 && refused.stderr.contains("'sex'"), "\(refused.stderr)")
    }

    @Test("refused: no --sensitive, a malformed bound, a regression target, an excluded sensitive column")
    func refused() throws {
        let out = Fixtures.scratch.appendingPathComponent("mlforge-fairness-\(UUID().uuidString)").path
        let titanicTrain = titanic.appendingPathComponent("train.csv").path
        let diabetes = Fixtures.repositoryRoot.appendingPathComponent("examples/diabetes/train.csv").path
        for (args, message) in [([titanicTrain, "--target", "survived", "--fairness", "equalized_odds<=0.05"], "--fairness needs --sensitive COL"),
                                ([titanicTrain, "--target", "survived", "--sensitive", "sex", "--fairness", "parity<=0.05"], "--fairness takes MEASURE<=BOUND"),
                                ([titanicTrain, "--target", "survived", "--sensitive", "sex", "--fairness", "equalized_odds<=2"], "a bound between 0 and 1"),
                                ([diabetes, "--target", "progression", "--sensitive", "sex", "--fairness", "equalized_odds<=0.05"], "needs a binary classification target"),
                                ([titanicTrain, "--target", "survived", "--sensitive", "sex", "--exclude", "sex", "--fairness", "equalized_odds<=0.05"], "do not --exclude it")] {
            let r = try MLForgeBinary.run(["fit"] + args + ["--time", "2", "--out", out])
            #expect(r.status == 1 && r.stderr.contains(message), "\(args): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }
}
