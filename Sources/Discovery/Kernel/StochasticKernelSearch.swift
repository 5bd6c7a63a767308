import Foundation
import Support

/// A Metropolis walk over programs of a fixed number of slots (each an instruction or empty), started
/// from a correct program: a move replaces, empties, swaps or edits slots; the cost is the instructions
/// used plus `mismatchWeight` times the wrong output cells per test input (so it does not grow with the
/// number of inputs, 13 to 541); a worse
/// program is taken with probability exp(−Δ / temperature). The shortest correct program met is kept.
struct StochasticKernelSearch {
    let machine: KernelMachine
    let deadline: ContinuousClock.Instant
    let shared: LockedBox<KernelSearch.Shared>
    let instructions: [KernelInstruction]
    var slots: [KernelInstruction?]
    var rng: SeededGenerator
    /// How much one wrong output register per test input costs against one instruction (hand-set,
    /// STOKE-like; at 2 a program one instruction shorter may be wrong on half an output per input).
    let mismatchWeight = 2.0
    let temperature = 1.0

    init(machine: KernelMachine, start: [KernelInstruction], deadline: ContinuousClock.Instant, seed: UInt64, shared: LockedBox<KernelSearch.Shared>) {
        self.machine = machine
        self.deadline = deadline
        self.shared = shared
        instructions = KernelInstruction.all(machine.isa, registers: machine.registers)
        slots = start.map { $0 }
        rng = SeededGenerator(seed: seed)
    }

    func cost(_ p: [KernelInstruction?]) -> (Double, Bool) {
        var s = machine.initialState()
        var used = 0
        for case let ins? in p {
            used += 1
            // Reading an undefined value is as bad as every output wrong.
            if machine.readsUndefined(ins, s) { return (Double(used) + mismatchWeight * Double(machine.n), false) }
            machine.execute(ins, &s)
        }
        let wrong = machine.mismatches(s)
        return (Double(used) + mismatchWeight * Double(wrong) / Double(machine.tests), wrong == 0)
    }

    mutating func run() {
        var current = cost(slots).0
        var proposals = 0
        while true {
            proposals += 1
            if proposals & 0x3FF == 0 {
                let stop = ContinuousClock.now >= deadline || shared.withLock { $0.done }
                if stop { break }
            }
            var p = slots
            propose(&p)
            let (c, correct) = cost(p)
            if c <= current || rng.unitDouble() < exp(-(c - current) / temperature) {
                slots = p
                current = c
                if correct {
                    let program = machine.simplified(p.compactMap { $0 })
                    shared.withLock { $0.offer(program) }
                }
            }
        }
        shared.withLock { $0.proposals += proposals }
    }

    private mutating func propose(_ p: inout [KernelInstruction?]) {
        let i = rng.uniform(below: p.count)
        switch rng.uniform(below: 5) {
        case 0: p[i] = nil
        case 1: p[i] = instructions[rng.uniform(below: instructions.count)]
        case 2: p.swapAt(i, rng.uniform(below: p.count))
        case 3:  // another register in one operand
            guard var ins = p[i] else { p[i] = instructions[rng.uniform(below: instructions.count)]; return }
            let r = rng.uniform(below: machine.registers)
            switch rng.uniform(below: 3) {
            case 0: ins.d = r
            case 1: ins.a = r
            default: ins.b = r
            }
            p[i] = ins
        default:  // another operation on the same registers
            guard var ins = p[i] else { return }
            let ops: [KernelInstruction.Op] = machine.isa == .cmov ? [.mov, .cmp, .cmovl, .cmovg] : [.mov, .min, .max]
            ins.op = ops[rng.uniform(below: ops.count)]
            p[i] = ins
        }
    }
}
