import Foundation
import MLData

enum CSVBenchmark {
    static func run(path: String, serial: Bool) throws {
        var options = CSVOptions()
        options.parallel = !serial
        let start = DispatchTime.now()
        let frame = try CSVReader.read(path: path, options: options)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        print("{\"seconds\": \(seconds), \"rows\": \(frame.rowCount), \"cols\": \(frame.columnCount), \"peak_rss_mb\": \(Double(try ProcessMemory.peakBytes()) / 1_048_576)}")
    }
}
