import Foundation
import Support
import Testing
import TestSupport

/// `mlforge export` end to end: models fitted by `mlforge fit` are exported as Swift (every file compiled
/// with swiftc into one harness) and as ONNX (run by onnxruntime), and both exports' predictions on each
/// test file must equal `mlforge predict --proba` (labels exactly, probabilities and values within 1e-5).
@Suite("mlforge export", .serialized)
struct ExportCommandTests {
    /// A model to export and the file whose rows it predicts.
    struct Case {
        var name: String
        var model: URL
        var test: URL
        var regression: Bool
        /// A family the export must hold a member of.
        var family: String? = nil
        var typeName: String { "Exported_" + name.map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined() }
    }

    func folder() throws -> URL {
        let dir = Fixtures.scratch.appendingPathComponent("mlforge-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    func fit(_ train: URL, target: String, into model: URL, _ extra: [String]) throws {
        let r = try MLForgeBinary.run(["fit", train.path, "--target", target, "--out", model.path, "--no-card", "--no-learn"] + extra)
        #expect(r.status == 0, "\(r.stderr)")
    }

    /// The harness's main: a small CSV reader, then each model's predictions, one line per row
    /// (`label,p0,p1,…` or the value), or `error: …` for a row the model refuses.
    func harness(_ cases: [Case]) -> String {
        var s = #"""
        #if canImport(Glibc)
        import Glibc
        #elseif canImport(Darwin)
        import Darwin
        #endif

        func parseCSV(_ text: String) -> [[String]] {
            var rows: [[String]] = [], row: [String] = [], field = "", quoted = false, wasQuoted = false
            let scalars = Array(text.unicodeScalars)
            var i = 0
            while i < scalars.count {
                let c = scalars[i]
                if quoted {
                    if c == "\"" {
                        if i + 1 < scalars.count && scalars[i + 1] == "\"" { field.unicodeScalars.append("\""); i += 1 } else { quoted = false }
                    } else { field.unicodeScalars.append(c) }
                } else if c == "\"" { quoted = true; wasQuoted = true }
                else if c == "," { row.append(field); field = ""; wasQuoted = false }
                else if c == "\n" { row.append(field); rows.append(row); row = []; field = ""; wasQuoted = false }
                else if c != "\r" { field.unicodeScalars.append(c) }
                i += 1
            }
            if !field.isEmpty || !row.isEmpty || wasQuoted { row.append(field); rows.append(row) }
            return rows
        }
        func records(_ path: String) -> [[String: String]] {
            let file = fopen(path, "r")!
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true { let n = fread(&buffer, 1, buffer.count, file); if n <= 0 { break }; bytes += buffer[0..<n] }
            fclose(file)
            let rows = parseCSV(String(decoding: bytes, as: UTF8.self))
            return rows.dropFirst().map { r in Dictionary(zip(rows[0], r).map { ($0, $1) }, uniquingKeysWith: { a, _ in a }) }
        }
        let which = CommandLine.arguments[1]
        let rows = records(CommandLine.arguments[2])
        switch which {

        """#
        for c in cases {
            s += "case \"\(c.typeName)\":\n    let m = \(c.typeName)()\n    for r in rows {\n        do {\n"
            if c.regression {
                s += "            print(String(try m.predict(r)))\n"
            } else {
                s += "            let p = try m.predict(r)\n            print(([p.label] + p.probabilities.map { String($0) }).joined(separator: \",\"))\n"
            }
            s += "        } catch { print(\"error: \\(error)\") }\n    }\n"
        }
        s += "default: print(\"unknown model \\(which)\")\n}\n"
        return s
    }

    /// Exports every case as Swift (compiled with the harness) and as ONNX (run by onnxruntime), and
    /// compares both with `mlforge predict`.
    func checkParity(_ cases: [Case], in dir: URL) throws {
        var expected: [String: [[String]]] = [:]
        for c in cases {
            let want = try MLForgeBinary.run(["predict", c.model.path, c.test.path, "--proba"])
            try #require(want.status == 0, "\(c.name): \(want.stderr)")
            expected[c.name] = Array(CSVLines.rows(want.stdout).dropFirst())
        }
        try checkSwift(cases, expected, in: dir)
        try checkONNX(cases, expected, in: dir)
    }

    func checkSwift(_ cases: [Case], _ expected: [String: [[String]]], in dir: URL) throws {
        var sources: [String] = []
        for c in cases {
            let file = dir.appendingPathComponent("\(c.typeName).swift")
            let r = try MLForgeBinary.run(["export", c.model.path, "--format", "swift", "--out", file.path, "--type-name", c.typeName])
            #expect(r.status == 0, "\(c.name): \(r.stderr)")
            #expect(r.stdout.contains("wrote"), "\(c.name): \(r.stdout)")
            if let family = c.family {
                let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
                #expect(text.contains("(\(family), weight"), "\(c.name): the export holds no \(family) member")
            }
            sources.append(file.path)
        }
        let main = dir.appendingPathComponent("main.swift")
        try harness(cases).write(to: main, atomically: true, encoding: .utf8)
        let binary = dir.appendingPathComponent("harness")
        let compiled = try ProcessResult.run(URL(fileURLWithPath: "/usr/bin/env"),
                                             ["swiftc", "-O", "-swift-version", "6", "-o", binary.path, main.path] + sources)
        try #require(compiled.status == 0, "swiftc refused the exported files:\n\(compiled.stderr.prefix(4000))")
        #expect(!compiled.stderr.contains("warning:"), "swiftc warned:\n\(compiled.stderr.prefix(2000))")
        for c in cases {
            let got = try ProcessResult.run(binary, [c.typeName, c.test.path])
            try #require(got.status == 0, "\(c.name): the harness failed: \(got.stderr)")
            try compare(c, "swift", expected: expected[c.name] ?? [], actual: got.stdout, outputFloat32: false)
        }
    }

    /// Each case exported as ONNX and run by onnxruntime (`scripts/onnx_predict.py`, in the virtualenv
    /// `scripts/setup` makes).
    func checkONNX(_ cases: [Case], _ expected: [String: [[String]]], in dir: URL) throws {
        let python = Fixtures.repositoryRoot.appendingPathComponent(".venv/bin/python")
        try #require(FileManager.default.isExecutableFile(atPath: python.path),
                     "\(python.path) is missing: run `bash scripts/setup`, which makes the virtualenv with onnxruntime")
        let script = Fixtures.repositoryRoot.appendingPathComponent("scripts/onnx_predict.py")
        for c in cases {
            let file = dir.appendingPathComponent("\(c.typeName).onnx")
            let r = try MLForgeBinary.run(["export", c.model.path, "--format", "onnx", "--out", file.path])
            try #require(r.status == 0, "\(c.name): \(r.stderr)")
            #expect(r.stdout.contains("wrote") && r.stdout.contains("(onnx,"), "\(c.name): \(r.stdout)")
            let got = try ProcessResult.run(python, [script.path, file.path, c.test.path])
            try #require(got.status == 0, "\(c.name): onnxruntime failed: \(got.stderr.suffix(3000))")
            try compare(c, "onnx", expected: expected[c.name] ?? [], actual: got.stdout, outputFloat32: true)
        }
    }

    /// Compares an export's lines (`label,p0,p1,…` or the value) with `mlforge predict --proba`'s rows:
    /// labels exactly, probabilities within 1e-5, values within 1e-5 of the predictions' spread — plus,
    /// for a Float32 output (ONNX), the rounding of the value to Float32.
    func compare(_ c: Case, _ format: String, expected: [[String]], actual output: String, outputFloat32: Bool) throws {
        let actual = output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        try #require(expected.count == actual.count, "\(c.name) (\(format)): \(expected.count) rows from predict, \(actual.count) from the export")
        var mismatches: [String] = []
        var largest = 0.0
        // Values are compared on the scale of the predictions: a network computes in Float32, so its
        // standardised output carries ~1e-7 of rounding (which BLAS kernel summed it decides which),
        // times the target's spread.
        let values = expected.map { Double($0[0]) ?? .nan }
        let mean = values.reduce(0, +) / Double(max(1, values.count))
        let spread = max(1, (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, values.count))).squareRoot())
        for (e, a) in zip(expected, actual) {
            if c.regression {
                let x = Double(e[0]) ?? .nan, y = Double(a) ?? .nan
                let rounding = outputFloat32 ? abs(x) * 0x1p-23 : 0
                largest = max(largest, max(0, abs(x - y) - rounding) / spread)
                if !(abs(x - y) <= 1e-5 * spread + rounding) { mismatches.append("\(e[0]) vs \(a)") }
            } else {
                // The line holds the label as it is, then one probability per class.
                let fields = a.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                let k = e.count - 1
                let label = fields.dropLast(k).joined(separator: ","), p = fields.suffix(k).map { Double($0) ?? .nan }
                let q = e.dropFirst().map { Double($0) ?? .nan }
                let gap = zip(p, q).map { abs($0 - $1) }.max() ?? .infinity
                largest = max(largest, gap)
                if label != e[0] || p.count != k || !(gap <= 1e-5) { mismatches.append("\(e) vs \(a)") }
            }
        }
        #expect(mismatches.count == 0, "\(c.name) (\(format)): \(mismatches.count) of \(expected.count) rows differ, e.g. \(mismatches.prefix(3))")
        #expect(largest <= 1e-5, "\(c.name) (\(format)): largest difference \(largest)\(c.regression ? " of the predictions' spread" : "")")
    }

    @Test("the Swift and ONNX exports of every shared dataset's model predict what mlforge predict does",
          .enabled(if: Fixtures.sharedDataRunnable, Fixtures.needsShared))
    func sharedDatasets() throws {
        let root = try #require(Fixtures.sharedDatasets, "../shared/datasets is missing")
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var cases: [Case] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() {
            let data = root.appendingPathComponent(name)
            let meta = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: data.appendingPathComponent("meta.json"))) as? [String: Any])
            let target = try #require(meta["target"] as? String)
            let model = dir.appendingPathComponent(name)
            try fit(data.appendingPathComponent("train.csv"), target: target, into: model,
                    ["--time", "8", "--trials", "4", "--families", "xgboost,random_forest,linear,mlp"])
            cases.append(Case(name: name, model: model, test: data.appendingPathComponent("test.csv"),
                              regression: meta["task"] as? String == "regression"))
        }
        try checkParity(cases, in: dir)
    }

    /// A table whose names and labels need escaping in Swift source, with missing values and, in the test
    /// rows, levels training never saw.
    func awkwardTable(in dir: URL) throws -> (train: URL, test: URL) {
        var rng = SeededGenerator(seed: 7)
        let colours = ["red", "gr\"een", "back\\slash", "naïve café", "line\u{2028}sep", "#{x}"]
        func rows(_ n: Int, unseen: Bool) -> String {
            var s = "\"size \"\"cm\"\"\",colour,flag,\"class \\ label\"\n"
            for i in 0..<n {
                let size = Double(rng.uniform(below: 1000)) / 10
                let colour = unseen && i % 7 == 0 ? "purple" : colours[rng.uniform(below: colours.count)]
                let flag = rng.uniform(below: 2) == 0 ? "true" : "false"
                let label = (size > 50) != (colour == "red") ? "yes \"sure\"" : "no\\way"
                let sizeText = i % 11 == 0 ? "" : String(size)
                s += "\(sizeText),\"\(colour.replacingOccurrences(of: "\"", with: "\"\""))\",\(i % 13 == 0 ? "NA" : flag),\"\(label.replacingOccurrences(of: "\"", with: "\"\""))\"\n"
            }
            return s
        }
        let train = dir.appendingPathComponent("awkward-train.csv"), test = dir.appendingPathComponent("awkward-test.csv")
        try rows(400, unseen: false).write(to: train, atomically: true, encoding: .utf8)
        try rows(120, unseen: true).write(to: test, atomically: true, encoding: .utf8)
        return (train, test)
    }

    @Test("each exportable family alone, a fairness rule, a decision threshold and awkward names export and predict what mlforge predict does")
    func familiesAndEdges() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let titanic = Fixtures.repositoryRoot.appendingPathComponent("examples/titanic")
        let train = titanic.appendingPathComponent("train.csv"), test = titanic.appendingPathComponent("test.csv")
        var cases: [Case] = []
        for family in ["xgboost", "random_forest", "linear", "mlp", "nas"] {
            let model = dir.appendingPathComponent(family)
            try fit(train, target: "survived", into: model, ["--time", "6", "--trials", "3", "--families", family])
            cases.append(Case(name: "titanic_\(family)", model: model, test: test, regression: false, family: family))
        }
        let fair = dir.appendingPathComponent("fair")
        try fit(train, target: "survived", into: fair, ["--time", "6", "--trials", "4", "--families", "xgboost,linear",
                                                         "--sensitive", "sex", "--fairness", "demographic_parity<=0.1"])
        cases.append(Case(name: "titanic_fair", model: fair, test: test, regression: false))
        // One XGBoost trial of 4 trees at eta 0.1 ranks well (roc_auc) with probabilities near the base
        // rate: the model decides by a threshold placed on its validation predictions.
        let shrunk = dir.appendingPathComponent("threshold")
        try fit(train, target: "survived", into: shrunk, ["--time", "6", "--trials", "1", "--families", "xgboost"])
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: shrunk.appendingPathComponent("manifest.json"))) as? [String: Any])
        let threshold = try #require((manifest["decisionThreshold"] as? [String: Any])?["threshold"] as? Double)
        #expect(threshold > 0.3 && threshold < 0.5, "\(threshold)")
        let predicted = try MLForgeBinary.run(["predict", shrunk.path, test.path, "--proba"])
        let rows = Array(CSVLines.rows(predicted.stdout).dropFirst())
        #expect(predicted.status == 0 && !rows.isEmpty && rows.allSatisfy { $0[0] == (Double($0[2])! >= threshold ? "survived" : "died") },
                "predict decides 'survived' from p ≥ \(threshold)")
        #expect(rows.contains { $0[0] == "survived" && Double($0[2])! < 0.5 }, "the threshold changes some decisions")
        cases.append(Case(name: "titanic_threshold", model: shrunk, test: test, regression: false))
        let awkward = try awkwardTable(in: dir)
        let odd = dir.appendingPathComponent("awkward")
        try fit(awkward.train, target: "class \\ label", into: odd, ["--time", "6", "--trials", "6", "--families", "xgboost,linear,mlp"])
        cases.append(Case(name: "awkward", model: odd, test: awkward.test, regression: false))
        try checkParity(cases, in: dir)
    }

    @Test("a k-NN member (Swift and ONNX), an unknown format and a bad type name are refused, and nothing is written")
    func refusals() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let titanic = Fixtures.repositoryRoot.appendingPathComponent("examples/titanic")
        let model = dir.appendingPathComponent("knn")
        try fit(titanic.appendingPathComponent("train.csv"), target: "survived", into: model, ["--time", "4", "--trials", "2", "--families", "knn"])
        let out = dir.appendingPathComponent("Model.swift")
        let knn = try MLForgeBinary.run(["export", model.path, "--format", "swift", "--out", out.path])
        #expect(knn.status != 0)
        #expect(knn.stderr.contains("knn") && knn.stderr.contains("--families"), "\(knn.stderr)")
        let onnx = dir.appendingPathComponent("model.onnx")
        let knnONNX = try MLForgeBinary.run(["export", model.path, "--format", "onnx", "--out", onnx.path])
        #expect(knnONNX.status != 0 && knnONNX.stderr.contains("knn") && knnONNX.stderr.contains("--families"), "\(knnONNX.stderr)")
        #expect(!FileManager.default.fileExists(atPath: onnx.path), "a refused ONNX export left a file")
        let format = try MLForgeBinary.run(["export", model.path, "--format", "pmml", "--out", out.path])
        #expect(format.status != 0 && format.stderr.contains("--format must be one of"), "\(format.stderr)")
        let linear = dir.appendingPathComponent("linear")
        try fit(titanic.appendingPathComponent("train.csv"), target: "survived", into: linear, ["--time", "4", "--trials", "2", "--families", "linear"])
        for bad in ["1Model", "my-model", "class", ""] {
            let r = try MLForgeBinary.run(["export", linear.path, "--format", "swift", "--out", out.path, "--type-name", bad])
            #expect(r.status != 0 && r.stderr.contains("is not a Swift type name"), "\(bad): \(r.stderr)")
        }
        let missing = try MLForgeBinary.run(["export", dir.appendingPathComponent("nothing").path, "--format", "swift", "--out", out.path])
        #expect(missing.status != 0)
        #expect(!FileManager.default.fileExists(atPath: out.path), "a refused export left a file")
    }
}

/// Rows of CSV text (quoted fields unquoted), for comparing outputs.
enum CSVLines {
    static func rows(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = iterator.next()
        while let c = pending {
            pending = iterator.next()
            if quoted {
                if c == "\"" {
                    if pending == "\"" { field.unicodeScalars.append("\""); pending = iterator.next() } else { quoted = false }
                } else { field.unicodeScalars.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { row.append(field); field = "" }
            else if c == "\n" { row.append(field); rows.append(row); row = []; field = "" }
            else if c != "\r" { field.unicodeScalars.append(c) }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
