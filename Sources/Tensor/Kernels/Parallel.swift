import Foundation

/// Splits `0..<count` into contiguous chunks run on all cores when the work is large enough.
///
/// A small pool of persistent threads (one per core beyond the caller's), woken by a condition variable:
/// unlike `DispatchQueue.concurrentPerform`, which on two busy cores often ran both halves on the calling
/// thread, every chunk here gets its own core. One parallel region runs at a time; a call made while the
/// pool is busy (nested, or from another thread) runs the same chunks on its own thread, in order, so a
/// result never depends on whether the pool was free.
enum Parallel {
    /// Below this many elements a loop runs on the calling thread (waking a worker costs ~15 µs).
    static let threshold = 1 << 18
    static let workers = Int(ProcessInfo.processInfo.environment["MLFORGE_WORKERS"] ?? "")
        ?? Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)
    static let pool = WorkerPool(threads: workers - 1)

    /// Chunks per thread by default: more chunks than threads, so that when a worker wakes late (a busy
    /// or descheduled core) the others take over its share instead of waiting for it.
    static let chunksPerWorker = 4

    @inline(__always)
    static func forChunks(_ count: Int, minimum: Int = threshold, chunksPerWorker: Int = chunksPerWorker, _ body: (Range<Int>) -> Void) {
        guard count >= minimum, workers > 1, count > 1 else {
            body(0..<count)
            return
        }
        let chunks = Swift.min(workers * Swift.max(1, chunksPerWorker), count)
        let size = (count + chunks - 1) / chunks
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let run = body
            let ran = pool.run(chunks) { c in
                let lo = c * size
                let hi = Swift.min(count, lo + size)
                if lo < hi { run(lo..<hi) }
            }
            // The pool was busy (a nested call, or another thread): the same chunks, one after another, so
            // that results never depend on what else was running (a product split differently rounds differently).
            if !ran {
                for c in 0..<chunks {
                    let lo = c * size
                    let hi = Swift.min(count, lo + size)
                    if lo < hi { run(lo..<hi) }
                }
            }
        }
    }
}

/// Persistent worker threads that share the chunks of one task at a time with the calling thread.
final class WorkerPool: @unchecked Sendable {
    private let condition = NSCondition()
    private var generation = 0
    private var task: ((Int) -> Void)?
    private var chunks = 0
    private var next = 0
    private var finished = 0
    private var busy = false

    init(threads: Int) {
        for _ in 0..<Swift.max(0, threads) {
            let thread = Thread { [unowned self] in self.work() }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    private func work() {
        var seen = 0
        while true {
            condition.lock()
            while generation == seen { condition.wait() }
            seen = generation
            condition.unlock()
            drain()
        }
    }

    /// Takes chunks until none are left.
    private func drain() {
        while runOneChunk() {
            condition.lock()
            finished += 1
            if finished == chunks { condition.broadcast() }
            condition.unlock()
        }
    }

    /// Runs the next chunk, if any. The task is held only inside this call, so it is released before the
    /// chunk is counted as finished (the caller's closure must not outlive `run`).
    private func runOneChunk() -> Bool {
        condition.lock()
        guard next < chunks, let task else {
            condition.unlock()
            return false
        }
        let i = next
        next += 1
        condition.unlock()
        task(i)
        return true
    }

    /// Runs `body(0..<n)` over the pool and the calling thread; false (nothing run) when the pool is busy.
    func run(_ n: Int, _ body: @escaping (Int) -> Void) -> Bool {
        condition.lock()
        guard !busy else {
            condition.unlock()
            return false
        }
        busy = true
        task = body
        chunks = n
        next = 0
        finished = 0
        generation += 1
        condition.broadcast()
        condition.unlock()
        drain()
        condition.lock()
        while finished < chunks { condition.wait() }
        task = nil
        busy = false
        condition.unlock()
        return true
    }
}
