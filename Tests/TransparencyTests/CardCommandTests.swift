import Foundation
import Testing
import TestSupport

/// `mlforge fit` writes a model card, `mlforge card` rewrites it with test figures and notes, and a real
/// headless browser renders it without asking the network for anything.
@Suite("mlforge card", .serialized)
struct CardCommandTests {
    let titanic = Fixtures.repositoryRoot.appendingPathComponent("examples/titanic")

    func temporaryFolder() throws -> URL {
        let dir = Fixtures.scratch.appendingPathComponent("mlforge-card-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    func plots(_ html: String) -> Set<String> {
        var out = Set<String>()
        var rest = html[...]
        while let r = rest.range(of: "data-plot=\"") {
            let tail = rest[r.upperBound...]
            guard let end = tail.firstIndex(of: "\"") else { break }
            out.insert(String(tail[..<end]))
            rest = tail[end...]
        }
        return out
    }

    func json(_ url: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    /// Fits titanic with a card (sensitive column and notes), within the budget.
    func fitted(_ dir: URL, time: Double = 6) throws -> URL {
        let model = dir.appendingPathComponent("model")
        let notes = dir.appendingPathComponent("notes.md")
        try "# Titanic\nFor teaching <only>; never for decisions about people.\n".write(to: notes, atomically: true, encoding: .utf8)
        let started = Date()
        let fit = try MLForgeBinary.run(["fit", titanic.appendingPathComponent("train.csv").path, "--target", "survived", "--time", "\(time)",
                                         "--out", model.path, "--sensitive", "sex", "--notes", notes.path])
        let took = Date().timeIntervalSince(started)
        #expect(fit.status == 0, "\(fit.stderr)")
        #expect(took <= 1.05 * time + 1, "the \(time) s budget was overrun with the card: \(took) s; its log:\n\(fit.stderr)")
        return model
    }

    @Test("fit writes card.html, card.md and the evidence; the card shows every figure the evidence holds, and nothing external")
    func fitWritesCard() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try fitted(dir)
        let html = try String(contentsOf: model.appendingPathComponent("card.html"), encoding: .utf8)
        let markdown = try String(contentsOf: model.appendingPathComponent("card.md"), encoding: .utf8)
        let evidence = try json(model.appendingPathComponent("card/evidence.json"))
        // Self-contained: no script, and nothing that could be fetched.
        for banned in ["<script", "http://", "https://", "src=", "href=", "url(", "@import", "<link"] {
            #expect(!html.lowercased().contains(banned), "card.html contains \(banned)")
        }
        let shown = plots(html)
        for id in ["class-balance", "score-over-time", "time-per-family", "calibration-validation", "confusion-validation"] {
            #expect(shown.contains(id), "no \(id) plot in \(shown.sorted())")
        }
        let omitted = evidence["omitted"] as? [String] ?? []
        if evidence["importance"] != nil { #expect(shown.contains("importance")) } else {
            #expect(omitted.contains { $0.hasPrefix("importances") } && html.contains("Known limits"))
        }
        for curve in evidence["dependence"] as? [[String: Any]] ?? [] {
            #expect(shown.contains("dependence-\(curve["column"] as! String)"))
        }
        // The user's notes, escaped; the groups of the sensitive column with fairlearn's differences.
        #expect(html.contains("For teaching &lt;only&gt;") && markdown.contains("For teaching <only>"))
        #expect(html.contains("Groups of sex") && html.contains("demographic parity difference") && html.contains("equalized odds difference"))
        #expect(markdown.contains("## Leaderboard and ensemble") && markdown.contains("## Constraints and settings"))
        // The evidence is part of the model (checksummed); the renderings are not.
        let files = try #require(try json(model.appendingPathComponent("manifest.json"))["files"] as? [String: Any])
        #expect(files["card/evidence.json"] != nil)
        #expect(files["card.html"] == nil && files["card.md"] == nil && files["card/notes.md"] == nil)
        let constraints = try #require(try json(model.appendingPathComponent("manifest.json"))["constraints"] as? [String: Any])
        #expect(constraints["budgetSeconds"] as? Double == 6)
    }

    @Test("Chromium renders the card: every plot is drawn, and the page requests nothing from the network")
    func rendersInChromium() throws {
        let browser = try #require(["/usr/bin/chromium-headless-shell", "/usr/bin/chromium"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                   "no headless Chromium: install it with `bash scripts/setup` (Debian's chromium-headless-shell)")
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try fitted(dir, time: 4)
        let card = try MLForgeBinary.run(["card", model.path, "--test", titanic.appendingPathComponent("test.csv").path])
        #expect(card.status == 0, "\(card.stderr)")
        let page = model.appendingPathComponent("card.html")
        let html = try String(contentsOf: page, encoding: .utf8)
        let netLog = dir.appendingPathComponent("net.json")
        let common = ["--no-sandbox", "--disable-gpu", "--user-data-dir=\(dir.appendingPathComponent("profile").path)"]
        let dom = try ProcessResult.run(URL(fileURLWithPath: browser), common + ["--log-net-log=\(netLog.path)", "--dump-dom", page.absoluteString])
        #expect(dom.status == 0, "\(dom.stderr)")
        // Every figure of the page is in the rendered document with its drawing.
        let expected = plots(html)
        #expect(expected.count >= 8)
        #expect(plots(dom.stdout) == expected)
        #expect(dom.stdout.components(separatedBy: "<svg").count - 1 == expected.count)
        // The network log records every request the page made: none.
        let log = try String(contentsOf: netLog, encoding: .utf8)
        #expect(!log.isEmpty)
        let requested = log.components(separatedBy: "\"url\":\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(requested.filter { !$0.hasPrefix("file://") }.isEmpty, "the card requested \(requested)")
        let shot = dir.appendingPathComponent("card.png")
        let screenshot = try ProcessResult.run(URL(fileURLWithPath: browser), common + ["--hide-scrollbars", "--window-size=1000,3000", "--screenshot=\(shot.path)", page.absoluteString])
        #expect(screenshot.status == 0, "\(screenshot.stderr)")
        #expect(((try? FileManager.default.attributesOfItem(atPath: shot.path)[.size] as? Int) ?? 0) > 50_000)
    }

    @Test("card --test adds test figures and drift, keeps the notes, and leaves the model loadable")
    func cardWithTest() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try fitted(dir, time: 4)
        let test = titanic.appendingPathComponent("test.csv").path
        let card = try MLForgeBinary.run(["card", model.path, "--test", test])
        #expect(card.status == 0, "\(card.stderr)")
        let html = try String(contentsOf: model.appendingPathComponent("card.html"), encoding: .utf8)
        for id in ["importance-test", "calibration-test", "confusion-test", "drift"] { #expect(plots(html).contains(id), "no \(id)") }
        #expect(html.contains("test score") && html.contains("For teaching"))
        let predict = try MLForgeBinary.run(["predict", model.path, test, "--out", dir.appendingPathComponent("p.csv").path])
        #expect(predict.status == 0, "the rewritten card broke the model: \(predict.stderr)")
        // New notes replace the old ones.
        let notes = dir.appendingPathComponent("new.md")
        try "Second thoughts.".write(to: notes, atomically: true, encoding: .utf8)
        #expect(try MLForgeBinary.run(["card", model.path, "--notes", notes.path]).status == 0)
        let again = try String(contentsOf: model.appendingPathComponent("card.md"), encoding: .utf8)
        #expect(again.contains("Second thoughts.") && !again.contains("For teaching"))
    }

    @Test("--exclude keeps a column out of the model and its schema; the card and the manifest list it; a wrong name is refused")
    func exclude() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let train = titanic.appendingPathComponent("train.csv").path
        let out = dir.appendingPathComponent("m")
        let fit = try MLForgeBinary.run(["fit", train, "--target", "survived", "--time", "3", "--out", out.path, "--exclude", "sex", "--exclude", "parch"])
        #expect(fit.status == 0, "\(fit.stderr)")
        let manifest = try json(out.appendingPathComponent("manifest.json"))
        let schema = (manifest["schema"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(schema == ["pclass", "age", "sibsp"])
        #expect((manifest["constraints"] as? [String: Any])?["excluded"] as? [String] == ["sex", "parch"])
        let card = try String(contentsOf: out.appendingPathComponent("card.md"), encoding: .utf8)
        #expect(card.contains("excluded (--exclude)") && card.contains("**excluded columns**: sex, parch"))
        let rows = dir.appendingPathComponent("rows.csv")
        try "pclass,age,sibsp\n1st,30,0\n".write(to: rows, atomically: true, encoding: .utf8)
        let predict = try MLForgeBinary.run(["predict", out.path, rows.path, "--out", dir.appendingPathComponent("p.csv").path])
        #expect(predict.status == 0, "an excluded column was still needed: \(predict.stderr)")
        let unknown = try MLForgeBinary.run(["fit", train, "--target", "survived", "--time", "2", "--out", dir.appendingPathComponent("n").path, "--exclude", "gender"])
        #expect(unknown.status == 1 && unknown.stderr.contains("--exclude names 'gender'"))
        let target = try MLForgeBinary.run(["fit", train, "--target", "survived", "--time", "2", "--out", dir.appendingPathComponent("n").path, "--exclude", "survived"])
        #expect(target.status == 1 && target.stderr.contains("the target"))
    }

    @Test("bad requests: exit 1 with the problem named, and nothing written or changed")
    func badInput() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let train = titanic.appendingPathComponent("train.csv").path
        let out = dir.appendingPathComponent("m").path
        let noColumn = try MLForgeBinary.run(["fit", train, "--target", "survived", "--time", "2", "--out", out, "--sensitive", "gender"])
        #expect(noColumn.status == 1 && noColumn.stderr.contains("'gender'") && !FileManager.default.fileExists(atPath: out))
        let noNotes = try MLForgeBinary.run(["fit", train, "--target", "survived", "--time", "2", "--out", out, "--notes", dir.appendingPathComponent("none.md").path])
        #expect(noNotes.status == 1 && noNotes.stderr.contains("none.md") && !FileManager.default.fileExists(atPath: out))
        let both = try MLForgeBinary.run(["fit", train, "--target", "survived", "--time", "2", "--out", out, "--no-card", "--sensitive", "sex"])
        #expect(both.status == 1 && both.stderr.contains("--no-card"))
        let notModel = try MLForgeBinary.run(["card", dir.path])
        #expect(notModel.status == 1 && notModel.stderr.contains("manifest.json"))

        let plain = try MLForgeBinary.run(["fit", train, "--target", "survived", "--time", "2", "--out", out, "--no-card"])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("m/card.html").path))
        // A folder without evidence still gets a card, which says what it lacks.
        #expect(try MLForgeBinary.run(["card", out]).status == 0)
        let before = try Data(contentsOf: dir.appendingPathComponent("m/card.html"))
        #expect(String(decoding: before, as: UTF8.self).contains("before model cards or with --no-card"))
        let unlabelled = dir.appendingPathComponent("unlabelled.csv")
        try "pclass,sex,age,sibsp,parch\n1st,male,30,0,0\n".write(to: unlabelled, atomically: true, encoding: .utf8)
        let noTarget = try MLForgeBinary.run(["card", out, "--test", unlabelled.path])
        #expect(noTarget.status == 1 && noTarget.stderr.contains("no target column 'survived'"))
        let groupsWithoutRows = try MLForgeBinary.run(["card", out, "--sensitive", "sex"])
        #expect(groupsWithoutRows.status == 1 && groupsWithoutRows.stderr.contains("--test"))
        #expect(try Data(contentsOf: dir.appendingPathComponent("m/card.html")) == before)
    }
}

/// `mlforge explain` end to end.
@Suite("mlforge explain", .serialized)
struct ExplainCommandTests {
    let titanic = Fixtures.repositoryRoot.appendingPathComponent("examples/titanic")

    @Test("explain: importances with intervals, Shapley values that add up, TreeSHAP that adds up to each tree member's margin; bad requests refused")
    func explain() throws {
        let dir = Fixtures.scratch.appendingPathComponent("mlforge-explain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("model").path
        let fit = try MLForgeBinary.run(["fit", titanic.appendingPathComponent("train.csv").path, "--target", "survived", "--time", "3",
                                         "--families", "xgboost,random_forest,linear", "--no-card", "--out", model])
        #expect(fit.status == 0, "\(fit.stderr)")
        let test = titanic.appendingPathComponent("test.csv").path
        let run = try MLForgeBinary.run(["explain", model, test, "--rows", "3", "--samples", "100", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let importance = try #require(json["importance"] as? [String: Any])
        #expect((importance["columns"] as? [[String: Any]])?.count == 5 && importance["repeats"] as? Int == 5)
        let rows = try #require(json["rows"] as? [[String: Any]])
        #expect(rows.count == 3)
        for r in rows {
            let columns = try #require(r["columns"] as? [[String: Any]])
            let sum = columns.map { $0["shapley"] as! Double }.reduce(0, +)
            #expect(abs((r["baseline"] as! Double) + sum - (r["value"] as! Double)) < 1e-9)
            #expect(r["output"] as? String == "p(survived)")
        }
        let trees = try #require(json["trees"] as? [[String: Any]])
        #expect(!trees.isEmpty, "the ensemble of trees gave no TreeSHAP attributions")
        for t in trees {
            let total = (t["values"] as! [Double]).reduce(0, +) + (t["bias"] as! Double)
            #expect(abs(total - (t["margin"] as! Double)) < 1e-6)
            #expect((t["features"] as? [String])?.count == (t["values"] as? [Double])?.count)
        }
        let text = try MLForgeBinary.run(["explain", model, test, "--rows", "1"])
        #expect(text.status == 0 && text.stdout.contains("Permutation importance") && text.stdout.contains("TreeSHAP of member"))
        let bad = try MLForgeBinary.run(["explain", model, test, "--samples", "0"])
        #expect(bad.status == 1 && bad.stderr.contains("--samples must be at least 1"))
        let unlabelled = dir.appendingPathComponent("u.csv")
        try "pclass,sex,age,sibsp,parch\n1st,male,30,0,0\n3rd,female,,1,0\n".write(to: unlabelled, atomically: true, encoding: .utf8)
        let noTarget = try MLForgeBinary.run(["explain", model, unlabelled.path])
        #expect(noTarget.status == 0 && noTarget.stdout.contains("no importances") && noTarget.stdout.contains("row 1:"))
        let missing = try MLForgeBinary.run(["explain", model, dir.appendingPathComponent("none.csv").path])
        #expect(missing.status == 1)
    }
}
