import Foundation
import MLData

extension AutoMLModel {
    /// CSV options that read the file's columns the model knows with their training types (a column of
    /// codes stays categorical even when a new file holds only digits in it).
    public func readingOptions(forFile path: String) throws -> CSVOptions {
        var o = CSVOptions()
        let present = Set(try CSVReader.columnNames(path: path))
        for c in schema where c.type != .missing && present.contains(c.name) { o.columnTypes[c.name] = c.type }
        return o
    }

    /// The table at `path`, read the way the model's training data was typed.
    public func readTable(path: String) throws -> DataFrame {
        try CSVReader.read(path: path, options: readingOptions(forFile: path))
    }
}
