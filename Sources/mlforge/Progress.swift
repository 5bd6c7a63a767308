import Support
import AutoML
import Foundation
import Learners

/// Progress while fitting: a live bar on a terminal (time left, trials, best score, current learner),
/// plain log lines otherwise (each new best, skips and phases); with `everyTrial` (`--log-trials`), a line
/// for every trial instead of the bar. Written to standard error.
final class Progress: @unchecked Sendable {
    let budget: Double
    let start: ContinuousClock.Instant
    let everyTrial: Bool
    let live: Bool
    private let lock = NSLock()
    private var trials = 0
    private var best: Double?
    private var metric: ValidationMetric?

    init(budget: Double, start: ContinuousClock.Instant, everyTrial: Bool = false) {
        self.budget = budget
        self.start = start
        self.everyTrial = everyTrial
        live = !everyTrial && isatty(2) != 0
    }

    var elapsed: Double {
        (ContinuousClock.now - start).inSeconds
    }

    func handle(_ event: AutoMLEvent) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .plan(let text):
            line("plan: \(text)")
        case .trial(let entry, let bestScore, _):
            trials += 1
            let improved = entry.score != nil && entry.score == bestScore && (best.map { bestScore > $0 } ?? true)
            if improved { best = bestScore }
            if live {
                let done = min(1, elapsed / budget)
                let bar = String(repeating: "█", count: Int(done * 24)) + String(repeating: "·", count: 24 - Int(done * 24))
                let shown = best.map { String(format: "%.4f", $0 < 0 ? -$0 : $0) } ?? "—"
                let text = String(format: "\r%@ %4.1f s left · %d trials · best %@ · %@", bar, max(0, budget - elapsed), trials, shown, entry.family.rawValue)
                FileHandle.standardError.write(Data((text + "   ").utf8))
            } else if everyTrial {
                let score = entry.score.map { String(format: "%.4f", $0 < 0 ? -$0 : $0) } ?? "—"
                let note = entry.note.map { ": \($0)" } ?? ""
                line(String(format: "[%5.1f s] trial %d %@ %@ %@ in %.3f s%@ (%@)%@", elapsed, entry.trial, entry.family.rawValue, entry.state.rawValue,
                            score, entry.fitSeconds, improved ? ", new best" : "", entry.summary, note))
            } else if improved, let s = entry.score {
                line(String(format: "[%5.1f s] trial %d %@: new best %.4f (%@)", elapsed, entry.trial, entry.family.rawValue, s < 0 ? -s : s, entry.summary))
            }
        case .skipped(let family, let reason):
            if !live { line(String(format: "[%5.1f s] skipped a %@ configuration: %@", elapsed, family.rawValue, reason)) }
        case .phase(let text):
            line(String(format: "[%5.1f s] %@", elapsed, text))
        }
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if live { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private func line(_ text: String) {
        FileHandle.standardError.write(Data(((live ? "\r" : "") + text + "\n").utf8))
    }
}
