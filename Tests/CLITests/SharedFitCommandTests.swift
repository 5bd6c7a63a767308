import Foundation
import Search
import Store
import Testing
import TestSupport

/// `mlforge fit --storage URL --study NAME` with `mlforge worker` processes on the same PostgreSQL study:
/// the model ensembles every process's trials, workers that die or join late are harmless, a killed
/// coordinator resumes, and what cannot work is refused with the reason.
@Suite("Shared fit: coordinator and workers", .serialized, .enabled(if: TestPostgres.runnable, TestPostgres.needsServer))
struct SharedFitCommandTests {
    let train = Fixtures.repositoryRoot.appendingPathComponent("examples/titanic/train.csv").path
    let test = Fixtures.repositoryRoot.appendingPathComponent("examples/titanic/test.csv").path

    /// A process of the mlforge binary running in the background, its output going to a file.
    final class Background {
        let process = Process()
        let log: URL
        init(_ arguments: [String]) throws {
            log = Fixtures.scratch.appendingPathComponent("mlforge-shared-\(UUID().uuidString).log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            process.executableURL = MLForgeBinary.url
            process.arguments = arguments
            var env = ProcessInfo.processInfo.environment
            env["MLFORGE_KNOWLEDGE"] = MLForgeBinary.scratchKnowledge().path
            process.environment = env
            process.standardOutput = handle
            process.standardError = handle
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }
        var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
        /// Waits until the output contains `text` (or the process ends, or `seconds` pass); true when it does.
        func awaitOutput(_ text: String, seconds: Double = 60) -> Bool {
            let giveUp = Date().addingTimeInterval(seconds)
            while !output.contains(text) && process.isRunning && Date() < giveUp { usleep(20_000) }
            return output.contains(text)
        }
        func wait() -> Int32 {
            process.waitUntilExit()
            return process.terminationStatus
        }
        deinit {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            try? FileManager.default.removeItem(at: log)
        }
    }

    func folder(_ name: String) throws -> URL {
        let dir = Fixtures.scratch.appendingPathComponent("mlforge-shared-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    func leaderboard(_ model: URL) throws -> [[String: Any]] {
        let board = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: model.appendingPathComponent("leaderboard.json"))) as? [String: Any])
        return try #require(board["entries"] as? [[String: Any]])
    }

    /// Every trial of the family study ended at most once, and every trial started ended.
    func expectEndedOnce(_ url: String, study: String) throws {
        let store = try PostgresTrialStore(url: url, study: study)
        defer { store.close() }
        let events = try store.eventLog()
        var ends: [Int: Int] = [:]
        for e in events { if case .finished(let n, _, _, _, _) = e { ends[n, default: 0] += 1 } }
        #expect(ends.values.allSatisfy { $0 == 1 }, "a trial of \(study) ended twice: \(ends.filter { $0.value > 1 })")
        #expect(try store.records().allSatisfy { $0.state != .running }, "a trial of \(study) is still running")
    }

    func host() -> String { ProcessInfo.processInfo.hostName }

    @Test("A coordinator and two workers: one model from every process's trials, each trial ended once; nas too")
    func coordinatorAndWorkers() throws {
        let url = try TestPostgres.requireURL()
        let study = TestPostgres.uniqueStudy("fit")
        let dir = try folder("fit")
        defer { try? FileManager.default.removeItem(at: dir) }
        // Workers may start first: they wait for the coordinator. The coordinator starts once both are
        // connected and waiting, so that a loaded machine's slow process start cannot make a worker miss the search.
        let workers = try (0..<2).map { _ in try Background(["worker", "--storage", url, "--study", study, "--jobs", "1"]) }
        for w in workers { #expect(w.awaitOutput("waiting for a coordinator"), "\(w.output)") }
        let model = dir.appendingPathComponent("model")
        let fit = try MLForgeBinary.run(["fit", train, "--target", "survived", "--time", "8", "--jobs", "1", "--storage", url, "--study", study,
                                         "--out", model.path, "--no-learn", "--test", test])
        #expect(fit.status == 0, "\(fit.stderr)")
        #expect(fit.stdout.contains("test: accuracy"))
        #expect(fit.stderr.contains("trials from other processes collected"), "\(fit.stderr)")
        for w in workers {
            #expect(w.wait() == 0, "\(w.output)")
            #expect(w.output.contains("ended: this worker ran"), "\(w.output)")
        }
        let entries = try leaderboard(model)
        let processes = Set(entries.compactMap { $0["worker"] as? String })
        #expect(processes.count == 3, "trials from the coordinator and both workers: \(processes)")
        let numbers = entries.compactMap { $0["trial"] as? Int }
        #expect(Set(numbers).count == numbers.count, "trial numbers are unique in the leaderboard")
        for family in ["xgboost", "random_forest", "linear", "knn", "mlp"] { try expectEndedOnce(url, study: "\(study)/\(family)") }
        let predictions = dir.appendingPathComponent("p.csv").path
        let predict = try MLForgeBinary.run(["predict", model.path, test, "--out", predictions])
        #expect(predict.status == 0, "\(predict.stderr)")

        // Architecture search the same way, with one worker.
        let nasStudy = TestPostgres.uniqueStudy("nas")
        let nasWorker = try Background(["worker", "--storage", url, "--study", nasStudy, "--jobs", "1"])
        #expect(nasWorker.awaitOutput("waiting for a coordinator"), "\(nasWorker.output)")
        let nasModel = dir.appendingPathComponent("nas")
        let nas = try MLForgeBinary.run(["nas", train, "--target", "survived", "--time", "6", "--jobs", "1", "--storage", url, "--study", nasStudy,
                                         "--out", nasModel.path, "--no-learn"])
        #expect(nas.status == 0, "\(nas.stderr)")
        #expect(nasWorker.wait() == 0, "\(nasWorker.output)")
        #expect(Set(try leaderboard(nasModel).compactMap { $0["worker"] as? String }).count == 2)
        #expect(FileManager.default.fileExists(atPath: nasModel.appendingPathComponent("nas/history.csv").path))
    }

    @Test("A worker killed with SIGKILL in the middle of a trial: its lease runs out, the trial runs again elsewhere and ends once")
    func killedWorker() throws {
        let url = try TestPostgres.requireURL()
        let study = TestPostgres.uniqueStudy("kill")
        let dir = try folder("kill")
        defer { try? FileManager.default.removeItem(at: dir) }
        let coordinator = try Background(["fit", train, "--target", "survived", "--time", "14", "--jobs", "1", "--families", "mlp",
                                          "--storage", url, "--study", study, "--lease-seconds", "2", "--out", dir.appendingPathComponent("model").path, "--no-learn"])
        let victim = try Background(["worker", "--storage", url, "--study", study, "--jobs", "1"])
        let survivor = try Background(["worker", "--storage", url, "--study", study, "--jobs", "1"])
        // Kill the victim while it holds a trial's lease (in the middle of fitting it), after its first trials.
        let mlp = try PostgresTrialStore(url: url, study: "\(study)/mlp")
        defer { mlp.close() }
        let prefix = "\(host()):\(victim.process.processIdentifier):"
        var holding = false
        let giveUp = Date().addingTimeInterval(30)
        while !holding && Date() < giveUp {
            if victim.output.components(separatedBy: "trial ").count > 3 {
                holding = try mlp.leases().contains { $0.worker.hasPrefix(prefix) }
            }
            if !holding { usleep(5_000) }
        }
        #expect(holding, "the victim never held a trial: \(victim.output)")
        kill(victim.process.processIdentifier, SIGKILL)
        victim.process.waitUntilExit()
        // The trial it held when it died, read after the kill: on a loaded machine it may have ended the
        // trial seen above and claimed the next one between that look and the signal.
        let trial = try #require(try mlp.leases().first { $0.worker.hasPrefix(prefix) }?.number,
                                 "the victim died between two trials: \(victim.output)")
        #expect(coordinator.wait() == 0, "\(coordinator.output)")
        #expect(survivor.wait() == 0, "\(survivor.output)")
        let events = try mlp.eventLog()
        #expect(events.contains { if case .requeued(trial, _, _) = $0 { return true } else { return false } },
                "the killed worker's trial \(trial) went back to the queue")
        let record = try #require(try mlp.records().first { $0.number == trial })
        #expect(record.state.hasEnded, "trial \(trial) ran again and ended (\(record.state))")
        try expectEndedOnce(url, study: "\(study)/mlp")
    }

    @Test("A coordinator killed with SIGKILL, started again with --resume: the model holds the first run's trials too")
    func coordinatorResumes() throws {
        let url = try TestPostgres.requireURL()
        let study = TestPostgres.uniqueStudy("resume")
        let dir = try folder("resume")
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("model")
        let first = try Background(["fit", train, "--target", "survived", "--time", "60", "--jobs", "1", "--families", "xgboost,linear",
                                    "--storage", url, "--study", study, "--lease-seconds", "2", "--out", model.path, "--no-learn"])
        let xgb = try PostgresTrialStore(url: url, study: "\(study)/xgboost")
        defer { xgb.close() }
        let giveUp = Date().addingTimeInterval(30)
        while (try xgb.records().filter { $0.state == .complete }.count) < 5 && Date() < giveUp { usleep(20_000) }
        kill(first.process.processIdentifier, SIGKILL)
        _ = first.wait()
        let firstWorker = "\(host()):\(first.process.processIdentifier):"
        let again = try MLForgeBinary.run(["fit", train, "--target", "survived", "--time", "6", "--jobs", "1", "--families", "xgboost,linear",
                                           "--storage", url, "--study", study, "--lease-seconds", "2", "--resume", "--out", model.path, "--no-learn"])
        #expect(again.status == 0, "\(again.stderr)")
        let processes = Set(try leaderboard(model).compactMap { $0["worker"] as? String })
        #expect(processes.contains { $0.hasPrefix(firstWorker) }, "the first run's trials are in the model's leaderboard: \(processes)")
        #expect(processes.count == 2)
        try expectEndedOnce(url, study: "\(study)/xgboost")
    }

    @Test("Refused with the reason: a second coordinator, other data, no coordinator, a finished study, a changed resume, half the options")
    func refusals() throws {
        let url = try TestPostgres.requireURL()
        let study = TestPostgres.uniqueStudy("refuse")
        let dir = try folder("refuse")
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("model").path
        let first = try Background(["fit", train, "--target", "survived", "--time", "6", "--jobs", "1", "--families", "linear",
                                    "--storage", url, "--study", study, "--out", model, "--no-learn"])
        // Wait until it holds the study (its workers could join).
        let runStore = try PostgresTrialStore(url: url, study: study)
        defer { runStore.close() }
        let giveUp = Date().addingTimeInterval(30)
        while try runStore.attribute("spec") == nil && Date() < giveUp { usleep(20_000) }
        let second = try MLForgeBinary.run(["fit", train, "--target", "survived", "--time", "3", "--storage", url, "--study", study,
                                            "--out", dir.appendingPathComponent("other").path, "--no-learn"])
        #expect(second.status == 1 && second.stderr.contains("another coordinator is running the study"), "\(second.stderr)")
        #expect(first.wait() == 0, "\(first.output)")

        // A worker with another file.
        let other = dir.appendingPathComponent("other.csv").path
        let lines = try String(contentsOfFile: train, encoding: .utf8).split(separator: "\n")
        try (lines.dropLast().joined(separator: "\n") + "\n").write(toFile: other, atomically: true, encoding: .utf8)
        let wrongData = try MLForgeBinary.run(["worker", "--storage", url, "--study", study, "--data", other])
        #expect(wrongData.status == 1 && wrongData.stderr.contains("is not the study's data"), "\(wrongData.stderr)")
        // The same file after the study ended: nothing to do.
        let late = try MLForgeBinary.run(["worker", "--storage", url, "--study", study])
        #expect(late.status == 0 && late.stdout.contains("has ended"), "\(late.stdout) \(late.stderr)")
        // No coordinator.
        let alone = try MLForgeBinary.run(["worker", "--storage", url, "--study", TestPostgres.uniqueStudy("none"), "--wait", "0.3"])
        #expect(alone.status == 1 && alone.stderr.contains("no coordinator has started"), "\(alone.stderr)")
        // A study that holds a search, without --resume; --resume with another target; --resume of nothing.
        let again = try MLForgeBinary.run(["fit", train, "--target", "survived", "--time", "3", "--storage", url, "--study", study, "--out", model, "--no-learn"])
        #expect(again.status == 1 && again.stderr.contains("already holds a search; give --resume"), "\(again.stderr)")
        let changed = try MLForgeBinary.run(["fit", train, "--target", "sex", "--time", "3", "--storage", url, "--study", study, "--resume", "--out", model, "--no-learn"])
        #expect(changed.status == 1 && changed.stderr.contains("target 'survived' → 'sex'"), "\(changed.stderr)")
        let nothing = try MLForgeBinary.run(["fit", train, "--target", "survived", "--time", "3", "--storage", url, "--study", TestPostgres.uniqueStudy("fresh"),
                                             "--resume", "--out", model, "--no-learn"])
        #expect(nothing.status == 1 && nothing.stderr.contains("nothing to resume"), "\(nothing.stderr)")
        // Half the options, and a bad address.
        let half = try MLForgeBinary.run(["fit", train, "--target", "survived", "--storage", url, "--out", model])
        #expect(half.status == 1 && half.stderr.contains("--storage needs --study"), "\(half.stderr)")
        let worker = try MLForgeBinary.run(["worker", "--study", study])
        #expect(worker.status == 1 && worker.stderr.contains("needs --storage"), "\(worker.stderr)")
        let badURL = try MLForgeBinary.run(["fit", train, "--target", "survived", "--storage", "mysql://x", "--study", "s", "--out", model])
        #expect(badURL.status == 1, "\(badURL.stderr)")
    }
}
