/// Runs kernel programs on every test input at once: all weak orderings of n values (every pattern of
/// ties: 13 for n = 3, 75 for 4, 541 for 5), which is every case a comparison-based sort can meet.
///
/// A state is one byte per register per input (the value it holds, a rank 0 … n−1), register by
/// register, then one byte per input for the flags (0 unset, 1 less, 2 equal, 3 greater).
///
/// Scratch registers start `undefined`: a real machine leaves garbage there, so an instruction that
/// reads a value no instruction wrote is not allowed (`readsUndefined`), and no program can use the
/// start value as a free constant.
public struct KernelMachine: Sendable {
    /// What a scratch register holds before it is written (above every rank; never a sorted output).
    static let undefined: UInt8 = 0xFF

    public let n: Int
    public let registers: Int
    public let isa: KernelISA
    /// The test inputs, one row of n ranks each.
    public let inputs: [[UInt8]]
    /// What registers r0 … r(n−1) must hold at the end, register by register.
    let target: [UInt8]
    /// Per test input, the set of its values as a bit mask (what `hasLostValue` checks).
    let needed: [UInt32]

    public init(n: Int, scratch: Int, isa: KernelISA) {
        self.n = n
        registers = n + scratch
        self.isa = isa
        inputs = Self.weakOrderings(n)
        var t: [UInt8] = []
        for i in 0..<n { for row in inputs { t.append(row.sorted()[i]) } }
        target = t
        needed = inputs.map { $0.reduce(UInt32(0)) { $0 | 1 << UInt32($1) } }
    }

    /// Every sequence of n ranks whose values are 0 … k−1 for some k (each weak ordering once).
    public static func weakOrderings(_ n: Int) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var row = [UInt8](repeating: 0, count: n)
        func fill(_ i: Int) {
            if i == n {
                let m = Int(row.max() ?? 0)
                if Set(row).count == m + 1 { out.append(row) }
                return
            }
            for v in 0..<n {
                row[i] = UInt8(v)
                fill(i + 1)
            }
        }
        fill(0)
        return out
    }

    public var tests: Int { inputs.count }
    var stateSize: Int { (registers + 1) * tests }

    /// The state before the first instruction: the inputs in r0 … r(n−1), scratch undefined, flags unset.
    func initialState() -> [UInt8] {
        var s = [UInt8](repeating: 0, count: stateSize)
        for i in 0..<n { for (t, row) in inputs.enumerated() { s[i * tests + t] = row[i] } }
        for i in (n * tests)..<(registers * tests) { s[i] = Self.undefined }
        return s
    }

    /// Whether `ins` reads, in `state`, a register that is undefined for some input (a scratch register
    /// not yet written on every path), or flags no `cmp` has set. Such a program is wrong on a real
    /// machine, whatever the search's start values make it do.
    func readsUndefined(_ ins: KernelInstruction, _ state: [UInt8]) -> Bool {
        let T = tests
        return state.withUnsafeBufferPointer { s in
            for r in ins.reads {
                if r < 0 {
                    let f = registers * T
                    for t in 0..<T where s[f + t] == 0 { return true }
                } else if r >= n, !(ins.op == .cmovl || ins.op == .cmovg) || r != ins.d {
                    // A conditional move may keep its destination's old value; the destination's own
                    // undefined cells stay undefined and are caught when read.
                    for t in 0..<T where s[r * T + t] == Self.undefined { return true }
                }
            }
            return false
        }
    }

    /// Applies `ins` to `state` in place; returns whether anything changed.
    @discardableResult
    func execute(_ ins: KernelInstruction, _ state: inout [UInt8]) -> Bool {
        let T = tests
        let flags = registers * T
        var changed = false
        state.withUnsafeMutableBufferPointer { s in
            let d = ins.d * T, a = ins.a * T, b = ins.b * T
            switch ins.op {
            case .mov:
                for t in 0..<T where s[d + t] != s[a + t] { s[d + t] = s[a + t]; changed = true }
            case .cmp:
                for t in 0..<T {
                    let x = s[d + t], y = s[a + t]
                    let f: UInt8 = x < y ? 1 : (x == y ? 2 : 3)
                    if s[flags + t] != f { s[flags + t] = f; changed = true }
                }
            case .cmovl, .cmovg:
                let when: UInt8 = ins.op == .cmovl ? 1 : 3
                for t in 0..<T where s[flags + t] == when && s[d + t] != s[a + t] { s[d + t] = s[a + t]; changed = true }
            case .min, .max:
                for t in 0..<T {
                    let v = ins.op == .min ? Swift.min(s[a + t], s[b + t]) : Swift.max(s[a + t], s[b + t])
                    if s[d + t] != v { s[d + t] = v; changed = true }
                }
            }
        }
        return changed
    }

    /// Whether r0 … r(n−1) hold every input sorted.
    func isSorted(_ state: [UInt8]) -> Bool {
        state.withUnsafeBufferPointer { s in target.withUnsafeBufferPointer { g in
            for i in 0..<g.count where s[i] != g[i] { return false }
            return true
        } }
    }

    /// Output cells that differ from the target (0 when the program sorts).
    func mismatches(_ state: [UInt8]) -> Int {
        var m = 0
        for i in 0..<target.count where state[i] != target[i] { m += 1 }
        return m
    }

    /// A lower bound on the instructions still needed: each output register that is wrong must be
    /// written at least once.
    func lowerBound(_ state: [UInt8]) -> Int {
        let T = tests
        var wrong = 0
        state.withUnsafeBufferPointer { s in target.withUnsafeBufferPointer { g in
            for i in 0..<n {
                for t in 0..<T where s[i * T + t] != g[i * T + t] { wrong += 1; break }
            }
        } }
        return wrong
    }

    /// Whether some input's value is in no register any more. Neither instruction set makes values (a move,
    /// a conditional move, a minimum or a maximum only selects one), so that state can never be sorted.
    func hasLostValue(_ state: [UInt8]) -> Bool {
        let T = tests
        return state.withUnsafeBufferPointer { s in
            for t in 0..<T {
                var present: UInt32 = 0
                for r in 0..<registers { present |= 1 << UInt32(s[r * T + t]) }
                if present != needed[t] { return true }
            }
            return false
        }
    }

    /// Runs a whole program from the initial state; nil when an instruction reads something undefined.
    public func run(_ program: [KernelInstruction]) -> [UInt8]? {
        var s = initialState()
        for ins in program {
            if readsUndefined(ins, s) { return nil }
            execute(ins, &s)
        }
        return s
    }

    /// `program` without the instructions it sorts without (tried one at a time, from the end).
    func simplified(_ program: [KernelInstruction]) -> [KernelInstruction] {
        var p = program
        var i = p.count - 1
        while i >= 0 {
            var q = p
            q.remove(at: i)
            if sorts(q) { p = q }
            i -= 1
        }
        return p
    }

    /// Whether `program` sorts every test input.
    public func sorts(_ program: [KernelInstruction]) -> Bool { run(program).map(isSorted) ?? false }
}
