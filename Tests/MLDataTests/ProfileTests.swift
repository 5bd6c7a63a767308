import MLData
import Testing
import TestSupport

@Suite("Profile and task inference")
struct ProfileTests {
    func numeric(_ values: [Double], name: String = "y") -> Column { Column(name: name, storage: .double(values)) }

    @Test("The task rules: text, fractions, two values, few whole numbers (classes, or asked over few rows), many whole numbers")
    func rules() throws {
        let text = Column(name: "y", storage: .categorical(codes: [0, 1, 2, 0], levels: ["a", "b", "c"]))
        #expect(try TaskInference.decide(target: text).task == .multiclass)
        let two = Column(name: "y", storage: .categorical(codes: [0, 1, -1], levels: ["no", "yes"]))
        #expect(try TaskInference.decide(target: two).task == .binary)
        #expect(try TaskInference.decide(target: numeric([1.5, 2, 3])).task == .regression)
        #expect(try TaskInference.decide(target: numeric([0, 1, 1, 0])).task == .binary)
        // Six whole numbers over 100 rows: taken as six classes, and flagged as an assumption.
        let few = try TaskInference.decide(target: numeric((0..<100).map { Double($0 % 6) }))
        #expect(few.task == .multiclass && few.isAssumption && few.distinctValues == 6)
        #expect(few.reason.contains("--task regression"))
        #expect(try TaskInference.decide(target: numeric((0..<100).map { Double($0 % 6) }), override: .regression).task == .regression)
        // Twenty values need a hundred rows; one row fewer and the caller must choose.
        let twenty = (0..<100).map { Double($0 % 20) }
        #expect(try TaskInference.decide(target: numeric(twenty)).task == .multiclass)
        let tooFew = try TaskInference.decide(target: numeric(Array(twenty.dropLast())))
        #expect(tooFew.needsChoice && tooFew.distinctValues == 20 && !tooFew.isAssumption)
        #expect(try TaskInference.decide(target: numeric(Array(twenty.dropLast())), override: .multiclass).task == .multiclass)
        // Twenty-one whole numbers are amounts, however many rows.
        #expect(try TaskInference.decide(target: numeric((0..<1000).map { Double($0 % 21) })).task == .regression)
        #expect(try TaskInference.decide(target: numeric((0..<100).map(Double.init))).task == .regression)
        let flags = Column(name: "y", storage: .boolean([1, 0, 1]))
        #expect(try TaskInference.decide(target: flags).task == .binary)
    }

    @Test("Target errors: all missing, a single class, regression on text, binary with three classes")
    func targetErrors() {
        #expect(throws: DataError.targetAllMissing(column: "y")) { try TaskInference.decide(target: numeric([.nan, .nan])) }
        #expect(throws: DataError.targetAllMissing(column: "y")) { try TaskInference.decide(target: Column(name: "y", storage: .missing(count: 3))) }
        #expect(throws: DataError.targetSingleClass(column: "y", level: "4")) { try TaskInference.decide(target: numeric([4, 4, .nan])) }
        let text = Column(name: "y", storage: .categorical(codes: [0, 1, 2], levels: ["a", "b", "c"]))
        #expect(throws: DataError.targetNotNumeric(column: "y")) { try TaskInference.decide(target: text, override: .regression) }
        #expect(throws: DataError.self) { try TaskInference.decide(target: text, override: .binary) }
    }

    @Test("Column profiles: missing share, distinct, constant, identifier, numeric summary, duplicates")
    func columns() throws {
        let text = "id,c,x,k,y\n" + (0..<40).map { i in
            "id\(i),same,\(i % 4 == 0 ? "" : String(i % 5)),\(i % 2 == 0 ? "a" : "b"),\(i % 2)"
        }.joined(separator: "\n") + "\nid0,same,,a,0\nid0,same,,a,0\n"
        let frame = try CSVReader.read(text: text)
        let p = try DatasetProfile(frame: frame, target: "y")
        #expect(p.rows == 42)
        #expect(p.duplicateRows == 2)
        let byName = Dictionary(uniqueKeysWithValues: p.columns.map { ($0.name, $0) })
        #expect(byName["c"]?.isConstant == true)
        #expect(byName["id"]?.looksLikeIdentifier == false)  // id0 repeats
        #expect(byName["x"]?.missing == 12)
        #expect(abs((byName["x"]?.missingShare ?? 0) - 12.0 / 42) < 1e-12)
        #expect(byName["x"]?.numeric?.wholeNumbers == true)
        #expect(byName["x"]?.distinct == 5)
        #expect(byName["k"]?.topLevels?.first?.level == "a")
        #expect(byName["k"]?.topLevels?.first?.count == 22)
        #expect(p.target?.decision.task == .binary)
        #expect(p.target?.classes?.map(\.level) == ["0", "1"])
        let ids = try DatasetProfile(frame: try CSVReader.read(text: "id,v\n" + (0..<30).map { "u\($0),1" }.joined(separator: "\n")))
        #expect(ids.columns[0].looksLikeIdentifier)
    }
}
