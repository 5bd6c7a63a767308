import Foundation
import Testing
import TestSupport

/// `mlforge nas` end to end: search, report, artifact, constraints and bad input.
@Suite("mlforge nas", .serialized)
struct NASCommandTests {
    let examples = Fixtures.repositoryRoot.appendingPathComponent("examples")

    func temporaryFolder() throws -> URL {
        let dir = Fixtures.scratch.appendingPathComponent("mlforge-nas-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("a signal: the conv1d space is detected, the network designed within budget and parameter limit, the model predicts")
    func signal() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("signal-nas").path
        let started = Date()
        let run = try MLForgeBinary.run(["nas", examples.appendingPathComponent("signal/train.csv").path, "--target", "shape",
                                         "--time", "8", "--out", model, "--max-params", "20000", "--strategy", "random",
                                         "--test", examples.appendingPathComponent("signal/test.csv").path])
        let took = Date().timeIntervalSince(started)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(took <= 1.05 * 8 + 1, "the 8 s budget was overrun: \(took) s; its log:\n\(run.stderr)")
        #expect(run.stderr.contains("one signal in order, on one scale: architecture search uses the conv1d space"))
        #expect(run.stdout.contains("chosen network (trial "))
        #expect(run.stdout.contains("cell: "))
        #expect(run.stdout.contains("Pareto front (accuracy against parameters and latency; * chosen)"))
        #expect(run.stdout.contains("test: accuracy"))
        // The history: one line per trial; every network trained keeps to the parameter limit.
        let history = try String(contentsOfFile: model + "/nas/history.csv", encoding: .utf8).split(separator: "\n")
        #expect(history.first == "strategy,seed,trial,elapsed_s,state,score,best_score,parameters,latency_ms,architecture")
        #expect(history.count >= 3)
        for line in history.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(fields[0] == "random")
            if fields[4] == "complete" || fields[4] == "pruned" { #expect((Int(fields[7]) ?? .max) <= 20_000, "\(line)") }
        }
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model + "/nas/search.json"))) as? [String: Any]
        #expect(summary?["strategy"] as? String == "random")
        #expect((summary?["paretoFront"] as? [Any])?.isEmpty == false)

        let out = dir.appendingPathComponent("predictions.csv").path
        let predict = try MLForgeBinary.run(["predict", model, examples.appendingPathComponent("signal/test.csv").path, "--out", out])
        #expect(predict.status == 0, "\(predict.stderr)")
        let rows = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(rows.first == "shape" && rows.count == 601)
        let evaluate = try MLForgeBinary.run(["evaluate", model, examples.appendingPathComponent("signal/test.csv").path])
        #expect(evaluate.status == 0, "\(evaluate.stderr)")
    }

    @Test("a table: the MLP macro space; an image shape given explicitly: the cell2d space")
    func tableAndImage() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let iris = try MLForgeBinary.run(["nas", examples.appendingPathComponent("iris/train.csv").path, "--target", "species",
                                          "--time", "4", "--out", dir.appendingPathComponent("iris").path, "--strategy", "tpe"])
        #expect(iris.status == 0, "\(iris.stderr)")
        #expect(iris.stdout.contains("nas mlp: "))
        // The signal's 64 samples read as an 8×8 image when asked.
        let image = try MLForgeBinary.run(["nas", examples.appendingPathComponent("signal/train.csv").path, "--target", "shape",
                                           "--shape", "8x8", "--time", "6", "--trials", "3", "--strategy", "reinforce",
                                           "--out", dir.appendingPathComponent("image").path])
        #expect(image.status == 0, "\(image.stderr)")
        #expect(image.stdout.contains("conv3x3") || image.stdout.contains("conv1x1") || image.stdout.contains("avgpool3x3"))
    }

    @Test("bad input: one clear line, exit status 1, nothing written")
    func badInput() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("m").path
        let train = examples.appendingPathComponent("signal/train.csv").path
        let cases: [([String], String)] = [
            (["--shape", "7x7"], "the shape 7x7 has 49 values but the data has 64 input columns"),
            (["--shape", "8x"], "--shape takes a signal length such as 40, an image size such as 8x8, or none"),
            (["--space", "cell2d"], "the cell2d space needs rows that are an image"),
            (["--max-params", "0"], "--max-params must be at least 1"),
            (["--max-latency-ms", "0"], "--max-latency-ms must be positive"),
        ]
        for (extra, message) in cases {
            let r = try MLForgeBinary.run(["nas", train, "--target", "shape", "--time", "3", "--out", out] + extra)
            #expect(r.status == 1, "\(extra): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(extra): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out), "\(extra) left a model folder")
        }
    }
}
