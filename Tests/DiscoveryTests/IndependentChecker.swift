import Foundation

/// The tests' own checker of what `mlforge discover` writes, sharing no code with the Discovery target:
/// it reads the files with `JSONSerialization`, runs every 0-1 input through the network one value at a
/// time (no bit-parallel tricks), lays the comparators out in layers by its own rule, computes the CRC-32
/// bit by bit, and interprets kernel programs from their text with arbitrary garbage in the scratch
/// registers. Every figure a certificate states is recomputed here.
enum IndependentChecker {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    struct Network {
        var n: Int
        var comparators: [(Int, Int)]
        var layers: [[(Int, Int)]]
    }

    /// Reads `network.json` and checks its form: wires in range, i < j, the layers flattened equal to the
    /// comparator list, no wire twice in a layer, and the stated size and depth.
    static func network(_ data: Data) throws -> Network {
        guard let o = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let n = o["n"] as? Int, let pairs = o["comparators"] as? [[Int]], let layerList = o["layers"] as? [[[Int]]],
              let size = o["size"] as? Int, let depth = o["depth"] as? Int
        else { throw Failure(description: "network.json lacks n, size, depth, comparators or layers") }
        let comparators = pairs.map { ($0[0], $0[1]) }
        for (i, j) in comparators where !(0 <= i && i < j && j < n) {
            throw Failure(description: "comparator [\(i), \(j)] is not a pair of wires i < j below \(n)")
        }
        let layers = layerList.map { $0.map { ($0[0], $0[1]) } }
        guard layers.flatMap({ $0 }).map({ [$0.0, $0.1] }) == pairs else {
            throw Failure(description: "the layers flattened are not the comparator list")
        }
        for layer in layers {
            let wires = layer.flatMap { [$0.0, $0.1] }
            guard Set(wires).count == wires.count else { throw Failure(description: "a layer uses a wire twice") }
        }
        guard size == comparators.count else { throw Failure(description: "size \(size) but \(comparators.count) comparators") }
        guard depth == layers.count else { throw Failure(description: "depth \(depth) but \(layers.count) layers") }
        // The layers must be the earliest ones: each comparator one layer after the last one on its wires.
        guard asapDepth(n: n, comparators) == depth else {
            throw Failure(description: "depth \(depth) is not the network's depth \(asapDepth(n: n, comparators))")
        }
        return Network(n: n, comparators: comparators, layers: layers)
    }

    /// The depth when every comparator runs as early as its wires allow.
    static func asapDepth(n: Int, _ comparators: [(Int, Int)]) -> Int {
        var ready = [Int](repeating: 0, count: n)
        for (i, j) in comparators {
            let l = max(ready[i], ready[j]) + 1
            ready[i] = l
            ready[j] = l
        }
        return ready.max() ?? 0
    }

    /// Runs one input through the comparators.
    static func apply<T: Comparable>(_ comparators: [(Int, Int)], _ input: [T]) -> [T] {
        var v = input
        for (i, j) in comparators where v[j] < v[i] { v.swapAt(i, j) }
        return v
    }

    /// Whether the network sorts all 2^n inputs of 0s and 1s, and how many distinct vectors remain
    /// before the first layer and after each one.
    static func zeroOne(_ net: Network) -> (sorted: Bool, distinct: [Int]) {
        var vectors = Set<[Int]>()
        for x in 0..<(1 << net.n) { vectors.insert((0..<net.n).map { (x >> $0) & 1 }) }
        var distinct = [vectors.count]
        for layer in net.layers {
            vectors = Set(vectors.map { apply(layer, $0) })
            distinct.append(vectors.count)
        }
        let sorted = vectors.allSatisfy { v in zip(v, v.dropFirst()).allSatisfy { $0 <= $1 } }
        return (sorted, distinct)
    }

    /// The CRC-32 (IEEE, reflected, as zlib) of `bytes`, bit by bit.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// Checks a discovery folder: the network sorts (0-1 inputs and random integer inputs with ties), and
    /// `certificate.json` states exactly what this checker computes. Returns the network.
    @discardableResult
    static func checkFolder(_ dir: URL) throws -> Network {
        let data = try Data(contentsOf: dir.appendingPathComponent("network.json"))
        let net = try network(data)
        let (sorted, distinct) = zeroOne(net)
        guard sorted else { throw Failure(description: "the network leaves a 0-1 input unsorted") }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let input = (0..<net.n).map { _ in Int.random(in: 0..<max(2, net.n / 2), using: &rng) }
            guard apply(net.comparators, input) == input.sorted() else { throw Failure(description: "\(input) is not sorted") }
        }
        guard let cert = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("certificate.json"))) as? [String: Any]
        else { throw Failure(description: "certificate.json is not a JSON object") }
        let expected: [String: Any] = ["n": net.n, "size": net.comparators.count, "depth": net.layers.count,
                                       "inputsChecked": 1 << net.n, "unsortedOutputs": 0]
        for (k, v) in expected where cert[k] as? Int != v as? Int {
            throw Failure(description: "certificate.json says \(k) = \(cert[k] ?? "nothing"), the checker finds \(v)")
        }
        guard cert["distinctAfterLayer"] as? [Int] == distinct else {
            throw Failure(description: "certificate.json's distinctAfterLayer \(cert["distinctAfterLayer"] ?? "nothing") is not \(distinct)")
        }
        let crc = String(format: "%08x", crc32([UInt8](data)))
        guard cert["networkCRC32"] as? String == crc else {
            throw Failure(description: "certificate.json's networkCRC32 \(cert["networkCRC32"] ?? "nothing") is not network.json's \(crc)")
        }
        return net
    }

    // MARK: Kernel programs

    /// Runs a kernel program, given as its text lines (`mov r3, r0`, `cmp r0, r1`, `cmovg r0, r1`,
    /// `min r0, r1, r2` …), on `values` in r0 … r(n−1), with `garbage` in the scratch registers and no
    /// flags set; returns r0 … r(n−1), or throws when an instruction reads flags no `cmp` set.
    static func runKernel(_ lines: [String], values: [Int], registers: Int, garbage: Int) throws -> [Int] {
        var r = values + [Int](repeating: garbage, count: registers - values.count)
        var flags: Int?  // the sign of a − b at the last cmp
        for line in lines {
            let parts = line.replacingOccurrences(of: ",", with: " ").split(separator: " ").map(String.init)
            let ops = try parts.dropFirst().map { p -> Int in
                guard p.hasPrefix("r"), let k = Int(p.dropFirst()), (0..<registers).contains(k) else {
                    throw Failure(description: "bad operand \(p) in \(line)")
                }
                return k
            }
            switch (parts.first, ops.count) {
            case ("mov", 2): r[ops[0]] = r[ops[1]]
            case ("cmp", 2): flags = r[ops[0]] < r[ops[1]] ? -1 : (r[ops[0]] == r[ops[1]] ? 0 : 1)
            case ("cmovl", 2), ("cmovg", 2):
                guard let f = flags else { throw Failure(description: "\(line) reads flags no cmp set") }
                if f == (parts[0] == "cmovl" ? -1 : 1) { r[ops[0]] = r[ops[1]] }
            case ("min", 3): r[ops[0]] = min(r[ops[1]], r[ops[2]])
            case ("max", 3): r[ops[0]] = max(r[ops[1]], r[ops[2]])
            default: throw Failure(description: "unknown instruction \(line)")
            }
        }
        return Array(r.prefix(values.count))
    }

    /// Whether the program sorts every sequence of n values drawn from 0 … n−1 (all n^n, so every
    /// pattern of ties), whatever the scratch registers hold at the start (below, among and above the
    /// values).
    static func kernelSorts(_ lines: [String], n: Int, registers: Int) throws -> Bool {
        var total = 1
        for _ in 0..<n { total *= n }
        for garbage in [-1_000, n / 2, 1_000] {
            for x in 0..<total {
                var v: [Int] = []
                var y = x
                for _ in 0..<n { v.append(y % n); y /= n }
                if try runKernel(lines, values: v, registers: registers, garbage: garbage) != v.sorted() { return false }
            }
        }
        return true
    }
}
