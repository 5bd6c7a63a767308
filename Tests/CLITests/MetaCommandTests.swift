import Foundation
import Testing
import TestSupport

/// `mlforge meta` and the knowledge options of `fit`: the local base a fit adds to, `meta show`, `meta
/// build` and `meta prior` on a small corpus, and the errors for bad input.
@Suite("mlforge meta", .serialized)
struct MetaCommandTests {
    let examples = Fixtures.repositoryRoot.appendingPathComponent("examples")

    func temporaryFolder() throws -> URL {
        let dir = Fixtures.scratch.appendingPathComponent("mlforge-meta-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("fit adds to the knowledge base it is given, meta show summarises it, --no-learn leaves it alone")
    func fitAddsAndShow() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let kb = dir.appendingPathComponent("knowledge.sqlite").path
        let train = examples.appendingPathComponent("iris/train.csv").path
        let fit = try MLForgeBinary.run(["fit", train, "--target", "species", "--time", "3", "--trials", "4", "--knowledge", kb,
                                         "--out", dir.appendingPathComponent("model").path])
        #expect(fit.status == 0, "\(fit.stderr)")
        #expect(fit.stderr.contains("trials added to the knowledge base"), "\(fit.stderr)")
        let show = try MLForgeBinary.run(["meta", "show", "--knowledge", kb])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("fit: 1 datasets (1 multiclass)"), "\(show.stdout)")
        let before = try Data(contentsOf: URL(fileURLWithPath: kb))
        let quiet = try MLForgeBinary.run(["fit", train, "--target", "species", "--time", "3", "--trials", "4", "--no-learn",
                                           "--out", dir.appendingPathComponent("model").path], environment: ["MLFORGE_KNOWLEDGE": kb])
        #expect(quiet.status == 0, "\(quiet.stderr)")
        #expect(!quiet.stderr.contains("knowledge base"), "\(quiet.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: kb)) == before)
        // The manifest records what the fit took from the shipped prior.
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("model/manifest.json"))) as? [String: Any])
        let prior = try #require(manifest["prior"] as? [String: Any])
        #expect(prior["prior"] is String && prior["entries"] is [String: Any], "\(prior)")
        #expect((manifest["metaFeatures"] as? [String: Any])?["rows"] as? Int == 112)
    }

    @Test("meta build and meta prior on a small corpus; the prior runs a fit; bad input is refused with a clear message")
    func buildPriorAndErrors() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let kb = dir.appendingPathComponent("corpus.sqlite").path
        let build = try MLForgeBinary.run(["meta", "build", "--corpus", examples.path, "--out", kb, "--only", "iris",
                                           "--seconds-per-configuration", "0.5", "--max-rows", "100"])
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stderr.contains("[1/1] iris:"), "\(build.stderr)")
        let again = try MLForgeBinary.run(["meta", "build", "--corpus", examples.path, "--out", kb, "--only", "iris"])
        #expect(again.stdout.contains("0 datasets measured (0 results), 1 already finished"), "\(again.stdout)")
        let priorPath = dir.appendingPathComponent("prior.json").path
        let prior = try MLForgeBinary.run(["meta", "prior", "--knowledge", kb, "--out", priorPath])
        #expect(prior.status == 0, "\(prior.stderr)")
        #expect(prior.stdout.contains("prior of 1 datasets"), "\(prior.stdout)")
        let fit = try MLForgeBinary.run(["fit", examples.appendingPathComponent("iris/train.csv").path, "--target", "species",
                                         "--time", "3", "--trials", "4", "--prior", priorPath, "--out", dir.appendingPathComponent("m").path])
        #expect(fit.status == 0, "\(fit.stderr)")
        #expect(fit.stderr.contains("nearest known: corpus:iris"), "\(fit.stderr)")
        // The base was built at --max-rows 100: its validated rows are drawn again at that cap.
        let constants = try MLForgeBinary.run(["meta", "evaluate", "--knowledge", kb, "--corpus", examples.path, "--ensemble", "--folds", "2"])
        #expect(constants.status == 0, "\(constants.stderr)")
        #expect(constants.stdout.contains("held-out mean normalised score of the ensemble (1 datasets")
                && constants.stdout.contains("* rounds 40"), "\(constants.stdout)")

        let cases: [([String], String)] = [
            (["meta", "build", "--corpus", dir.appendingPathComponent("none").path, "--out", kb], "does not exist"),
            (["meta", "build", "--corpus", examples.path, "--out", kb, "--only", "nosuch"], "has no dataset 'nosuch'"),
            (["meta", "prior", "--knowledge", dir.appendingPathComponent("none.sqlite").path, "--out", priorPath], "does not exist"),
            (["meta", "show", "--knowledge", dir.appendingPathComponent("none.sqlite").path], "no knowledge base"),
            (["meta", "evaluate", "--knowledge", kb, "--ensemble"], "--ensemble needs --corpus"),
            (["fit", examples.appendingPathComponent("iris/train.csv").path, "--target", "species", "--no-learn", "--knowledge", kb,
              "--out", dir.appendingPathComponent("x").path], "contradict"),
            (["fit", examples.appendingPathComponent("iris/train.csv").path, "--target", "species", "--prior", kb,
              "--out", dir.appendingPathComponent("x").path], "the prior cannot be read"),
        ]
        for (arguments, message) in cases {
            let r = try MLForgeBinary.run(arguments)
            #expect(r.status == 1 && r.stderr.contains(message), "\(arguments): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x").path), "nothing written by a refused fit")
    }
}
