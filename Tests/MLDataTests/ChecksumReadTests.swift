import Foundation
import MLData
import Support
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

    @Test("CRC-32 gives the standard check value, and the same value fed in pieces of any length")
    func knownValues() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        var rng = SeededGenerator(seed: 3)
        let bytes = (0..<1_000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        // The byte-at-a-time definition, against which the eight-byte steps are checked.
        var reference: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            reference ^= UInt32(b)
            for _ in 0..<8 { reference = reference & 1 != 0 ? 0xEDB8_8320 ^ (reference >> 1) : reference >> 1 }
        }
        reference ^= 0xFFFF_FFFF
        #expect(CRC32.checksum(bytes) == reference)
        for cut in [1, 3, 7, 8, 9, 500, 999] {
            var c = CRC32.start
            bytes.withUnsafeBufferPointer { b in
                c = CRC32.update(c, UnsafeBufferPointer(rebasing: b[..<cut]))
                c = CRC32.update(c, UnsafeBufferPointer(rebasing: b[cut...]))
            }
            #expect(CRC32.finish(c) == reference, "cut at \(cut)")
        }
    }
}
