import Foundation
import MLData
import Testing
import TestSupport

@Suite("CSV reader")
struct CSVReaderTests {
    func levels(_ c: Column) -> [String?] { (0..<c.count).map { c.text($0) } }

    @Test("RFC 4180 quoting: delimiters, doubled quotes and line breaks inside quoted fields")
    func quoting() throws {
        let csv = "name,note,n\n\"Smith, J\",\"said \"\"hi\"\"\",1\n\"multi\nline\",\"a\r\nb\",2\nplain,\"\",3\n"
        let f = try CSVReader.read(text: csv)
        #expect(f.rowCount == 3)
        #expect(levels(f.columns[0]) == ["Smith, J", "multi\nline", "plain"])
        #expect(levels(f.columns[1]) == ["said \"hi\"", "a\r\nb", nil])  // "" is the empty missing token
        #expect(f.columns[2].doubles == [1, 2, 3])
    }

    @Test("CRLF, lone CR, a missing final newline and a UTF-8 byte-order mark")
    func lineEndings() throws {
        let crlf = try CSVReader.read(text: "\u{FEFF}a,b\r\n1,x\r\n2,y")
        #expect(crlf.columnNames == ["a", "b"])
        #expect(crlf.columns[0].doubles == [1, 2])
        #expect(levels(crlf.columns[1]) == ["x", "y"])
        let cr = try CSVReader.read(text: "a,b\r1,x\r2,y\r")
        #expect(cr.rowCount == 2)
        #expect(levels(cr.columns[1]) == ["x", "y"])
    }

    @Test("Delimiter detection: comma, semicolon with decimal commas in quotes, tab")
    func delimiters() throws {
        let semi = try CSVReader.readWithReport(path: try temp("a;b;c\n1;\"2,5\";x\n3;4;y\n"))
        #expect(semi.report.delimiter == UInt8(ascii: ";"))
        #expect(semi.frame.columnNames == ["a", "b", "c"])
        let tab = try CSVReader.read(text: "a\tb\n1,5\t2\n")
        #expect(tab.columnNames == ["a", "b"])
        #expect(levels(tab.columns[0]) == ["1,5"])
        let comma = try CSVReader.read(text: "a,b\n\"x;y\",1\n")
        #expect(comma.columnNames == ["a", "b"])
    }

    @Test("Missing-value tokens, case-insensitive and trimmed")
    func missingTokens() throws {
        let f = try CSVReader.read(text: "x,y\n1,a\nNA,N/A\nnan,null\nNone,?\n ,b\n5,NULL\n")
        #expect(f.columns[0].type == .numeric)
        #expect(f.columns[0].missingCount == 4)
        #expect(f.columns[1].missingCount == 4)
        #expect(levels(f.columns[1]) == ["a", nil, nil, nil, "b", nil])
        var custom = CSVOptions()
        custom.missingTokens = ["-"]
        let g = try CSVReader.read(text: "x,y\n-,\"\"\n3,b\n", options: custom)
        #expect(g.columns[0].type == .numeric)
        #expect(g.columns[0].missingCount == 1)
        #expect(levels(g.columns[1]) == ["", "b"])  // "" is a value once it is not a missing token
    }

    @Test("Type inference: numeric, boolean, categorical and an entirely missing column")
    func inference() throws {
        let f = try CSVReader.read(text: "n,b,c,m,e\n1.5,true,a,,1e3\n-2,FALSE,b,NA,-.5E-1\n,True,,,inf\n")
        #expect(f.columns.map(\.type) == [.numeric, .boolean, .categorical, .missing, .numeric])
        #expect(f.columns[0].doubles!.prefix(2) == [1.5, -2])
        #expect(f.columns[0].isMissing(2))
        #expect(f.columns[1].storage == .boolean([1, 0, 1]))
        #expect(f.columns[4].doubles == [1000, -0.05, .infinity])
    }

    @Test("A numeric-looking column that turns to text late keeps the file's own labels")
    func lateSwitchToText() throws {
        // "007" and "1.50" would be reformatted if the reader re-printed numbers; it must re-read them.
        var rows = ["code"] + (0..<5000).map { $0 % 2 == 0 ? "007" : "1.50" }
        rows.append("X12")
        var options = CSVOptions()
        options.chunkBytes = 1024
        let f = try CSVReader.read(text: rows.joined(separator: "\n"), options: options)
        guard case .categorical(let codes, let lv) = f.columns[0].storage else {
            Issue.record("expected a categorical column"); return
        }
        #expect(lv == ["007", "1.50", "X12"])
        #expect(codes.prefix(4) == [0, 1, 0, 1])
        #expect(codes.last == 2)
    }

    @Test("Type overrides: categorical numbers, float storage, invalid values as missing")
    func overrides() throws {
        var options = CSVOptions()
        options.columnTypes = ["zip": .categorical, "v": .numeric]
        options.numericPrecision = .float
        options.invalidNumbers = .treatAsMissing
        let (f, report) = try CSVReader.readWithReport(path: try temp("zip,v\n01234,1.5\n98765,oops\n"), options: options)
        #expect(levels(f.columns[0]) == ["01234", "98765"])
        #expect(f.columns[1].storage == .float([1.5, .nan]))
        #expect(report.invalidValues == ["v": 1])
    }

    @Test("Numbers are parsed exactly like strtod, including long mantissas and extreme exponents")
    func numberParsing() throws {
        let texts = ["0", "-0", "3.141592653589793", "2.2250738585072014e-308", "1.7976931348623157e308",
                     "123456789012345678901234567890", "0.1000000000000000055511151231257827",
                     "9007199254740993", "1e22", "1e23", "4.9e-324", " 42 ", "+7", "5.", ".25", "1E+2"]
        let f = try CSVReader.read(text: "x\n" + texts.joined(separator: "\n") + "\n")
        let parsed = try #require(f.columns[0].doubles)
        for (t, v) in zip(texts, parsed) {
            let expected = strtod(t.trimmingCharacters(in: .whitespaces), nil)
            #expect(v.bitPattern == expected.bitPattern, "\(t)")
        }
        for bad in ["1.2.3", "0x10", "1e", "--1", "1,000", "one", ".inf", "infinit", "-"] {
            let g = try CSVReader.read(text: "x\n\(bad)\n")
            #expect(g.columns[0].type == .categorical, "\(bad)")
        }
    }

    @Test("Blank lines are skipped and counted")
    func blankLines() throws {
        let (f, report) = try CSVReader.readWithReport(path: try temp("\n\na,b\n1,2\n\n3,4\n\n"))
        #expect(f.rowCount == 2)
        #expect(report.blankLines == 4)
    }

    @Test("Records spanning chunk boundaries read the same as with one big chunk", arguments: [1024, 1500, 4096])
    func chunkBoundaries(chunk: Int) throws {
        var rng = SeededGenerator(seed: 42)
        let text = randomCSV(rows: 800, using: &rng)
        let whole = try CSVReader.read(text: text)
        var options = CSVOptions()
        options.chunkBytes = chunk
        let chunked = try CSVReader.read(bytes: Array(text.utf8), options: options)
        #expect(chunked == whole)
        #expect(whole.rowCount == 800)
    }

    @Test("Round trip: random tables written with random quoting read back identically")
    func roundTrip() throws {
        for seed in 0..<20 as Range<UInt64> {
            var rng = SeededGenerator(seed: seed)
            let rows = 1 + rng.uniform(below: 60)
            var cells: [[String]] = []
            for _ in 0..<rows {
                cells.append([
                    String(Double(rng.uniform(below: 20000)) / 100 - 50),
                    ["a", "b,c", "say \"x\"", "two\nlines", "ü ñ 漢字"][rng.uniform(below: 5)],
                    rng.uniform(below: 2) == 0 ? "true" : "false",
                ])
            }
            let newline = rng.uniform(below: 2) == 0 ? "\n" : "\r\n"
            var text = "num,text,flag" + newline
            for r in cells {
                text += r.map { quote($0, force: rng.uniform(below: 3) == 0) }.joined(separator: ",") + newline
            }
            let f = try CSVReader.read(text: text)
            #expect(f.rowCount == rows)
            for (i, r) in cells.enumerated() {
                #expect(f.columns[0].numericValue(i) == Double(r[0]))
                #expect(f.columns[1].text(i) == r[1])
                #expect(f.columns[2].text(i) == r[2])
            }
        }
    }

    @Test("The shared datasets load with the expected shapes and types", .enabled(if: Fixtures.sharedDataRunnable, Fixtures.needsShared))
    func sharedDatasets() throws {
        let root = try #require(Fixtures.sharedDatasets, "../shared/datasets is missing")
        for name in Fixtures.sharedDatasetNames {
            let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("\(name)/meta.json"))) as! [String: Any]
            let f = try CSVReader.read(path: root.appendingPathComponent("\(name)/train.csv").path)
            #expect(f.rowCount == meta["train_rows"] as? Int, "\(name)")
            #expect(f.columnCount == (meta["cols"] as! Int) + 1, "\(name)")
            for c in meta["categorical_columns"] as! [String] {
                // Categorical columns are text, or whole numbers that the user may declare categorical.
                let col = try f.column(named: c)
                #expect(col.type == .categorical || col.type == .numeric, "\(name).\(c)")
            }
            var small = CSVOptions()
            small.chunkBytes = 1024
            #expect(try CSVReader.read(path: root.appendingPathComponent("\(name)/train.csv").path, options: small) == f, "\(name)")
        }
    }

    private func quote(_ s: String, force: Bool) -> String {
        if force || s.contains(",") || s.contains("\"") || s.contains("\n") {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    private func randomCSV(rows: Int, using rng: inout SeededGenerator) -> String {
        var text = "id,value,label,comment\n"
        for i in 0..<rows {
            let comment = ["plain", "\"has, comma\"", "\"has \"\"quotes\"\"\"", "\"line\nbreak\"", ""][rng.uniform(below: 5)]
            text += "\(i),\(rng.uniform(below: 1000)).\(rng.uniform(below: 100)),L\(rng.uniform(below: 7)),\(comment)\n"
        }
        return text
    }
}

/// Writes `text` to a new temporary file and returns its path.
func temp(_ text: String, name: String = "data.csv") throws -> String {
    let dir = Fixtures.scratch.appendingPathComponent("mlforge-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url.path
}
