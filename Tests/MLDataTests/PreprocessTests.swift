import Foundation
import MLData
import Testing
import TestSupport

@Suite("Preprocessing")
struct PreprocessTests {
    let train = """
    num,color,city,flag,y
    1,red,a,true,0
    2,red,b,false,1
    ,blue,c,true,0
    4,red,a,,1
    5,blue,b,false,1
    6,green,c,true,0
    7,red,a,false,1
    8,blue,b,true,0
    9,red,c,false,1
    100,red,a,true,1
    """

    func frame(_ text: String) throws -> DataFrame { try CSVReader.read(text: text) }

    func options(standardize: Bool = false, oneHotMax: Int = 16, rare: Int = 2) -> PreprocessingOptions {
        var o = PreprocessingOptions()
        o.standardize = standardize
        o.oneHotMaxLevels = oneHotMax
        o.rareLevelMinCount = rare
        return o
    }

    func target(_ f: DataFrame) throws -> TargetValues {
        .classes(try f.column(named: "y").doubles!.map { Int($0) }, classCount: 2)
    }

    @Test("keepConstant keeps a constant numeric column in its place (a signal keeps every sample)")
    func keepConstant() throws {
        let f = try frame("a,b,c,y\n1,0,5,0\n2,0,6,1\n3,0,7,0\n")
        var rng = SeededGenerator(seed: 1)
        let (_, dropped) = try Preprocessor(options: options()).fitTransform(f, target: nil, excluding: ["y"], using: &rng)
        #expect(dropped.names == ["a", "c"])
        var keep = options()
        keep.keepConstant = true
        let (_, kept) = try Preprocessor(options: keep).fitTransform(f, target: nil, excluding: ["y"], using: &rng)
        #expect(kept.names == ["a", "b", "c"])
        #expect(kept[1, 1] == 0 && kept[1, 2] == 6)
    }

    @Test("Median imputation with a missing indicator, fitted on the training rows only")
    func imputation() throws {
        let f = try frame(train)
        var rng = SeededGenerator(seed: 1)
        let (fitted, m) = try Preprocessor(options: options()).fitTransform(f, target: nil, excluding: ["y"], using: &rng)
        #expect(Array(m.names.prefix(2)) == ["num", "num(missing)"])
        #expect(m[2, 0] == 6)  // median of 1,2,4,5,6,7,8,9,100
        #expect(m[2, 1] == 1 && m[0, 1] == 0)
        // New data with other values does not move the fitted median.
        let test = try frame("num,color,city,flag,y\n,red,a,true,0\n1000,red,a,true,0\n")
        let (t, report) = try fitted.transform(test)
        #expect(t[0, 0] == 6 && t[0, 1] == 1)
        #expect(report.imputed["num"] == 1)
    }

    @Test("One-hot with rare levels pooled; unseen levels go to the pool and are counted")
    func oneHot() throws {
        let f = try frame(train)
        var rng = SeededGenerator(seed: 1)
        let fitted = try Preprocessor(options: options()).fit(f, target: nil, excluding: ["y"], using: &rng)
        // color: red 6, blue 3, green 1 → green is rare (min count 2) and pooled.
        #expect(fitted.featureNames.contains("color=red") && fitted.featureNames.contains("color=(other)"))
        #expect(!fitted.featureNames.contains("color=green"))
        let test = try frame("num,color,city,flag,y\n1,purple,a,true,0\n1,green,zz,true,0\n1,blue,a,true,0\n")
        let (m, report) = try fitted.transform(test)
        let other = fitted.featureNames.firstIndex(of: "color=(other)")!
        let blue = fitted.featureNames.firstIndex(of: "color=blue")!
        #expect(m[0, other] == 1 && m[1, other] == 1 && m[2, blue] == 1 && m[2, other] == 0)
        #expect(report.unknownLevels["color"] == 1)   // purple; green was seen (rare), not unknown
        #expect(report.unknownLevels["city"] == 1)    // zz; city has no pool: all zeros, counted
        let cityColumns = fitted.featureNames.indices.filter { fitted.featureNames[$0].hasPrefix("city=") }
        #expect(cityColumns.allSatisfy { m[1, $0] == 0 })
    }

    @Test("Native categorical: one code feature per column; rare and unseen levels share 'other', missing stays NaN")
    func categoryCodes() throws {
        let f = try frame(train)
        var rng = SeededGenerator(seed: 1)
        var o = options()
        o.nativeCategorical = true
        let fitted = try Preprocessor(options: o).fit(f, target: nil, excluding: ["y"], using: &rng)
        // flag (true/false) is a boolean, read as a number, not a category.
        #expect(fitted.featureNames == ["num", "num(missing)", "color", "city", "flag", "flag(missing)"])
        #expect(fitted.categoryCodeFeatures == [2, 3])
        // color: blue 3, red 6 get codes 0 and 1; green (1 row) is rare, so "other" is code 2.
        // city: a, b, c all frequent, no "other": an unseen city is missing.
        let test = try frame("num,color,city,flag,y\n1,red,a,true,0\n1,green,c,false,0\n1,purple,zz,,0\n1,,b,true,0\n")
        let (m, report) = try fitted.transform(test)
        #expect(m.categoryCodeFeatures == [2, 3])
        #expect((0..<4).map { m[$0, 2] }.prefix(3) == [1, 2, 2])
        #expect(m[3, 2].isNaN)
        #expect(m[0, 3] == 0 && m[1, 3] == 2 && m[2, 3].isNaN && m[3, 3] == 1)
        #expect(report.unknownLevels["color"] == 1 && report.unknownLevels["city"] == 1)
        // Codes are never standardised, and the encoding survives a JSON round trip.
        o.standardize = true
        let scaled = try Preprocessor(options: o).fit(f, target: nil, excluding: ["y"], using: &rng)
        #expect(try scaled.transform(test).features[0, 2] == 1)
        let decoded = try JSONDecoder().decode(FittedPreprocessor.self, from: JSONEncoder().encode(scaled))
        #expect(decoded == scaled)
        // Off (the default), the same columns are one-hot encoded and no feature holds codes.
        let oneHot = try Preprocessor(options: options()).fit(f, target: nil, excluding: ["y"], using: &rng)
        #expect(oneHot.categoryCodeFeatures.isEmpty && oneHot.featureNames.contains("color=red"))
    }

    @Test("High cardinality: ordinal by frequency, or out-of-fold target encoding")
    func highCardinality() throws {
        let f = try frame(train)
        var o = options(oneHotMax: 2)
        o.highCardinality = .ordinal
        var rng = SeededGenerator(seed: 1)
        let ordinal = try Preprocessor(options: o).fit(f, target: nil, excluding: ["y"], using: &rng)
        guard case .ordinal(let enc) = ordinal.steps.first(where: { $0.name == "color" })?.encoding else {
            Issue.record("color should be ordinal-encoded"); return
        }
        #expect(enc.levels == ["red", "blue", "green"])
        let (m, report) = try ordinal.transform(try frame("num,color,city,flag,y\n1,blue,a,true,0\n1,pink,a,true,0\n"))
        let c = ordinal.featureNames.firstIndex(of: "color")!
        #expect(m[0, c] == 1 && m[1, c] == 3)
        #expect(report.unknownLevels["color"] == 1)

        o.highCardinality = .target
        o.targetSmoothing = 1
        let (fitted, train) = try Preprocessor(options: o).fitTransform(f, target: try target(f), excluding: ["y"], using: &rng)
        guard case .target(let te) = fitted.steps.first(where: { $0.name == "city" })?.encoding else {
            Issue.record("city should be target-encoded"); return
        }
        // city a: rows 0,3,6,9 with y 0,1,1,1 → (3 + 1·0.6) / (4 + 1)
        let a = te.levels.firstIndex(of: "a")!
        #expect(abs(te.encodings[a][0] - 3.6 / 5) < 1e-12)
        #expect(te.prior == [0.6])
        let col = fitted.featureNames.firstIndex(of: "city")!
        // Training rows are encoded out of fold, so they differ from the full-data encoding of their level.
        let fullA = te.encodings[a][0]
        #expect([0, 3, 6, 9].contains { abs(train[$0, col] - fullA) > 1e-9 })
        let (unseen, r2) = try fitted.transform(try frame("num,color,city,flag,y\n1,red,q,true,0\n"))
        #expect(abs(unseen[0, col] - 0.6) < 1e-12)
        #expect(r2.unknownLevels["city"] == 1)
    }

    @Test("Standardisation of numeric features; one-hot and indicators stay 0/1")
    func standardize() throws {
        let f = try frame(train)
        var rng = SeededGenerator(seed: 1)
        let (fitted, m) = try Preprocessor(options: options(standardize: true)).fitTransform(f, target: nil, excluding: ["y"], using: &rng)
        let num = m.column(0)
        #expect(abs(num.reduce(0, +)) < 1e-9)
        let meanSquare: Double = num.map { $0 * $0 }.reduce(0, +) / Double(num.count)
        #expect(abs(meanSquare - 1) < 1e-9)
        let red = fitted.featureNames.firstIndex(of: "color=red")!
        #expect(Set(m.column(red)) == [0, 1])
    }

    @Test("Constant, empty and identifier columns are dropped with a reason")
    func dropped() throws {
        let text = "id,const,empty,x\n" + (0..<30).map { "row\($0),k,,\($0)" }.joined(separator: "\n")
        var rng = SeededGenerator(seed: 1)
        let fitted = try Preprocessor().fit(try frame(text), target: nil, using: &rng)
        #expect(fitted.usedColumns == ["x"])
        #expect(fitted.featureNames == ["x"])
    }

    @Test("Nearly unique text and copies of a column are left out, with the reason; a signal's layout keeps copies")
    func identifiersAndCopies() throws {
        // 'name' repeats one value in 40 rows (39 of 40 distinct: above 95%); 'city' has 30% distinct;
        // 'b' copies 'a' (missing values included) and 'c2' copies the text column 'city'.
        var rows: [String] = []
        for i in 0..<40 {
            let a = i % 7 == 0 ? "" : "\(Double(i) / 3)"
            rows.append("\(i == 39 ? "n0" : "n\(i)"),\(a),\(a),c\(i % 12),c\(i % 12),\(i % 3),k")
        }
        let f = try frame("name,a,b,city,c2,z,const\n" + rows.joined(separator: "\n"))
        let out = Preprocessor().leftOut(f)
        #expect(out.map(\.column) == ["name", "b", "c2", "const"])
        #expect(out[0].reason == "almost every value is different: 39 of 40, an identifier?")
        #expect(out[1].reason == "the same values as 'a'" && out[2].reason == "the same values as 'city'")
        var rng = SeededGenerator(seed: 1)
        let fitted = try Preprocessor().fit(f, target: nil, using: &rng)
        #expect(fitted.usedColumns == ["a", "city", "z"])
        // One different value, and 'b' is a column of its own again.
        rows[5] = rows[5].replacingOccurrences(of: ",\(Double(5) / 3),\(Double(5) / 3),", with: ",\(Double(5) / 3),9,")
        #expect(!Preprocessor().leftOut(try frame("name,a,b,city,c2,z,const\n" + rows.joined(separator: "\n"))).map(\.column).contains("b"))
        var layout = PreprocessingOptions()
        layout.keepConstant = true
        layout.dropDuplicates = false
        #expect(Preprocessor(options: layout).leftOut(f).map(\.column) == ["name", "const"], "text constants are still left out")
        // Twenty values all different are not enough to call a column an identifier.
        let short = try frame("t,y\n" + (0..<20).map { "v\($0),\($0 % 2)" }.joined(separator: "\n"))
        #expect(Preprocessor().leftOut(short, excluding: ["y"]).isEmpty)
    }

    @Test("The fitted preprocessing survives a JSON round trip and transforms identically")
    func codable() throws {
        let f = try frame(train)
        var rng = SeededGenerator(seed: 1)
        var o = options(standardize: true, oneHotMax: 2)
        o.highCardinality = .target
        let fitted = try Preprocessor(options: o).fit(f, target: try target(f), excluding: ["y"], using: &rng)
        let data = try JSONEncoder().encode(fitted)
        let decoded = try JSONDecoder().decode(FittedPreprocessor.self, from: data)
        #expect(decoded == fitted)
        #expect(try decoded.transform(f).features == fitted.transform(f).features)
    }

    @Test("Schema drift: a missing column is an error; wrong-typed values are read as missing and counted")
    func drift() throws {
        let f = try frame(train)
        var rng = SeededGenerator(seed: 1)
        let fitted = try Preprocessor(options: options()).fit(f, target: nil, excluding: ["y"], using: &rng)
        #expect(throws: DataError.self) { try fitted.transform(try frame("color,city,flag\nred,a,true\n")) }
        let (m, report) = try fitted.transform(try frame("num,color,city,flag\nabc,red,a,true\n3,red,a,true\n"))
        #expect(report.invalidValues["num"] == 1)
        #expect(m[0, 0] == 6 && m[1, 0] == 3)
    }
}
