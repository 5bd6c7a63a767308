// study-worker DB.sqlite [--trials N] [--seed S] [--delay-ms D]
//
// Runs a study of a toy objective on a SQLite trial store, printing "complete N" after each completed
// trial (flushed). Several workers can share one file; the crash test kills one with SIGKILL mid-study.
import Foundation
import Search
import Store

let args = CommandLine.arguments
guard args.count >= 2 else {
    FileHandle.standardError.write(Data("usage: study-worker DB.sqlite [--trials N] [--seed S] [--delay-ms D]\n".utf8))
    exit(64)
}
func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) else { return fallback }
    return v
}
do {
    let store = try SQLiteTrialStore(path: args[1])
    let space = try SearchSpace([.init("x", .float(-5, 5)), .init("y", .float(-5, 5))])
    let study = Study(space: space, store: store, strategy: TPESampler(seed: UInt64(option("--seed", 1))))
    let delay = option("--delay-ms", 5)
    for _ in 0..<option("--trials", 1_000_000) {
        let trial = try study.ask()
        let x = trial.double("x") ?? 0, y = trial.double("y") ?? 0
        for step in 1...3 {
            usleep(useconds_t(delay * 1000 / 3))
            try trial.report(x * x + y * y + Double(3 - step), step: step)
        }
        try study.tell(trial.number, values: [x * x + y * y])
        FileHandle.standardOutput.write(Data("complete \(trial.number)\n".utf8))  // unbuffered
    }
} catch {
    FileHandle.standardError.write(Data("study-worker: error: \(error)\n".utf8))
    exit(1)
}
