import AutoML
import Foundation
import MLData

/// In-process prediction costs of a saved model on a CSV file: loading the folder, reading the table,
/// one batch of every row, batches of `batchRows` rows, and single rows (the median of `repeats` calls
/// over different rows). One JSON line; Benchmarks/scripts/predict_vs_peers.py prints it beside the peers.
enum PredictBenchmark {
    static func run(model folder: String, data path: String, repeats: Int, batchRows: Int) throws {
        let t0 = ContinuousClock.now
        let model = try AutoMLModel.load(from: URL(fileURLWithPath: folder))
        let t1 = ContinuousClock.now
        let frame = try model.readTable(path: path)
        let t2 = ContinuousClock.now
        _ = try model.predict(frame)
        let t3 = ContinuousClock.now
        let rows = frame.rowCount
        // A batch of `batchRows` rows (the file's rows repeated when it has fewer).
        let batch = frame.selecting(rows: (0..<batchRows).map { $0 % max(1, rows) })
        var batchSeconds: [Double] = []
        for _ in 0..<3 {
            let s = ContinuousClock.now
            _ = try model.predict(batch)
            batchSeconds.append((ContinuousClock.now - s).inSeconds)
        }
        let singles = (0..<repeats).map { frame.selecting(rows: [$0 % max(1, rows)]) }
        var single: [Double] = []
        for one in singles {
            let s = ContinuousClock.now
            _ = try model.predict(one)
            single.append((ContinuousClock.now - s).inSeconds)
        }
        func median(_ v: [Double]) -> Double { let s = v.sorted(); return s.isEmpty ? 0 : s[s.count / 2] }
        let members = model.members.map { "\"\($0.family.rawValue)\"" }.joined(separator: ", ")
        print("{\"model\": \"\(folder)\", \"rows\": \(rows), \"members\": [\(members)], \"load_s\": \((t1 - t0).inSeconds), "
              + "\"read_s\": \((t2 - t1).inSeconds), \"predict_file_s\": \((t3 - t2).inSeconds), "
              + "\"batch_rows\": \(batchRows), \"batch_s\": \(median(batchSeconds)), \"single_row_us\": \(median(single) * 1e6)}")
    }
}
