/// The instruction sets of the sort-kernel game: a register machine small enough to search exhaustively,
/// close to what a compiler emits for a fixed-size sort.
public enum KernelISA: String, Codable, Sendable, CaseIterable {
    /// x86-64's branchless idiom, AlphaDev's game (Mankowitz et al., Nature 2023): `mov d, s`;
    /// `cmp a, b` (sets the flags from a − b); `cmovl d, s` (d = s when the last cmp found a < b);
    /// `cmovg d, s` (d = s when it found a > b).
    case cmov
    /// Three-operand minimum and maximum (AVX's `vpminsd`, ARM's `smin`): `mov d, s`; `min d, a, b`;
    /// `max d, a, b`.
    case minmax
}

/// One instruction of the register machine. Registers r0 … r(n−1) hold the input at the start and must
/// hold it sorted at the end (r0 the smallest); higher registers are scratch.
public struct KernelInstruction: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Op: String, Codable, Sendable, CaseIterable { case mov, cmp, cmovl, cmovg, min, max }

    public var op: Op
    /// The register written (for `cmp`: the first register compared).
    public var d: Int
    /// The source (`mov`, `cmovl`, `cmovg`), or the second operand (`cmp`, `min`, `max`).
    public var a: Int
    /// The third operand of `min` and `max` (unused otherwise).
    public var b: Int

    public init(_ op: Op, _ d: Int, _ a: Int, _ b: Int = 0) {
        self.op = op
        self.d = d
        self.a = a
        self.b = b
    }

    public var description: String {
        switch op {
        case .min, .max: return "\(op.rawValue) r\(d), r\(a), r\(b)"
        default: return "\(op.rawValue) r\(d), r\(a)"
        }
    }

    /// Registers read, with −1 for the flags.
    var reads: [Int] {
        switch op {
        case .mov: return [a]
        case .cmp: return [d, a]
        case .cmovl, .cmovg: return [d, a, -1]
        case .min, .max: return [a, b]
        }
    }

    /// The register written, or −1 for the flags.
    var writes: Int { op == .cmp ? -1 : d }

    /// Whether the two may run in either order with the same effect.
    func commutes(with other: KernelInstruction) -> Bool {
        let w = writes, v = other.writes
        return w != v && !other.reads.contains(w) && !reads.contains(v)
    }

    /// Every instruction of `isa` on `registers` registers, in a fixed order (no self-moves, `cmp` and
    /// the commutative `min` / `max` with their operands in increasing order).
    public static func all(_ isa: KernelISA, registers: Int) -> [KernelInstruction] {
        var out: [KernelInstruction] = []
        let r = 0..<registers
        for d in r { for s in r where s != d { out.append(KernelInstruction(.mov, d, s)) } }
        switch isa {
        case .cmov:
            for x in r { for y in r where y > x { out.append(KernelInstruction(.cmp, x, y)) } }
            for op in [Op.cmovl, .cmovg] { for d in r { for s in r where s != d { out.append(KernelInstruction(op, d, s)) } } }
        case .minmax:
            for op in [Op.min, .max] { for d in r { for x in r { for y in r where y > x { out.append(KernelInstruction(op, d, x, y)) } } } }
        }
        return out
    }
}
