import Dispatch

/// Splits `0..<count` into contiguous chunks run on all cores when the work is large enough.
enum Parallel {
    /// Below this many elements a loop runs on the calling thread.
    static let threshold = 1 << 18
    static let workers = Int(ProcessInfo.processInfo.environment["MLFORGE_WORKERS"] ?? "") ?? Swift.max(1, ProcessInfoCores.count)

    @inline(__always)
    static func forChunks(_ count: Int, minimum: Int = threshold, _ body: (Range<Int>) -> Void) {
        guard count >= minimum, workers > 1 else {
            body(0..<count)
            return
        }
        let chunks = workers
        let size = (count + chunks - 1) / chunks
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let run = body
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let lo = c * size
                let hi = Swift.min(count, lo + size)
                if lo < hi { run(lo..<hi) }
            }
        }
    }
}

import Foundation

enum ProcessInfoCores {
    static let count = ProcessInfo.processInfo.activeProcessorCount
}
