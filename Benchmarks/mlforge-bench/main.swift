// Benchmark driver; scripts under Benchmarks/scripts run it beside the peers and print the tables.
//   mlforge-bench csv FILE [--serial]   load FILE once (--serial: on one thread); print
//                                       {"seconds", "rows", "cols", "peak_rss_mb"} as JSON
import Foundation
import MLData

func peakRSSMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return .nan }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM") {
        let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? .nan
        return kb / 1024
    }
    return .nan
}

let args = CommandLine.arguments
guard args.count >= 3, args[1] == "csv" else {
    FileHandle.standardError.write(Data("usage: mlforge-bench csv FILE\n".utf8))
    exit(64)
}
do {
    let start = DispatchTime.now()
    var options = CSVOptions()
    options.parallel = !args.contains("--serial")
    let frame = try CSVReader.read(path: args[2], options: options)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    print("{\"seconds\": \(seconds), \"rows\": \(frame.rowCount), \"cols\": \(frame.columnCount), \"peak_rss_mb\": \(peakRSSMegabytes())}")
} catch {
    FileHandle.standardError.write(Data("mlforge-bench: error: \(error)\n".utf8))
    exit(1)
}
