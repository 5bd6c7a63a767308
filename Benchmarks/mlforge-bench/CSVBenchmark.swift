import Foundation
import MLData

enum CSVBenchmark {
    static func run(path: String, serial: Bool) throws {
        var options = CSVOptions()
        options.parallel = !serial
        let start = DispatchTime.now()
        let frame = try CSVReader.read(path: path, options: options)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        print("{\"seconds\": \(seconds), \"rows\": \(frame.rowCount), \"cols\": \(frame.columnCount), \"peak_rss_mb\": \(peakRSSMegabytes())}")
    }

    static func peakRSSMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return .nan }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM") {
            return (line.split(separator: " ").compactMap { Double($0) }.first ?? .nan) / 1024
        }
        return .nan
    }
}
