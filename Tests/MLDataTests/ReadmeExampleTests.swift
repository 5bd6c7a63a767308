import Foundation
import MLData
import Testing
import TestSupport

@Suite("README example")
struct ReadmeExampleTests {
    /// The library example in README.md, line for line (with the path made absolute).
    @Test("The README's library example runs and gives sensible results")
    func readmeExample() throws {
        let path = Fixtures.repositoryRoot.appendingPathComponent("examples/titanic/train.csv").path
        let frame = try CSVReader.read(path: path)
        let profile = try DatasetProfile(frame: frame, target: "survived")

        var rng = SeededGenerator(seed: 42)
        let labels = try frame.column(named: "survived").categoricalView().codes.map(Int.init)
        let (train, test) = try Splits.holdout(count: frame.rowCount, testFraction: 0.25, stratify: labels, using: &rng)

        let (fitted, trainFeatures) = try Preprocessor().fitTransform(
            frame.selecting(rows: train), target: .classes(train.map { labels[$0] }, classCount: 2),
            excluding: ["survived"], using: &rng)
        let (testFeatures, report) = try fitted.transform(frame.selecting(rows: test))

        let majority = train.filter { labels[$0] == 1 }.count * 2 > train.count ? 1 : 0
        let accuracy = Metrics.accuracy(test.map { labels[$0] }, Array(repeating: majority, count: test.count))

        #expect(profile.target?.decision.task == .binary)
        #expect(train.count + test.count == 981 && abs(test.count - 245) <= 1)
        #expect(trainFeatures.rows == train.count && testFeatures.rows == test.count)
        #expect(trainFeatures.names == testFeatures.names)
        #expect(fitted.featureNames.contains("age(missing)"))
        #expect(report.unknownLevels.isEmpty)
        #expect(abs(accuracy - 0.618) < 0.01)  // the share of "died"
        // The README still shows this code.
        for line in [
            "let (train, test) = try Splits.holdout(count: frame.rowCount, testFraction: 0.25, stratify: labels, using: &rng)",
            "let (testFeatures, report) = try fitted.transform(frame.selecting(rows: test))",
            "let accuracy = Metrics.accuracy(test.map { labels[$0] }, Array(repeating: majority, count: test.count))",
        ] {
            #expect(README.contains(line), "README.md no longer shows: \(line)")
        }
    }

    var README: String {
        (try? String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
    }
}
