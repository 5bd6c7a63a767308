import Foundation
import Support

/// Iterative deepening over programs of length 1, 2, …: a depth-first search that only takes
/// instructions that change the state, never takes two commuting instructions in decreasing order (any
/// program can be reordered so, at the same length), never overwrites a value nobody read, never
/// loses an input's value from every register (no instruction makes values, so none could bring it back), and cuts a
/// branch when the wrong output registers outnumber the instructions left or when the same state, after
/// the same instruction, was already searched with as many left (a table of states; within length L a
/// shorter completion cannot exist, since every shorter length was searched before). Finishing length L without a program proves
/// that none of length ≤ L exists.
struct ExhaustiveKernelSearch {
    let machine: KernelMachine
    let deadline: ContinuousClock.Instant
    let tableEntries: Int
    let shared: LockedBox<KernelSearch.Shared>
    let instructions: [KernelInstruction]
    private var seen: [[UInt8]: Int] = [:]
    private var levels: [[UInt8]] = []
    private var program: [KernelInstruction] = []
    private var nodes = 0
    private var outOfTime = false

    init(machine: KernelMachine, deadline: ContinuousClock.Instant, tableEntries: Int, shared: LockedBox<KernelSearch.Shared>) {
        self.machine = machine
        self.deadline = deadline
        self.tableEntries = tableEntries
        self.shared = shared
        instructions = KernelInstruction.all(machine.isa, registers: machine.registers)
    }

    mutating func run() {
        let start = machine.initialState()
        var length = machine.lowerBound(start)
        while !outOfTime {
            let best = shared.withLock { $0.best.count }
            if length >= best { break }
            seen.removeAll(keepingCapacity: true)
            levels = [[UInt8]](repeating: start, count: length + 1)
            program = []
            let found = search(depth: 0, length: length, previous: -1)
            shared.withLock { $0.nodes += nodes }
            nodes = 0
            if found {
                let p = program
                shared.withLock { $0.offer(p); $0.noneUpTo = max($0.noneUpTo, length - 1); $0.done = true }
                return
            }
            if outOfTime { return }
            shared.withLock { $0.noneUpTo = max($0.noneUpTo, length); if $0.best.count - 1 <= $0.noneUpTo { $0.done = true } }
            length += 1
        }
    }

    /// Whether a program of exactly `length − depth` more instructions sorts from `levels[depth]`.
    private mutating func search(depth: Int, length: Int, previous: Int) -> Bool {
        let left = length - depth
        if left == 0 { return machine.isSorted(levels[depth]) }
        nodes += 1
        if nodes & 0xFFF == 0 {
            if ContinuousClock.now >= deadline || shared.withLock({ $0.done }) { outOfTime = true }
        }
        if outOfTime { return false }
        if machine.lowerBound(levels[depth]) > left { return false }
        // The table's key is the state and the previous instruction (which limits what may follow it).
        var key = levels[depth]
        key.append(UInt8(truncatingIfNeeded: previous + 1))
        if let was = seen[key], was >= left { return false }
        for (k, ins) in instructions.enumerated() {
            if previous >= 0 {
                let p = instructions[previous]
                if k < previous && ins.commutes(with: p) { continue }
                // The previous instruction's result would be lost unread.
                if p.writes == ins.writes && !ins.reads.contains(p.writes) { continue }
            }
            if machine.readsUndefined(ins, levels[depth]) { continue }
            levels[depth + 1] = levels[depth]
            guard machine.execute(ins, &levels[depth + 1]), !machine.hasLostValue(levels[depth + 1]) else { continue }
            program.append(ins)
            if search(depth: depth + 1, length: length, previous: k) { return true }
            program.removeLast()
            if outOfTime { return false }
        }
        if seen.count < tableEntries { seen[key] = left }
        return false
    }
}
