import Foundation

/// How much slower than on an idle machine this process's threads run: the wall time a runnable thread
/// took per second of CPU it got, from the kernel's scheduler statistics (`/proc/self/task/*/schedstat`:
/// time on a CPU and time waiting in a run queue for one), since the gauge was made.
///
/// On an idle machine it reads about 1; with other processes busy on the same cores it reads how much
/// longer fixed work now takes (ensemble selection, the model card, saving), so that the run can keep that
/// much more time for it. Measured on 2 cores with six busy loops and a disk writer beside a 4 s titanic
/// fit: about 3–4, and the fit overran its budget by 1–2 s while the reserves were those of an idle
/// machine. Where the statistics are not available (not Linux) it reads 1.
public final class ProcessLoad: Sendable {
    /// CPU and run-queue seconds per thread when the gauge was made.
    private let baseline: [Int: (cpu: Double, wait: Double)]
    /// Less CPU than this since the start says too little to tell: the gauge reads 1.
    public static let minimumCPUSeconds = 0.05

    public init() { baseline = Self.sample() }

    /// Wall time per CPU time of the process's runnable threads since `init` (at least 1).
    public func slowdown() -> Double {
        var cpu = 0.0, wait = 0.0
        for (thread, now) in Self.sample() {
            let before = baseline[thread] ?? (0, 0)
            cpu += max(0, now.cpu - before.cpu)
            wait += max(0, now.wait - before.wait)
        }
        guard cpu >= Self.minimumCPUSeconds else { return 1 }
        return (cpu + wait) / cpu
    }

    /// Each thread's (CPU, run-queue wait) in seconds; empty where the kernel does not say.
    static func sample() -> [Int: (cpu: Double, wait: Double)] {
        #if os(Linux)
        let tasks = "/proc/self/task"
        guard let threads = try? FileManager.default.contentsOfDirectory(atPath: tasks) else { return [:] }
        var out: [Int: (cpu: Double, wait: Double)] = [:]
        for name in threads {
            guard let id = Int(name), let text = try? String(contentsOfFile: "\(tasks)/\(name)/schedstat", encoding: .utf8) else { continue }
            let fields = text.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            guard fields.count >= 2 else { continue }
            out[id] = (fields[0] / 1e9, fields[1] / 1e9)
        }
        return out
        #else
        return [:]
        #endif
    }
}
