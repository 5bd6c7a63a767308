import Foundation
import Testing
import TestSupport

/// `mlforge fit`, `predict`, `evaluate` and `leaderboard` end to end, on the bundled examples.
@Suite("mlforge fit and predict", .serialized)
struct FitCommandTests {
    let examples = Fixtures.repositoryRoot.appendingPathComponent("examples")

    func temporaryFolder() throws -> URL {
        let dir = Fixtures.scratch.appendingPathComponent("mlforge-fit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    func csv(_ text: String) -> [[String]] {
        text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test("fit within its budget, then predict labels and probabilities, evaluate, and show the leaderboard")
    func endToEnd() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("iris-model").path
        let started = Date()
        let fit = try MLForgeBinary.run(["fit", examples.appendingPathComponent("iris/train.csv").path, "--target", "species",
                                         "--time", "3", "--out", model])
        let took = Date().timeIntervalSince(started)
        #expect(fit.status == 0, "\(fit.stderr)")
        #expect(took <= 1.05 * 3 + 1, "the 3 s budget was overrun: \(took) s; its log:\n\(fit.stderr)")
        #expect(fit.stdout.contains("model saved to \(model)"))
        #expect(fit.stderr.contains("plan: 112 rows, 4 input columns, 3-class classification"))

        let out = dir.appendingPathComponent("predictions.csv").path
        let predict = try MLForgeBinary.run(["predict", model, examples.appendingPathComponent("iris/test.csv").path, "--out", out, "--proba"])
        #expect(predict.status == 0, "\(predict.stderr)")
        let rows = csv(try String(contentsOfFile: out, encoding: .utf8))
        #expect(rows.first == ["species", "p_setosa", "p_versicolor", "p_virginica"])
        #expect(rows.count == 1 + 38)
        let truth = csv(try String(contentsOfFile: examples.appendingPathComponent("iris/test.csv").path, encoding: .utf8))
        let speciesColumn = try #require(truth.first?.firstIndex(of: "species"))
        var correct = 0
        for (r, row) in rows.dropFirst().enumerated() {
            #expect(["setosa", "versicolor", "virginica"].contains(row[0]))
            let p = row.dropFirst().compactMap(Double.init)
            #expect(p.count == 3 && abs(p.reduce(0, +) - 1) < 1e-9)
            if row[0] == truth[r + 1][speciesColumn] { correct += 1 }
        }
        #expect(correct >= 33, "only \(correct) of 38 test rows right")

        let refit = try MLForgeBinary.run(["fit", examples.appendingPathComponent("iris/train.csv").path, "--target", "species",
                                           "--time", "1", "--out", dir.appendingPathComponent("other").path,
                                           "--test", examples.appendingPathComponent("iris/test.csv").path])
        #expect(refit.status == 0 && refit.stdout.contains("test: accuracy"), "\(refit.stderr)")
        let evaluate = try MLForgeBinary.run(["evaluate", model, examples.appendingPathComponent("iris/test.csv").path, "--json"])
        #expect(evaluate.status == 0, "\(evaluate.stderr)")
        let scores = try JSONSerialization.jsonObject(with: Data(evaluate.stdout.utf8)) as? [String: Double]
        #expect(abs((scores?["accuracy"] ?? 0) - Double(correct) / 38) < 1e-12)

        let board = try MLForgeBinary.run(["leaderboard", model])
        #expect(board.status == 0 && board.stdout.contains("ensemble of"), "\(board.stderr)")
    }

    @Test("with one thread, a seed and a trial cap, two runs give identical predictions; --log-trials prints every trial and changes nothing else")
    func reproducible() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var outputs: [String] = []
        for run in 0..<2 {
            let model = dir.appendingPathComponent("m\(run)").path
            let fit = try MLForgeBinary.run(["fit", examples.appendingPathComponent("titanic/train.csv").path, "--target", "survived",
                                             "--time", "120", "--trials", "14", "--jobs", "1", "--seed", "3", "--out", model]
                                            + (run == 1 ? ["--log-trials"] : []))
            #expect(fit.status == 0, "\(fit.stderr)")
            let trialLines = fit.stderr.split(separator: "\n").filter { $0.contains("] trial ") }
            if run == 1 {
                // One line per trial, in order, each with its state and fit time.
                #expect(trialLines.count == 14, "\(fit.stderr)")
                for (i, line) in trialLines.enumerated() {
                    let state = ["complete", "pruned", "failed"].contains { line.contains(" \($0) ") }
                    #expect(line.contains("] trial \(i + 1) ") && state && line.contains(" s"), "\(line)")
                }
            } else {
                // Without it, only each new best.
                #expect(trialLines.count < 14, "\(fit.stderr)")
            }
            let p = try MLForgeBinary.run(["predict", model, examples.appendingPathComponent("titanic/test.csv").path, "--proba"])
            #expect(p.status == 0, "\(p.stderr)")
            outputs.append(p.stdout)
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0].hasPrefix("survived,p_died,p_survived\n"))
    }

    @Test("regression on diabetes predicts numbers; missing and unseen values still get a prediction")
    func regressionAndMessyRows() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("m").path
        let fit = try MLForgeBinary.run(["fit", examples.appendingPathComponent("titanic/train.csv").path, "--target", "survived",
                                         "--time", "3", "--out", model])
        #expect(fit.status == 0, "\(fit.stderr)")
        // Rows with a missing age, an unseen class and sex, and no target column at all.
        let messy = dir.appendingPathComponent("messy.csv")
        let header = try String(contentsOfFile: examples.appendingPathComponent("titanic/test.csv").path, encoding: .utf8)
            .split(separator: "\n")[0].split(separator: ",").map(String.init)
        let values: [String: [String]] = ["pclass": ["1st", "9th", ""], "sex": ["female", "unknown", ""], "age": ["", "30", ""],
                                          "sibsp": ["0", "1", ""], "parch": ["0", "0", ""]]
        var text = header.filter { $0 != "survived" }.joined(separator: ",") + "\n"
        for r in 0..<3 { text += header.filter { $0 != "survived" }.map { values[$0]?[r] ?? "" }.joined(separator: ",") + "\n" }
        try text.write(to: messy, atomically: true, encoding: .utf8)
        let p = try MLForgeBinary.run(["predict", model, messy.path])
        #expect(p.status == 0, "\(p.stderr)")
        #expect(csv(p.stdout).count == 4)

        let regression = dir.appendingPathComponent("r").path
        let r = try MLForgeBinary.run(["fit", examples.appendingPathComponent("diabetes/train.csv").path, "--target", "progression",
                                       "--time", "3", "--out", regression, "--metric", "rmse"])
        #expect(r.status == 0, "\(r.stderr)")
        let q = try MLForgeBinary.run(["predict", regression, examples.appendingPathComponent("diabetes/test.csv").path])
        let numbers = csv(q.stdout).dropFirst().compactMap { Double($0[0]) }
        #expect(numbers.count == 111 && numbers.allSatisfy { $0.isFinite && $0 > 0 && $0 < 400 })
    }

    @Test("bad input: one clear line, exit status 1, nothing written")
    func badInput() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let train = examples.appendingPathComponent("iris/train.csv").path
        let model = dir.appendingPathComponent("m").path
        let cases: [([String], String)] = [
            (["fit", train, "--target", "colour", "--out", model], "the target column 'colour' is not in the data"),
            (["fit", train, "--target", "species", "--time", "0", "--out", model], "--time must be a positive number"),
            (["fit", train, "--target", "species", "--metric", "r2", "--out", model, "--time", "2"], "does not suit"),
            (["fit", train, "--target", "species", "--families", "svm", "--out", model], "unknown model family 'svm'"),
            (["fit", train, "--target", "species", "--out", dir.appendingPathComponent("no/such/m").path], "does not exist"),
            (["predict", dir.appendingPathComponent("nothing").path, train], "does not exist"),
            (["predict", dir.path, train], "not an MLForge model folder"),
        ]
        for (args, message) in cases {
            let r = try MLForgeBinary.run(args)
            #expect(r.status == 1 && !r.crashed, "\(args): status \(r.status)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").last?.hasPrefix("mlforge: error: ") == true, "\(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: model))
    }

    @Test("a corrupted or truncated model folder is a clear error; a table without the model's columns too")
    func corruptedArtifact() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("m")
        let fit = try MLForgeBinary.run(["fit", examples.appendingPathComponent("iris/train.csv").path, "--target", "species",
                                         "--time", "2", "--out", model.path, "--families", "xgboost,linear"])
        #expect(fit.status == 0, "\(fit.stderr)")
        let test = examples.appendingPathComponent("iris/test.csv").path
        let wrong = dir.appendingPathComponent("wrong.csv")
        try "a,b\n1,2\n".write(to: wrong, atomically: true, encoding: .utf8)
        let w = try MLForgeBinary.run(["predict", model.path, wrong.path])
        #expect(w.status == 1 && w.stderr.contains("lacks the columns"), "\(w.stderr)")

        let manifestURL = model.appendingPathComponent("manifest.json")
        let manifest = try String(contentsOf: manifestURL, encoding: .utf8)
        #expect(manifest.contains("\"version\" : 2"), "\(manifest.prefix(400))")
        try manifest.replacingOccurrences(of: "\"version\" : 2", with: "\"version\" : 99").write(to: manifestURL, atomically: true, encoding: .utf8)
        let future = try MLForgeBinary.run(["predict", model.path, test])
        #expect(future.status == 1 && future.stderr.contains("upgrade MLForge"), "\(future.stderr)")
        try manifest.write(to: manifestURL, atomically: true, encoding: .utf8)
        #expect(try MLForgeBinary.run(["predict", model.path, test]).status == 0)

        let walker = FileManager.default.enumerator(atPath: model.path)
        let file = try #require((walker?.allObjects as? [String])?.first { $0.hasSuffix("model.json") })
        let url = model.appendingPathComponent(file)
        var bytes = try Data(contentsOf: url)
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: url)
        let r = try MLForgeBinary.run(["predict", model.path, test])
        #expect(r.status == 1 && r.stderr.contains("is corrupted"), "\(r.stderr)")
        try bytes.prefix(10).write(to: url)
        let t = try MLForgeBinary.run(["predict", model.path, test])
        #expect(t.status == 1 && t.stderr.contains("is corrupted"), "\(t.stderr)")
    }

    @Test("a fit killed before it saves leaves no model folder, and an earlier model stays intact")
    func killedFit() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("m")
        let test = examples.appendingPathComponent("titanic/test.csv").path
        let first = try MLForgeBinary.run(["fit", examples.appendingPathComponent("titanic/train.csv").path, "--target", "survived",
                                           "--time", "2", "--families", "linear", "--out", model.path])
        #expect(first.status == 0, "\(first.stderr)")
        let before = try MLForgeBinary.run(["predict", model.path, test]).stdout
        let process = Process()
        process.executableURL = MLForgeBinary.url
        process.arguments = ["fit", examples.appendingPathComponent("titanic/train.csv").path, "--target", "survived",
                             "--time", "30", "--out", model.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 1.5)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let after = try MLForgeBinary.run(["predict", model.path, test])
        #expect(after.status == 0 && after.stdout == before, "\(after.stderr)")
        // Killed before any earlier model existed: no folder at all.
        let fresh = dir.appendingPathComponent("fresh")
        let second = Process()
        second.executableURL = MLForgeBinary.url
        second.arguments = ["fit", examples.appendingPathComponent("titanic/train.csv").path, "--target", "survived",
                            "--time", "30", "--out", fresh.path]
        second.standardOutput = FileHandle.nullDevice
        second.standardError = FileHandle.nullDevice
        try second.run()
        Thread.sleep(forTimeInterval: 1.0)
        kill(second.processIdentifier, SIGKILL)
        second.waitUntilExit()
        #expect(!FileManager.default.fileExists(atPath: fresh.path))
    }

    @Test("--resume continues a killed fit from its trial store, and the store ends up in the model folder")
    func resumeAfterKill() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("m")
        let train = examples.appendingPathComponent("titanic/train.csv").path
        let nothing = try MLForgeBinary.run(["fit", train, "--target", "survived", "--time", "2", "--out", model.path, "--resume"])
        #expect(nothing.status == 1 && nothing.stderr.contains("nothing to resume"), "\(nothing.stderr)")

        let process = Process()
        process.executableURL = MLForgeBinary.url
        process.arguments = ["fit", train, "--target", "survived", "--time", "60", "--out", model.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 4)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(!FileManager.default.fileExists(atPath: model.path))

        let resumed = try MLForgeBinary.run(["fit", train, "--target", "survived", "--time", "4", "--out", model.path, "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let line = resumed.stderr.split(separator: "\n").first { $0.contains("resuming a search of") }
        let stored = line.flatMap { Int($0.split(separator: " ").first { Int($0) != nil } ?? "") } ?? 0
        #expect(stored > 5, "the resumed run should find the killed run's trials: \(resumed.stderr)")
        let search = try FileManager.default.contentsOfDirectory(atPath: model.appendingPathComponent("search").path)
        #expect(search.contains("xgboost.sqlite"), "\(search)")
        let board = try MLForgeBinary.run(["leaderboard", model.path])
        #expect(board.status == 0, "\(board.stderr)")
        let p = try MLForgeBinary.run(["predict", model.path, examples.appendingPathComponent("titanic/test.csv").path])
        #expect(p.status == 0 && p.stdout.split(separator: "\n").count == 329, "\(p.stderr)")
    }
}
