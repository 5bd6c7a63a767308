import Foundation
import MLData
import Testing
import TestSupport

@Suite("Malformed input corpus (library)")
struct MalformedCorpusTests {
    @Test("The corpus holds at least 40 files")
    func size() throws {
        #expect(try MalformedCase.all().count >= 40)
    }

    @Test("Every corpus file fails with a one-line message that says what is wrong", arguments: try MalformedCase.all())
    func rejects(_ c: MalformedCase) throws {
        do {
            let frame = try CSVReader.read(path: c.url.path, options: c.options)
            _ = try DatasetProfile(frame: frame, target: c.target, task: c.task.flatMap(TaskKind.init(rawValue:)))
            Issue.record("\(c.file) was accepted")
        } catch let error as DataError {
            #expect(error.description.contains(c.expect), "\(c.file): \(error.description)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test("A missing file and a directory are reported as such")
    func pathErrors() throws {
        #expect(throws: DataError.fileNotFound(path: "/no/such/file.csv")) { try CSVReader.read(path: "/no/such/file.csv") }
        let dir = FileManager.default.temporaryDirectory.path
        #expect(throws: DataError.isDirectory(path: dir)) { try CSVReader.read(path: dir) }
    }

    @Test("A record beyond the length limit is an error, not a hang or a crash")
    func recordLimit() throws {
        var options = CSVOptions()
        options.maxRecordBytes = 1 << 20
        let long = "a,b\n1," + String(repeating: "x", count: 3 << 20) + "\n"
        #expect(throws: DataError.recordTooLong(line: 2, limitBytes: 1 << 20, insideQuotes: false)) {
            try CSVReader.read(text: long, options: options)
        }
        let open = "a,b\n1,\"" + String(repeating: "y", count: 3 << 20)
        #expect(throws: DataError.recordTooLong(line: 2, limitBytes: 1 << 20, insideQuotes: true)) {
            try CSVReader.read(text: open, options: options)
        }
    }
}
