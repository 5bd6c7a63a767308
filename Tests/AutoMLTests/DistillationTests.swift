import AutoML
import Foundation
import Learners
import MLData
import Support
import Testing
import TestSupport

/// Distillation: synthetic rows (MUNGE and resampling), the teacher's labels in the plan's folds, and a
/// teacher distilled into a small student end to end.
@Suite struct DistillationTests {
    /// A binary task with a curved boundary over three numbers and a category, with 10% label noise.
    static func table(rows n: Int, seed: UInt64) throws -> DataFrame {
        var rng = SeededGenerator(seed: seed)
        var a: [Double] = [], b: [Double] = [], c: [Double] = [], g: [Int32] = [], y: [Int32] = []
        for _ in 0..<n {
            let x1 = rng.unitDouble() * 4 - 2, x2 = rng.unitDouble() * 4 - 2, x3 = rng.unitDouble()
            let group = Int32(rng.uniform(below: 3))
            var positive = x1 * x1 + x2 - 1 + (group == 2 ? 0.8 : 0) > 0
            if rng.unitDouble() < 0.1 { positive.toggle() }
            a.append(x1); b.append(x2); c.append(x3); g.append(group); y.append(positive ? 1 : 0)
        }
        return try DataFrame(columns: [
            Column(name: "a", storage: .double(a)), Column(name: "b", storage: .double(b)), Column(name: "c", storage: .double(c)),
            Column(name: "group", storage: .categorical(codes: g, levels: ["north", "south", "west"])),
            Column(name: "label", storage: .categorical(codes: y, levels: ["no", "yes"])),
        ])
    }

    /// The frame as a CSV file (its values hold no commas).
    static func write(_ frame: DataFrame, to path: String) throws {
        var text = frame.columnNames.joined(separator: ",") + "\n"
        for r in 0..<frame.rowCount { text += frame.columns.map { $0.text(r) ?? "" }.joined(separator: ",") + "\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test("MUNGE rows take each category from the row or its nearest neighbour, numbers near the neighbour's; the target stays empty")
    func munge() throws {
        let table = try Self.table(rows: 300, seed: 1)
        let made = SyntheticRows.make(from: table, target: "label", count: 900, sampler: .munge, seed: 5)
        #expect(made.frame.rowCount == 900 && made.sources.count == 900)
        #expect(made.frame.columnNames == table.columnNames)
        #expect(made.frame["label"]!.missingCount == 900)
        let group = table["group"]!, madeGroup = made.frame["group"]!
        let a = table["a"]!.doubles!, madeA = made.frame["a"]!.doubles!
        var fromNeighbour = 0, changedNumbers = 0
        for (i, source) in made.sources.enumerated() {
            #expect(source.count == 2)
            #expect(source.contains { group.text($0) == madeGroup.text(i) })
            // A number is the seed's own, or drawn around the neighbour's with σ = |a − b| / 2: within
            // 5σ of the neighbour's value.
            let (p, q) = (a[source[0]], a[source[1]])
            if madeA[i] != p && madeA[i] != q {
                changedNumbers += 1
                #expect(min(abs(madeA[i] - p), abs(madeA[i] - q)) <= 2.5 * abs(p - q) + 1e-12)
            }
            if madeA[i] != p || madeA[i] != q { fromNeighbour += 1 }
        }
        #expect(changedNumbers > 200, "about half the rows draw a new number: \(changedNumbers)")
        // The same seed makes the same rows.
        #expect(SyntheticRows.make(from: table, target: "label", count: 900, sampler: .munge, seed: 5).frame == made.frame)
    }

    @Test("each row's nearest neighbour counts standardised numbers and differing categories")
    func neighbours() throws {
        let table = try DataFrame(columns: [
            Column(name: "x", storage: .double([0, 0.1, 5, 5.2, 9])),
            Column(name: "k", storage: .categorical(codes: [0, 1, 0, 0, 1], levels: ["p", "q"])),
        ])
        let n = SyntheticRows.nearestNeighbours(table, inputs: [0, 1], rows: [0, 1, 2, 3, 4], policy: .standard, seed: 0)
        // Rows 0 and 1 are close in x but differ in k (distance 1 plus a little); row 2 is far in x.
        #expect(n[0] == 1 && n[1] == 0 && n[2] == 3 && n[3] == 2 && n[4] == 3)
    }

    @Test("resampled rows take every value from the table's column, and may train every fold")
    func resample() throws {
        let table = try Self.table(rows: 100, seed: 2)
        let made = SyntheticRows.make(from: table, target: "label", count: 250, sampler: .resample, seed: 3)
        #expect(made.frame.rowCount == 250 && made.sources.allSatisfy(\.isEmpty))
        let known = Set(table["a"]!.doubles!)
        #expect(made.frame["a"]!.doubles!.allSatisfy(known.contains))
        #expect(SyntheticRows.make(from: table, target: "label", count: 250, sampler: .none, seed: 3).frame.rowCount == 0)
    }

    @Test("a synthetic row trains only the folds whose training rows hold all its sources; the teacher's classes are put in the table's order")
    func foldsAndClasses() throws {
        let table = try Self.table(rows: 10, seed: 4)
        let synthetic = SyntheticRows.make(from: table, target: "label", count: 3, sampler: .resample, seed: 1).frame
        // The teacher lists its classes the other way round: its probabilities are reordered.
        let probabilities = (0..<10).flatMap { r in [0.1 * Double(r), 1 - 0.1 * Double(r)] }
        let labels = TeacherLabels(table: .probabilities(probabilities, classes: 2), classes: ["yes", "no"], synthetic: synthetic,
                                   syntheticPredictions: .probabilities([0.9, 0.1, 0.2, 0.8, 0.5, 0.5], classes: 2), sources: [[0, 1], [2], []])
        // Row 3 of the input has no target: the plan keeps the others.
        let kept = [0, 1, 2, 4, 5, 6, 7, 8, 9]
        let targets = try TeacherTargets(labels, keptRows: kept, input: table, classes: ["no", "yes"], task: .binary)
        #expect(targets.syntheticRows(within: [0, 1, 2]) == [0, 1, 2])
        #expect(targets.syntheticRows(within: [0, 2]) == [1, 2])
        #expect(targets.syntheticRows(within: [3, 4]) == [2])
        let part = try targets.training(table.selecting(rows: kept), target: .classes(Array(repeating: 1, count: 9), classCount: 2), rows: [0, 3], fold: 0)
        #expect(part.frame.rowCount == 3)  // plan rows 0 and 3 (input rows 0 and 4) and the synthetic row made from none
        #expect(part.soft == [1.0, 0.0, 0.6, 0.4, 0.5, 0.5])
        #expect(part.target == .classes([0, 0, 0], classCount: 2))
        #expect(throws: AutoMLError.self) {
            try TeacherTargets(labels, keptRows: kept, input: table, classes: ["no", "maybe"], task: .binary)
        }
    }

    @Test("a teacher ensemble distilled into an MLP: one small model that agrees with the teacher on most new rows, its manifest naming the teacher")
    func endToEnd() throws {
        let dir = Fixtures.scratch.appendingPathComponent("mlforge-distill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let train = try Self.table(rows: 800, seed: 10), test = try Self.table(rows: 400, seed: 11)
        let trainPath = dir.appendingPathComponent("train.csv").path
        try Self.write(train, to: trainPath)
        var options = AutoMLOptions()
        options.budget = .seconds(20)
        options.families = [.xgboost, .randomForest, .knn]
        options.maxTrials = 9
        options.seed = 1
        options.knowledge = nil
        let teacher = try AutoML.fitSynchronously(train, target: "label", options: options)
        let teacherFolder = dir.appendingPathComponent("teacher")
        try teacher.save(to: teacherFolder)

        var distillation = Distillation(teacher: teacherFolder, dataPath: trainPath, output: dir.appendingPathComponent("student"), student: .mlp)
        distillation.budget = .seconds(20)
        distillation.maxTrials = 4
        distillation.seed = 2
        distillation.threads = 2
        let student = try distillation.run()
        let record = try #require(student.distillation)
        #expect(record.teacher == teacherFolder.path && record.sampler == .munge && record.tableRows == 800)
        #expect(record.syntheticRows > 0 && record.syntheticRows <= 3200)
        #expect(record.teacherMembers == teacher.members.map(\.summary))
        #expect((record.agreement ?? 0) > 0.85, "\(record)")

        let loaded = try AutoMLModel.load(from: dir.appendingPathComponent("student"))
        #expect(loaded.distillation == record)
        #expect(loaded.members.count == 1 && loaded.members[0].family == .mlp && loaded.members[0].modelCount == 1)
        let same = zip(try loaded.predictLabels(test), try teacher.predictLabels(test)).filter { $0 == $1 }.count
        #expect(Double(same) / 400 > 0.85, "the student gives the teacher's class on \(same) of 400 new rows")
        func bytes(_ folder: URL) throws -> Int {
            let members = folder.appendingPathComponent("members")
            let files = FileManager.default.enumerator(at: members, includingPropertiesForKeys: [.fileSizeKey])!
            return try files.compactMap { $0 as? URL }.reduce(0) { $0 + (try $1.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0) }
        }
        #expect(try bytes(dir.appendingPathComponent("student")) < bytes(teacherFolder))
        #expect((try loaded.evaluate(test)["accuracy"] ?? 0) > 0.75)
    }

    @Test("a student family that cannot learn class probabilities is refused, with the ones that can")
    func refusesKNN() throws {
        let dir = Fixtures.scratch.appendingPathComponent("mlforge-distill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let train = try Self.table(rows: 200, seed: 3)
        var options = AutoMLOptions()
        options.families = [.linear]
        options.maxTrials = 1
        options.knowledge = nil
        try AutoML.fitSynchronously(train, target: "label", options: options).save(to: dir.appendingPathComponent("teacher"))
        try Self.write(train, to: dir.appendingPathComponent("train.csv").path)
        let knn = Distillation(teacher: dir.appendingPathComponent("teacher"), dataPath: dir.appendingPathComponent("train.csv").path,
                               output: dir.appendingPathComponent("student"), student: .knn)
        #expect { try knn.run() } throws: { "\($0)".contains("cannot learn") && "\($0)".contains("mlp") }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("student").path))
    }
}
