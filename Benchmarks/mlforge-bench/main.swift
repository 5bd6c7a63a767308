// Benchmark driver; scripts under Benchmarks/scripts run it beside the peers and print the tables.
//   mlforge-bench csv FILE [--serial]   load FILE once (--serial: on one thread); print
//                                       {"seconds", "rows", "cols", "peak_rss_mb"} as JSON
//   mlforge-bench tensor [--repeat N]   SGEMM (Tensor.matmul and direct cblas_sgemm) and training steps
//                                       of an MLP and a 1-D CNN; one JSON line per measurement
//   mlforge-bench cost FAMILY [--large] [--low-cost]
//                                       fit and predict timed on random data over a grid of sizes (--large:
//                                       20,000 and 80,000 rows of 128 and 500 features), beside the learner's
//                                       estimates; --low-cost: the search's first configuration, with
//                                       validation rows; one JSON line per size
//   mlforge-bench memory FAMILY [--rows N] [--features F] [--configuration low-cost|defaults|portfolio-K] [--set NAME=VALUE]...
//                                       one trial on a generated table: its peak resident memory beside the
//                                       learner's estimate (JSON)
//   mlforge-bench make-signal DIR [--train N] [--test N] [--length L] [--seed S]
//                                       the synthetic 1-D signal task (train.csv, test.csv) under DIR
//   mlforge-bench nas DIR --target COL [--strategy S] [--seed N] [--time S] [--task K]
//                                       one architecture search (as `mlforge nas`): incumbents' test accuracy
//   mlforge-bench prepare CSV --target COL
//                                       each preprocessing recipe's fit and transform of the whole table timed
//   mlforge-bench predict MODEL CSV [--repeat N] [--batch N]
//                                       in-process load, read, batch and single-row prediction times (JSON)
//   mlforge-bench digits                the digits recipes of the accuracy tests: accuracy and seconds
//   mlforge-bench search [--seeds N]    every strategy on the standard test functions; one JSON line per run
//   mlforge-bench store URL --study NAME [--workers W] [--trials N] [--fake-ms F] [--mode ask|claim] [--enqueue] [--start-at T]
//                                       a shared PostgreSQL study's throughput: W workers (a store each) run N
//                                       fake trials; --enqueue queues them first (for --mode claim); one JSON line
//   mlforge-bench linear-fit FOLDER... [--c C] [--l1-ratio R]
//                                       a linear fit (C 1, l1_ratio 0.5 unless set) on each dataset folder:
//                                       seconds beside the estimate, solver steps, test score; JSON lines
//   mlforge-bench learners OUT DATASET... [--families a,b] [--repeat N]
//                                       default XGBoost / linear / k-NN fits timed; features, predictions
//                                       and models written under OUT for the Python comparison
import Foundation
import AutoML
import Learners
import MLData
import Tensor
import TestSupport

BLASKernel.relaunchWithBestKernel()
let args = CommandLine.arguments
func option(_ name: String, default value: Int) -> Int {
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) else { return value }
    return v
}
func option(_ name: String, default value: Double) -> Double {
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let v = Double(args[i + 1]) else { return value }
    return v
}
/// The arguments from index `start` on that are neither an option nor an option's value.
func positional(from start: Int) -> [String] {
    var out: [String] = []
    var i = start
    while i < args.count {
        if args[i].hasPrefix("--") { i += 2; continue }
        out.append(args[i]); i += 1
    }
    return out
}

do {
    switch args.count > 1 ? args[1] : "" {
    case "csv" where args.count >= 3:
        try CSVBenchmark.run(path: args[2], serial: args.contains("--serial"))
    case "cost" where args.count >= 3:
        // mlforge-bench cost FAMILY: fit and predict timed over a grid of sizes, beside the estimates.
        guard let family = LearnerFamily(rawValue: args[2]) else { throw LearnerError.invalidData("unknown family \(args[2])") }
        var grid: [(Int, Int, Int)] = []
        if args.contains("--large") {
            for n in [20_000, 80_000] { for f in [128, 500] { grid.append((n, 5_000, f)) } }
        } else {
            for n in [1_000, 5_000, 20_000, 60_000] { for f in [8, 32, 128] { grid.append((n, min(n, 5_000), f)) } }
        }
        try CostBenchmark.run(family: family, grid: grid, lowCost: args.contains("--low-cost"))
    case "memory" where args.count >= 3:
        guard let family = LearnerFamily(rawValue: args[2]) else { throw LearnerError.invalidData("unknown family \(args[2])") }
        try MemoryBenchmark.run(family: family, rows: option("--rows", default: 100_000), features: option("--features", default: 20),
                                configuration: args.firstIndex(of: "--configuration").flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil } ?? "low-cost",
                                settings: args.indices.filter { args[$0] == "--set" && $0 + 1 < args.count }.map { args[$0 + 1] })
    case "prepare" where args.count >= 3:
        guard let i = args.firstIndex(of: "--target"), i + 1 < args.count else { throw CocoaError(.coderInvalidValue) }
        try PrepareBenchmark.run(path: args[2], target: args[i + 1])
    case "predict" where args.count >= 4:
        try PredictBenchmark.run(model: args[2], data: args[3], repeats: option("--repeat", default: 200),
                                 batchRows: option("--batch", default: 10_000))
    case "tensor":
        let only = args.firstIndex(of: "--only").flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil }
        TensorBenchmark.run(repeats: option("--repeat", default: 20), only: only)
    case "store" where args.count >= 3:
        let study = args.firstIndex(of: "--study").map { args[$0 + 1] } ?? "bench"
        let mode = args.firstIndex(of: "--mode").map { args[$0 + 1] } ?? "ask"
        try StoreBenchmark.run(url: args[2], study: study, workers: option("--workers", default: 1), trials: option("--trials", default: 1000),
                               fakeMs: option("--fake-ms", default: 0), mode: mode, enqueue: args.contains("--enqueue"),
                               startAt: args.firstIndex(of: "--start-at").flatMap { Double(args[$0 + 1]) })
    case "search":
        try SearchBenchmark.run(seeds: option("--seeds", default: 30))
    case "linear-fit" where args.count >= 3:
        try LinearFitBenchmark.run(folders: positional(from: 2), c: option("--c", default: 1.0), l1Ratio: option("--l1-ratio", default: 0.5))
    case "learners" where args.count >= 4:
        let families = (args.firstIndex(of: "--families").flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil } ?? "xgboost,linear,knn")
            .split(separator: ",").compactMap { LearnerFamily(rawValue: String($0)) }
        try LearnerBenchmark.run(datasets: positional(from: 3), families: families, out: URL(fileURLWithPath: args[2]),
                                 repeats: option("--repeat", default: 3))
    case "make-signal" where args.count >= 3:
        try SignalDataset.write(to: URL(fileURLWithPath: args[2]), train: option("--train", default: 600), test: option("--test", default: 600),
                                length: option("--length", default: 64), seed: UInt64(option("--seed", default: 7)))
    case "nas" where args.count >= 3:
        func text(_ name: String) -> String? { args.firstIndex(of: name).flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil } }
        guard let target = text("--target"), let strategy = SearchStrategyKind(rawValue: text("--strategy") ?? "evolution") else {
            throw CocoaError(.coderInvalidValue)
        }
        try NASBenchmark.run(folder: URL(fileURLWithPath: args[2]), target: target, strategy: strategy,
                             seed: UInt64(option("--seed", default: 0)), seconds: Double(text("--time") ?? "60") ?? 60,
                             task: text("--task").flatMap { TaskKind(rawValue: $0) })
    case "digits":
        guard let d = try Digits.load() else { throw CocoaError(.fileNoSuchFile) }
        for (name, run) in [("mlp", DigitsRecipes.mlp), ("cnn", DigitsRecipes.cnn)] as [(String, (Digits) -> DigitsRecipes.Outcome)] {
            let o = run(d)
            print("{\"name\": \"digits_\(name)\", \"accuracy\": \(o.accuracy), \"seconds\": \(o.seconds), \"epochs\": \(o.epochs)}")
        }
    default:
        FileHandle.standardError.write(Data("usage: mlforge-bench csv FILE [--serial] | tensor [--repeat N]\n".utf8))
        exit(64)
    }
} catch {
    FileHandle.standardError.write(Data("mlforge-bench: error: \(error)\n".utf8))
    exit(1)
}
