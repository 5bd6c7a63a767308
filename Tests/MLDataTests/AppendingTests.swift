import MLData
import Testing

/// `DataFrame.appending`: rows joined column by column, categories merged by their text.
@Suite struct AppendingTests {
    @Test("categories keep their text across different level lists; a missing column takes the other's type; Float and Double join as Double")
    func joins() throws {
        let a = try DataFrame(columns: [
            Column(name: "k", storage: .categorical(codes: [0, 1, -1], levels: ["b", "d"])),
            Column(name: "x", storage: .float([1, 2, 3])),
            Column(name: "m", storage: .missing(count: 3)),
            Column(name: "t", storage: .boolean([1, 0, -1])),
        ])
        let b = try DataFrame(columns: [
            Column(name: "k", storage: .categorical(codes: [1, 0], levels: ["a", "b"])),
            Column(name: "x", storage: .double([4, .nan])),
            Column(name: "m", storage: .categorical(codes: [0, -1], levels: ["z"])),
            Column(name: "t", storage: .missing(count: 2)),
        ])
        let joined = try a.appending(b)
        #expect(joined.rowCount == 5)
        #expect((0..<5).map { joined["k"]!.text($0) } == ["b", "d", nil, "b", "a"])
        #expect(joined["k"]!.storage == .categorical(codes: [1, 2, -1, 1, 0], levels: ["a", "b", "d"]))
        #expect(joined["x"]!.storage == .double([1, 2, 3, 4, .nan]))
        #expect((0..<5).map { joined["m"]!.text($0) } == [nil, nil, nil, "z", nil])
        #expect(joined["t"]!.storage == .boolean([1, 0, -1, -1, -1]))
    }

    @Test("different columns or types are refused with the reason")
    func refuses() throws {
        let a = try DataFrame(columns: [Column(name: "x", storage: .double([1]))])
        let b = try DataFrame(columns: [Column(name: "y", storage: .double([1]))])
        let c = try DataFrame(columns: [Column(name: "x", storage: .categorical(codes: [0], levels: ["q"]))])
        #expect { try a.appending(b) } throws: { "\($0)".contains("different columns") }
        #expect { try a.appending(c) } throws: { "\($0)".contains("'x' is numeric in one frame and categorical") }
    }
}
