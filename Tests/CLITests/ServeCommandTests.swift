import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

/// A `mlforge serve` process on a free loopback port, and a blocking HTTP client for it.
final class ServedModel {
    let process = Process()
    let port: Int
    private let errors = Pipe()
    private let log = LockedLines()

    /// Lines the server wrote to standard error.
    final class LockedLines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
    }

    init(_ arguments: [String]) throws {
        process.executableURL = MLForgeBinary.url
        process.arguments = ["serve"] + arguments + ["--port", "0"]
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let log = self.log
        let handle = errors.fileHandleForReading
        let started = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            var pending = ""
            var announced = false
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                pending += String(decoding: data, as: UTF8.self)
                while let nl = pending.firstIndex(of: "\n") {
                    log.append(String(pending[..<nl]))
                    pending = String(pending[pending.index(after: nl)...])
                    if !announced, log.all.last?.contains(" on http://") == true { announced = true; started.signal() }
                }
            }
            if !announced { started.signal() }
        }
        _ = started.wait(timeout: .now() + 30)
        let line = log.all.first { $0.contains(" on http://") } ?? ""
        guard let colon = line.range(of: ":", options: .backwards), let port = Int(line[colon.upperBound...]) else {
            process.terminate()
            throw ServeError.notStarted(log.all.joined(separator: "\n"))
        }
        self.port = port
    }

    enum ServeError: Error { case notStarted(String) }

    var lines: [String] { log.all }

    /// Waits until a line containing `text` appears (up to 20 s).
    func waitFor(_ text: String) -> Bool {
        for _ in 0..<400 {
            if lines.contains(where: { $0.contains(text) }) { return true }
            usleep(50_000)
        }
        return false
    }

    struct Answer {
        var status: Int
        var body: Data
        var headers: [String: String]
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    }

    func request(_ path: String, method: String = "GET", body: Data? = nil, contentType: String? = "application/json",
                 headers: [String: String] = [:]) throws -> Answer {
        var r = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        r.httpMethod = method
        r.httpBody = body
        if let contentType, body != nil { r.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        for (k, v) in headers { r.setValue(v, forHTTPHeaderField: k) }
        r.timeoutInterval = 30
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<Answer, any Error> = .failure(URLError(.timedOut))
        URLSession.shared.dataTask(with: r) { data, response, error in
            if let error { result = .failure(error) } else if let http = response as? HTTPURLResponse {
                var h: [String: String] = [:]
                for (k, v) in http.allHeaderFields { h[String(describing: k).lowercased()] = String(describing: v) }
                result = .success(Answer(status: http.statusCode, body: data ?? Data(), headers: h))
            }
            done.signal()
        }.resume()
        done.wait()
        return try result.get()
    }

    func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// `mlforge serve` end to end: the routes, predictions equal to `mlforge predict`, a corpus of malformed
/// requests each answered with a 4xx that names the problem (the server still up after each), the API
/// key, SIGHUP reloads (a broken folder refused) and SIGTERM.
@Suite("mlforge serve", .serialized)
struct ServeCommandTests {
    let titanic = Fixtures.repositoryRoot.appendingPathComponent("examples/titanic")

    func folder() throws -> URL {
        let dir = Fixtures.scratch.appendingPathComponent("mlforge-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A small model: a few trials within a budget loose enough for a loaded CI machine (a 2 s budget
    /// there once left no trial complete on wine).
    func fit(_ train: URL, target: String, into model: URL, extra: [String] = []) throws {
        let r = try MLForgeBinary.run(["fit", train.path, "--target", target, "--time", "8", "--trials", "4", "--out", model.path, "--no-learn"] + extra)
        #expect(r.status == 0, "\(r.stderr)")
    }

    /// A CSV file's rows as JSON records: numbers where the cell parses as one (and the model's column is
    /// numeric), text otherwise, null for an empty cell.
    func records(_ csv: URL, numeric: Set<String>) throws -> [[String: Any]] {
        let lines = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return lines.dropFirst().map { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            var row: [String: Any] = [:]
            for (name, cell) in zip(header, cells) {
                row[name] = cell.isEmpty ? NSNull() : numeric.contains(name) ? (Double(cell).map { $0 as Any } ?? cell) : cell
            }
            return row
        }
    }

    /// An answer's predictions as `mlforge predict` prints them (whole numbers without a fraction).
    func texts(_ predictions: Any?) -> [String] {
        (predictions as? [Any] ?? []).map { v -> String in
            if let d = v as? Double { return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d) }
            return String(describing: v)
        }
    }

    @Test("every route; JSON and CSV predictions equal mlforge predict on every shared dataset's test file",
          .enabled(if: Fixtures.sharedDataRunnable, Fixtures.needsShared))
    func parity() throws {
        let root = try #require(Fixtures.sharedDatasets, "../shared/datasets is missing")
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() {
            let data = root.appendingPathComponent(name)
            let meta = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: data.appendingPathComponent("meta.json"))) as? [String: Any])
            let target = try #require(meta["target"] as? String)
            let model = dir.appendingPathComponent(name)
            try fit(data.appendingPathComponent("train.csv"), target: target, into: model, extra: ["--no-card"])
            let test = data.appendingPathComponent("test.csv")
            let expected = try MLForgeBinary.run(["predict", model.path, test.path])
            #expect(expected.status == 0, "\(name): \(expected.stderr)")
            let labels = expected.stdout.split(separator: "\n").dropFirst().map(String.init)
            let server = try ServedModel([model.path])
            defer { _ = server.stop() }
            let description = try server.request("/v1/model").json
            let inputs = try #require(description["inputs"] as? [[String: Any]])
            let numeric = Set(inputs.filter { $0["type"] as? String == "numeric" }.compactMap { $0["name"] as? String })
            // CSV: the test file as it is.
            let csv = try server.request("/v1/predict", method: "POST", body: Data(contentsOf: test), contentType: "text/csv")
            #expect(csv.status == 200, "\(name): \(csv.text)")
            let fromCSV = texts(csv.json["predictions"])
            // JSON records, with probabilities for classification.
            let body = try JSONSerialization.data(withJSONObject: ["rows": try records(test, numeric: numeric)])
            let json = try server.request("/v1/predict?proba=true", method: "POST", body: body)
            #expect(json.status == 200, "\(name): \(json.text.prefix(300))")
            let fromJSON = texts(json.json["predictions"])
            if meta["task"] as? String == "regression" {
                let want = labels.map { Double($0)! }
                for got in [fromCSV, fromJSON] {
                    #expect(got.count == want.count && zip(got, want).allSatisfy { abs(Double($0)! - $1) <= 1e-9 * max(1, abs($1)) }, "\(name)")
                }
            } else {
                #expect(fromCSV == labels.map { $0.hasPrefix("\"") ? String($0.dropFirst().dropLast()) : $0 }, "\(name): CSV answers differ from predict")
                #expect(fromJSON == fromCSV, "\(name): JSON answers differ from CSV ones")
                let p = try #require(json.json["probabilities"] as? [[Double]])
                #expect(p.count == labels.count && p.allSatisfy { abs($0.reduce(0, +) - 1) < 1e-9 })
            }
        }
    }

    @Test("routes, a corpus of malformed requests (4xx naming the problem, the server up after each), the API key, SIGHUP and SIGTERM")
    func routesAndMalformed() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("model")
        try fit(titanic.appendingPathComponent("train.csv"), target: "survived", into: model)
        let keyFile = dir.appendingPathComponent("key")
        let key = "k3y-\(UUID().uuidString)"
        try key.write(to: keyFile, atomically: true, encoding: .utf8)
        let server = try ServedModel([model.path, "--api-key-file", keyFile.path, "--max-body-mb", "0.01"])
        let auth = ["Authorization": "Bearer \(key)"]

        #expect(try server.request("/healthz").status == 200)
        #expect(try server.request("/v1/model").status == 401)
        #expect(try server.request("/v1/model", headers: ["Authorization": "Bearer \(key)x"]).status == 401)
        let described = try server.request("/v1/model", headers: auth)
        #expect(described.status == 200 && described.json["target"] as? String == "survived" && (described.json["classes"] as? [String]) == ["died", "survived"])
        #expect(try server.request("/readyz", headers: auth).json["ready"] as? Bool == true)
        let card = try server.request("/card", headers: auth)
        #expect(card.status == 200 && card.text.contains("<html") && card.headers["content-type"]?.hasPrefix("text/html") == true)
        let openapi = try server.request("/openapi.json", headers: auth).json
        #expect(openapi["openapi"] as? String == "3.0.3" && ((openapi["paths"] as? [String: Any])?["/v1/predict"]) != nil)

        let good: [String: Any] = ["pclass": "1st", "sex": "female", "age": 29, "sibsp": 0, "parch": 0]
        func rows(_ r: [[String: Any]]) -> Data { try! JSONSerialization.data(withJSONObject: ["rows": r]) }
        let ok = try server.request("/v1/predict", method: "POST", body: rows([good, good.merging(["sex": "male", "age": NSNull()]) { $1 }]), headers: auth)
        #expect(ok.status == 200 && (ok.json["predictions"] as? [String])?.count == 2, "\(ok.text)")

        // (body, content type, method, path, expected status, a part of the message)
        let big = "pclass,sex,age,sibsp,parch\n" + String(repeating: "1st,female,29,0,0\n", count: 2000)
        let corpus: [(Data?, String?, String, String, Int, String)] = [
            (Data(), "application/json", "POST", "/v1/predict", 400, "the body is empty"),
            (Data("   \n".utf8), "application/json", "POST", "/v1/predict", 400, "the body is empty"),
            (Data("{".utf8), "application/json", "POST", "/v1/predict", 400, "not valid JSON"),
            (Data("{\"rows\": [}".utf8), "application/json", "POST", "/v1/predict", 400, "not valid JSON"),
            (Data("[1, 2]".utf8), "application/json", "POST", "/v1/predict", 400, "must be a JSON object"),
            (Data("\"text\"".utf8), "application/json", "POST", "/v1/predict", 400, "must be a JSON object"),
            (Data("null".utf8), "application/json", "POST", "/v1/predict", 400, "must be a JSON object"),
            (Data("{}".utf8), "application/json", "POST", "/v1/predict", 400, "has no \"rows\""),
            (Data("{\"data\": []}".utf8), "application/json", "POST", "/v1/predict", 400, "unknown field 'data'"),
            (Data("{\"rows\": {}}".utf8), "application/json", "POST", "/v1/predict", 400, "must be an array"),
            (Data("{\"rows\": \"x\"}".utf8), "application/json", "POST", "/v1/predict", 400, "must be an array"),
            (Data("{\"rows\": []}".utf8), "application/json", "POST", "/v1/predict", 400, "\"rows\" is empty"),
            (Data("{\"rows\": [1]}".utf8), "application/json", "POST", "/v1/predict", 400, "row 0 must be an object"),
            (Data("{\"rows\": [[\"1st\"]]}".utf8), "application/json", "POST", "/v1/predict", 400, "row 0 must be an object"),
            (rows([good, ["pclass": "1st"]]), "application/json", "POST", "/v1/predict", 400, "row 1 lacks the column"),
            (rows([good.merging(["height": 180]) { $1 }]), "application/json", "POST", "/v1/predict", 400, "unknown field 'height'"),
            (rows([good.merging(["age": "old"]) { $1 }]), "application/json", "POST", "/v1/predict", 400, "'age' must be a number"),
            (rows([good.merging(["age": true]) { $1 }]), "application/json", "POST", "/v1/predict", 400, "'age' must be a number"),
            (rows([good.merging(["age": [1]]) { $1 }]), "application/json", "POST", "/v1/predict", 400, "'age' must be a number"),
            (rows([good.merging(["sex": ["f"]]) { $1 }]), "application/json", "POST", "/v1/predict", 400, "'sex' must be a string"),
            (rows([good.merging(["sex": ["a": 1]]) { $1 }]), "application/json", "POST", "/v1/predict", 400, "'sex' must be a string"),
            (rows([good.merging(["sibsp": "two"]) { $1 }]), "application/json", "POST", "/v1/predict", 400, "'sibsp' must be a number"),
            (Data("{\"rows\": [{\"pclass\": \"1st\"}], \"extra\": 1}".utf8), "application/json", "POST", "/v1/predict", 400, "unknown field 'extra'"),
            (Data("pclass,sex,age,sibsp,parch\n".utf8), "text/csv", "POST", "/v1/predict", 400, "no data rows"),
            (Data("pclass,sex,height\n1st,female,180\n".utf8), "text/csv", "POST", "/v1/predict", 400, "unknown column 'height'"),
            (Data("pclass,sex\n1st,female\n".utf8), "text/csv", "POST", "/v1/predict", 400, "lacks the column"),
            (Data("pclass,sex,age,sibsp,parch\n1st,female,old,0,0\n".utf8), "text/csv", "POST", "/v1/predict", 400, "cannot be read"),
            (Data("pclass,sex,age,sibsp,parch\n1st,female,\"29,0,0\n".utf8), "text/csv", "POST", "/v1/predict", 400, "cannot be read"),
            (Data("\u{0}\u{1}\u{2}".utf8), "text/csv", "POST", "/v1/predict", 400, "cannot be read"),
            (Data("<rows/>".utf8), "application/xml", "POST", "/v1/predict", 415, "not accepted"),
            (Data(big.utf8), "text/csv", "POST", "/v1/predict", 413, "larger than"),
            (nil, nil, "GET", "/v1/predict", 404, "no such route: GET /v1/predict"),
            (nil, nil, "GET", "/v2/predict", 404, "no such route"),
            (Data("{}".utf8), "application/json", "POST", "/v1/model", 404, "no such route: POST /v1/model"),
        ]
        #expect(corpus.count >= 30)
        for (body, type, method, path, status, message) in corpus {
            let answer = try server.request(path, method: method, body: body, contentType: type, headers: auth)
            #expect(answer.status == status && (answer.json["error"] as? String ?? "").contains(message),
                    "\(method) \(path) \(String(decoding: (body ?? Data()).prefix(60), as: UTF8.self)): \(answer.status) \(answer.text.prefix(300))")
            #expect(try server.request("/healthz").status == 200, "the server went down after \(path)")
        }
        let metrics = try server.request("/metrics", headers: auth)
        #expect(metrics.status == 200 && metrics.text.contains("mlforge_requests_total") && metrics.text.contains("mlforge_rows_predicted_total"))
        #expect(!metrics.text.contains("status=\"500\""), "a malformed request got a 500")

        // SIGHUP: a broken folder is refused and the old model keeps serving; a good one is swapped in.
        let manifest = model.appendingPathComponent("manifest.json")
        let saved = try Data(contentsOf: manifest)
        try Data("{".utf8).write(to: manifest)
        kill(server.process.processIdentifier, SIGHUP)
        #expect(server.waitFor("reload refused"), "\(server.lines)")
        #expect(try server.request("/v1/predict", method: "POST", body: rows([good]), headers: auth).status == 200)
        try saved.write(to: manifest)
        kill(server.process.processIdentifier, SIGHUP)
        #expect(server.waitFor("reloaded"), "\(server.lines)")
        #expect(try server.request("/v1/predict", method: "POST", body: rows([good]), headers: auth).status == 200)
        // SIGTERM: a graceful stop.
        #expect(server.stop() == 0)
        #expect(server.waitFor("stopped"), "\(server.lines)")
    }

    @Test("refused before listening: a folder that is not a model, a short API key, a bad port")
    func refused() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let short = dir.appendingPathComponent("key")
        try "abc".write(to: short, atomically: true, encoding: .utf8)
        for (args, message) in [([dir.path], "manifest"), ([titanic.path, "--api-key-file", short.path], "shorter than 16"),
                                ([titanic.path, "--port", "70000"], "--port must lie in")] {
            let r = try MLForgeBinary.run(["serve"] + args)
            #expect(r.status == 1 && r.stderr.contains(message), "\(args): \(r.stderr)")
        }
    }
}
