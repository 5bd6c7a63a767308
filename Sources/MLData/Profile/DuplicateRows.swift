/// Counts rows that repeat an earlier row exactly (every column equal; missing equals missing).
enum DuplicateRows {
    static func count(in frame: DataFrame) -> Int {
        let n = frame.rowCount
        guard n > 1 else { return 0 }
        var hashes = [UInt64](repeating: 0x243F_6A88_85A3_08D3, count: n)
        for column in frame.columns {
            for i in 0..<n { hashes[i] = mix(hashes[i], valueBits(column, i)) }
        }
        let order = (0..<n).sorted { hashes[$0] < hashes[$1] }
        var duplicates = 0
        var start = 0
        while start < n {
            var end = start + 1
            while end < n && hashes[order[end]] == hashes[order[start]] { end += 1 }
            var representatives: [Int] = []
            for k in start..<end {
                let row = order[k]
                if representatives.contains(where: { rowsEqual(frame, $0, row) }) {
                    duplicates += 1
                } else {
                    representatives.append(row)
                }
            }
            start = end
        }
        return duplicates
    }

    private static func valueBits(_ column: Column, _ i: Int) -> UInt64 {
        switch column.storage {
        case .double(let v): return canonical(v[i])
        case .float(let v): return canonical(Double(v[i]))
        case .categorical(let codes, _): return UInt64(bitPattern: Int64(codes[i]))
        case .boolean(let v): return UInt64(bitPattern: Int64(v[i]))
        case .missing: return 0
        }
    }

    private static func canonical(_ x: Double) -> UInt64 {
        if x.isNaN { return 0x7FF8_0000_0000_0000 }
        return x == 0 ? 0 : x.bitPattern
    }

    private static func mix(_ h: UInt64, _ v: UInt64) -> UInt64 {
        var x = (h ^ v) &* 0x9E37_79B9_7F4A_7C15
        x ^= x >> 31
        return x &* 0xBF58_476D_1CE4_E5B9
    }

    private static func rowsEqual(_ frame: DataFrame, _ a: Int, _ b: Int) -> Bool {
        frame.columns.allSatisfy { valueBits($0, a) == valueBits($0, b) }
    }
}
