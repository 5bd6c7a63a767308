import Foundation
import Testing
import TestSupport

/// `mlforge distill` end to end on the bundled titanic example, and its refusals.
@Suite("mlforge distill", .serialized)
struct DistillCommandTests {
    let examples = Fixtures.repositoryRoot.appendingPathComponent("examples")

    @Test("a fitted model distilled into an xgboost student: a normal model folder that predicts, whose manifest names its teacher")
    func endToEnd() throws {
        let dir = Fixtures.scratch.appendingPathComponent("mlforge-distill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let train = examples.appendingPathComponent("titanic/train.csv").path, test = examples.appendingPathComponent("titanic/test.csv").path
        let teacher = dir.appendingPathComponent("teacher").path, student = dir.appendingPathComponent("student").path
        let fit = try MLForgeBinary.run(["fit", train, "--target", "survived", "--time", "4", "--out", teacher, "--no-learn", "--no-card"])
        #expect(fit.status == 0, "\(fit.stderr)")
        let started = Date()
        let distill = try MLForgeBinary.run(["distill", teacher, train, "--student", "xgboost", "--max-params", "20000",
                                             "--time", "5", "--out", student, "--test", test])
        let took = Date().timeIntervalSince(started)
        #expect(distill.status == 0, "\(distill.stderr)")
        #expect(took <= 1.05 * 5 + 1, "the 5 s budget was overrun: \(took) s; its log:\n\(distill.stderr)")
        #expect(distill.stderr.contains("distillation: the teacher"), "\(distill.stderr)")
        #expect(distill.stdout.contains("agreement with the teacher on the validation rows"), "\(distill.stdout)")
        #expect(distill.stdout.contains("test: accuracy"), "\(distill.stdout)")
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: student).appendingPathComponent("manifest.json"))) as? [String: Any])
        let record = try #require(manifest["distillation"] as? [String: Any])
        #expect(record["teacher"] as? String == teacher)
        #expect(record["sampler"] as? String == "munge")
        let members = try #require(manifest["members"] as? [[String: Any]])
        #expect(members.count == 1 && members[0]["family"] as? String == "xgboost")
        #expect(FileManager.default.fileExists(atPath: student + "/card.html"))
        let predict = try MLForgeBinary.run(["predict", student, test])
        #expect(predict.status == 0 && predict.stdout.hasPrefix("survived\n"), "\(predict.stderr)")

        // --speedup 10: the student's measured cost per row is at most a tenth of the teacher's.
        let fast = dir.appendingPathComponent("fast").path
        let quick = try MLForgeBinary.run(["distill", teacher, train, "--student", "xgboost", "--sampler", "resample", "--speedup", "10",
                                           "--time", "5", "--out", fast, "--no-card"])
        #expect(quick.status == 0, "\(quick.stderr)")
        let limitLine = try #require(quick.stderr.split(separator: "\n").first { $0.contains("the student must predict a row within") }, "\(quick.stderr)")
        // "[  0.0 s] the student must predict a row within L ms: the teacher's T ms / 10"
        let numbers = try #require(limitLine.components(separatedBy: "within ").last).split(separator: " ").compactMap { Double($0) }
        let (limit, teacherMs) = (try #require(numbers.first), try #require(numbers.dropFirst().first))
        #expect(abs(limit - teacherMs / 10) <= 1e-3 * teacherMs, "\(limitLine)")
        let board = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: fast).appendingPathComponent("leaderboard.json"))) as? [String: Any])
        let entries = try #require(board["entries"] as? [[String: Any]])
        let kept = try #require(entries.first { ($0["weight"] as? Double ?? 0) > 0 })
        let studentMs = try #require(kept["predictMsPer1000"] as? Double) / 1000
        #expect(studentMs <= limit * 1.0001, "student \(studentMs) ms per row against the limit \(limit)")

        // Refusals: a clear reason, exit 1, and the student folder left as it was.
        let before = try Data(contentsOf: URL(fileURLWithPath: student).appendingPathComponent("manifest.json"))
        let refusals: [([String], String)] = [
            (["--student", "tree"], "unknown student family 'tree'"),
            (["--student", "knn"], "cannot learn a teacher's class probabilities"),
            (["--student", "mlp", "--sampler", "smote"], "unknown sampler 'smote'"),
            (["--student", "mlp", "--max-params", "0"], "--max-params must be at least 1"),
            (["--student", "mlp", "--speedup", "0.5"], "--speedup must be at least 1"),
        ]
        for (arguments, message) in refusals {
            let r = try MLForgeBinary.run(["distill", teacher, train, "--time", "3", "--out", student] + arguments)
            #expect(r.status == 1 && r.stderr.contains(message), "\(arguments): \(r.stderr)")
        }
        let sameFolder = try MLForgeBinary.run(["distill", teacher, train, "--student", "mlp", "--out", teacher])
        #expect(sameFolder.status == 1 && sameFolder.stderr.contains("the teacher's folder"), "\(sameFolder.stderr)")
        let iris = try MLForgeBinary.run(["distill", teacher, examples.appendingPathComponent("iris/train.csv").path, "--student", "mlp", "--out", student])
        #expect(iris.status == 1 && iris.stderr.contains("survived"), "\(iris.stderr)")
        let noTeacher = try MLForgeBinary.run(["distill", dir.appendingPathComponent("nothing").path, train, "--student", "mlp", "--out", student])
        #expect(noTeacher.status == 1 && noTeacher.stderr.contains("does not exist"), "\(noTeacher.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: student).appendingPathComponent("manifest.json")) == before)
    }
}
