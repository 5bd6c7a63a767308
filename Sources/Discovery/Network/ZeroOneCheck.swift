import Foundation
import Support

/// The exhaustive check of a sorting network by the 0-1 principle (Knuth, TAOCP 5.3.4, Theorem Z): a
/// comparator network sorts every input if and only if it sorts all 2^n inputs of 0s and 1s.
///
/// Bit-parallel: wire w holds one bit per 0-1 input, 2^n bits in 64-bit words (input x's bit on wire w
/// is bit w of x), a comparator is one AND and one OR per word, and the outputs are sorted when no wire
/// holds a 1 where the wire above it holds a 0. At n = 16 that is 1,024 words a wire.
public enum ZeroOneCheck {
    /// Checks `network` on every 0-1 input; returns its certificate, or throws `notSorting` with the
    /// first input it leaves unsorted.
    public static func certify(_ network: ComparatorNetwork) throws -> SortingCertificate {
        let n = network.channels
        guard n <= DiscoveryLimits.maxChannels else {
            throw DiscoveryError.invalidNetwork("\(n) wires; the exhaustive check goes to \(DiscoveryLimits.maxChannels)")
        }
        let inputs = 1 << n
        let words = max(1, inputs / 64)
        let used: UInt64 = inputs >= 64 ? ~0 : (1 << UInt64(inputs)) - 1
        var wires = (0..<n).map { w in (0..<words).map { k in pattern(wire: w, word: k) & used } }
        var distinct: [Int] = [distinctPatterns(wires, n: n, words: words, used: used)]
        for layer in network.layered.layers {
            for c in layer {
                for k in 0..<words {
                    let a = wires[c.low][k], b = wires[c.high][k]
                    wires[c.low][k] = a & b
                    wires[c.high][k] = a | b
                }
            }
            distinct.append(distinctPatterns(wires, n: n, words: words, used: used))
        }
        for w in 0..<max(0, n - 1) {
            for k in 0..<words {
                let bad = wires[w][k] & ~wires[w + 1][k]
                if bad != 0 {
                    let x = k * 64 + bad.trailingZeroBitCount
                    let input = (0..<n).map { (x >> $0) & 1 }
                    let out = network.applied(toBits: UInt32(x))
                    throw DiscoveryError.notSorting(input: input, output: (0..<n).map { Int((out >> UInt32($0)) & 1) })
                }
            }
        }
        return SortingCertificate(network: network, inputsChecked: inputs, distinctAfterLayer: distinct)
    }

    /// Whether `network` sorts (the same check, without a certificate).
    public static func sorts(_ network: ComparatorNetwork) -> Bool {
        (try? certify(network)) != nil
    }

    /// Word `k` of wire `w`'s bits: bit b of the word is bit w of the input 64k + b.
    static func pattern(wire w: Int, word k: Int) -> UInt64 {
        let low: [UInt64] = [0xAAAA_AAAA_AAAA_AAAA, 0xCCCC_CCCC_CCCC_CCCC, 0xF0F0_F0F0_F0F0_F0F0,
                             0xFF00_FF00_FF00_FF00, 0xFFFF_0000_FFFF_0000, 0xFFFF_FFFF_0000_0000]
        if w < 6 { return low[w] }
        return (k >> (w - 6)) & 1 == 1 ? ~0 : 0
    }

    /// How many different 0-1 vectors the wires hold over all inputs (counted on a 2^n bitmap).
    static func distinctPatterns(_ wires: [[UInt64]], n: Int, words: Int, used: UInt64) -> Int {
        var seen = [UInt64](repeating: 0, count: max(1, (1 << n) / 64))
        var count = 0
        for k in 0..<words {
            var live = used
            while live != 0 {
                let b = live.trailingZeroBitCount
                live &= live - 1
                var v = 0
                for w in 0..<n where (wires[w][k] >> UInt64(b)) & 1 == 1 { v |= 1 << w }
                if seen[v >> 6] & (1 << UInt64(v & 63)) == 0 {
                    seen[v >> 6] |= 1 << UInt64(v & 63)
                    count += 1
                }
            }
        }
        return count
    }
}

/// What the exhaustive check found, written beside a network as `certificate.json`: the network (its
/// CRC-32 over `network.json`), that all 2^n 0-1 inputs were run through it and left sorted, and how many
/// distinct 0-1 vectors remain after each layer (2^n before the first, n + 1 after the last: the
/// sorted ones). An independent checker recomputes every figure from `network.json`.
public struct SortingCertificate: Codable, Sendable, Equatable {
    public var n: Int
    public var size: Int
    public var depth: Int
    public var principle: String
    public var inputsChecked: Int
    public var unsortedOutputs: Int
    /// Distinct 0-1 vectors on the wires before the first layer and after each one.
    public var distinctAfterLayer: [Int]
    /// CRC-32 of the network's `network.json` bytes, as 8 hex digits.
    public var networkCRC32: String

    init(network: ComparatorNetwork, inputsChecked: Int, distinctAfterLayer: [Int]) {
        n = network.channels
        size = network.size
        depth = network.depth
        principle = "0-1 principle (Knuth, TAOCP 5.3.4, Theorem Z): every one of the 2^n inputs of 0s and 1s was run through the network bit-parallel and left sorted"
        self.inputsChecked = inputsChecked
        unsortedOutputs = 0
        self.distinctAfterLayer = distinctAfterLayer
        networkCRC32 = Self.crc(of: network)
    }

    /// The CRC-32 of the network's JSON, as the certificate states it.
    public static func crc(of network: ComparatorNetwork) -> String {
        let bytes = (try? network.json()).map { [UInt8]($0) } ?? []
        return String(format: "%08x", CRC32.checksum(bytes))
    }
}
