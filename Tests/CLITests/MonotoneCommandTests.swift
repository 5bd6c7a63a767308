import Foundation
import Testing
import TestSupport

/// `fit --monotone`: only the families that keep monotone constraints run, the model's predictions move
/// one way along the column, and wrong requests are refused.
@Suite("mlforge fit --monotone", .serialized)
struct MonotoneCommandTests {
    let titanic = Fixtures.repositoryRoot.appendingPathComponent("examples/titanic")

    @Test("a model kept decreasing in age predicts a non-increasing survival probability along age, whatever the other columns")
    func decreasing() throws {
        let dir = Fixtures.scratch.appendingPathComponent("mlforge-monotone-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("m").path
        let fit = try MLForgeBinary.run(["fit", titanic.appendingPathComponent("train.csv").path, "--target", "survived", "--time", "4",
                                         "--monotone", "age=-1", "--no-card", "--out", model])
        #expect(fit.status == 0, "\(fit.stderr)")
        #expect(fit.stderr.contains("left out linear, knn, mlp: they cannot keep age monotone (--monotone)"))
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model).appendingPathComponent("manifest.json"))) as? [String: Any])
        let families = Set((manifest["members"] as? [[String: Any]] ?? []).compactMap { $0["family"] as? String })
        #expect(!families.isEmpty && families.isSubset(of: ["xgboost", "random_forest"]), "\(families)")
        #expect((manifest["constraints"] as? [String: Any])?["monotone"] as? [String: Int] == ["age": -1])
        // Every combination of the other columns, along a fine grid of ages.
        var csv = "pclass,sex,age,sibsp,parch\n"
        let ages = stride(from: 0.0, through: 80.0, by: 0.5).map { $0 }
        for pclass in ["1st", "2nd", "3rd"] { for sex in ["female", "male"] { for sibsp in [0, 1, 3] {
            for age in ages { csv += "\(pclass),\(sex),\(age),\(sibsp),0\n" }
        } } }
        let rows = dir.appendingPathComponent("grid.csv"), out = dir.appendingPathComponent("p.csv")
        try csv.write(to: rows, atomically: true, encoding: .utf8)
        let predict = try MLForgeBinary.run(["predict", model, rows.path, "--out", out.path, "--proba"])
        #expect(predict.status == 0, "\(predict.stderr)")
        let p = try String(contentsOf: out, encoding: .utf8).split(separator: "\n").dropFirst().map { Double($0.split(separator: ",")[2])! }
        #expect(p.count == 18 * ages.count)
        var rises = 0
        for block in stride(from: 0, to: p.count, by: ages.count) {
            for i in block + 1 ..< block + ages.count where p[i] > p[i - 1] + 1e-12 { rises += 1 }
        }
        #expect(rises == 0, "the survival probability rose with age \(rises) times")
    }

    @Test("refused: a categorical column, an unknown one, a bad sign, or families that cannot keep it")
    func refused() throws {
        let train = titanic.appendingPathComponent("train.csv").path
        let out = Fixtures.scratch.appendingPathComponent("mlforge-monotone-\(UUID().uuidString)").path
        for (args, message) in [(["--monotone", "sex=+1"], "needs a numeric column; 'sex' is categorical"),
                                (["--monotone", "height=1"], "--monotone names 'height'"),
                                (["--monotone", "age=2"], "--monotone takes COL=+1 or COL=-1"),
                                (["--monotone", "age=-1", "--families", "linear,knn"], "no family of this run can keep a column monotone")] {
            let r = try MLForgeBinary.run(["fit", train, "--target", "survived", "--time", "2", "--out", out] + args)
            #expect(r.status == 1 && r.stderr.contains(message), "\(args): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }
}
