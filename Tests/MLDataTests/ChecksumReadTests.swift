import Foundation
import MLData
import Testing
import TestSupport

@Suite("Reading with a checksum")
struct ChecksumReadTests {
    @Test("The CRC-32 computed while reading is the file's, also when the reader rewinds for a second pass")
    func checksumWhileReading() throws {
        let titanic = Fixtures.repositoryRoot.appendingPathComponent("examples/titanic/train.csv").path
        let (frame, crc) = try CSVReader.readWithChecksum(path: titanic)
        #expect(frame.rowCount == (try CSVReader.read(path: titanic)).rowCount)
        #expect(crc == CRC32.checksum([UInt8](try Data(contentsOf: URL(fileURLWithPath: titanic)))))

        // A column of numbers that turns to text after several 4 MiB chunks: the reader goes back over the
        // file for the rows read before, and those bytes must not be counted twice.
        var text = "id,code\n"
        for i in 0..<600_000 { text += "\(i),\(i % 97)\n" }
        text += "600000,x\n"
        let path = try Fixtures.temporaryPath("mlforge-checksum", file: "late-text.csv")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let (late, lateCRC) = try CSVReader.readWithChecksum(path: path)
        #expect(late.columns[1].type == .categorical, "the late text value makes the column categorical")
        #expect(lateCRC == CRC32.checksum(Array(text.utf8)))
    }
}
