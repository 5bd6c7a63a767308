/// A hash table from byte strings to dense codes, used to dictionary-encode categorical columns while reading.
///
/// Keys live in one byte arena, so interning a value that was seen before allocates nothing; a `String`
/// is made once per distinct level, at the end. Open addressing with linear probing, power-of-two size.
struct LevelTable {
    private(set) var arena: [UInt8] = []
    private(set) var offsets: [Int] = []   // start of level k in the arena; end is offsets[k+1] or arena.count
    private var hashes: [UInt64] = []
    private var slots: [Int32] = Array(repeating: -1, count: 64)
    /// Physical line on which each level first appeared (for error messages).
    private(set) var firstLines: [Int] = []

    var count: Int { offsets.count }

    /// The code of the bytes `p[start..<end]`, adding a new level if needed.
    @inline(__always)
    mutating func intern(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, line: Int) -> Int32 {
        let h = Self.hash(p + start, end - start)
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let code = slots[s]
            if code < 0 { break }
            if hashes[Int(code)] == h && equals(Int(code), p + start, end - start) { return code }
            s = (s + 1) & mask
        }
        let code = Int32(offsets.count)
        offsets.append(arena.count)
        arena.append(contentsOf: UnsafeBufferPointer(start: p + start, count: end - start))
        hashes.append(h)
        firstLines.append(line)
        slots[s] = code
        if offsets.count * 2 > slots.count { grow() }
        return code
    }

    /// The bytes of level `k`.
    func bytes(_ k: Int) -> ArraySlice<UInt8> {
        let end = k + 1 < offsets.count ? offsets[k + 1] : arena.count
        return arena[offsets[k]..<end]
    }

    private func equals(_ k: Int, _ q: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let start = offsets[k]
        let end = k + 1 < offsets.count ? offsets[k + 1] : arena.count
        guard end - start == n else { return false }
        return arena.withUnsafeBufferPointer { a in
            var i = 0
            while i < n {
                if a[start + i] != q[i] { return false }
                i += 1
            }
            return true
        }
    }

    private mutating func grow() {
        var newSlots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = newSlots.count - 1
        for (code, h) in hashes.enumerated() {
            var s = Int(truncatingIfNeeded: h) & mask
            while newSlots[s] >= 0 { s = (s + 1) & mask }
            newSlots[s] = Int32(code)
        }
        slots = newSlots
    }

    /// A 64-bit hash of `n` bytes, eight at a time (multiply–xorshift mixing).
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n)
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                w |= UInt64(p[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
        }
        h = (h ^ (h >> 29)) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 32)
    }
}
