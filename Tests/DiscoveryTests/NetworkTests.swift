import Discovery
import Foundation
import Testing

typealias Comparator = Discovery.Comparator

/// Comparator networks: the JSON form, its errors, and the exhaustive 0-1 check against the tests' own.
@Suite("Comparator networks")
struct NetworkTests {
    /// Batcher's odd-even merge sort on 4 wires, and a network one comparator short of it.
    let sorter4 = ComparatorNetwork(channels: 4, comparators: [Comparator(0, 1), Comparator(2, 3), Comparator(0, 2), Comparator(1, 3), Comparator(1, 2)])
    let broken4 = ComparatorNetwork(channels: 4, comparators: [Comparator(0, 1), Comparator(2, 3), Comparator(0, 2), Comparator(1, 3)])

    @Test("network.json round-trips and states size, depth and layers")
    func jsonRoundTrip() throws {
        let data = try sorter4.json()
        let text = String(decoding: data, as: UTF8.self)
        #expect(text == #"{"comparators":[[0,1],[2,3],[0,2],[1,3],[1,2]],"depth":3,"layers":[[[0,1],[2,3]],[[0,2],[1,3]],[[1,2]]],"n":4,"size":5}"#)
        #expect(try ComparatorNetwork.read(json: data) == sorter4)
        let minimal = try ComparatorNetwork.read(json: Data(#"{"n": 3, "comparators": [[1, 2], [0, 2], [0, 1]]}"#.utf8))
        #expect(minimal.size == 3 && minimal.depth == 3)
        let net = try IndependentChecker.network(data)
        #expect(net.layers.count == 3)
    }

    @Test("bad network files are refused with a message that says what is wrong", arguments: [
        (#"{"n": 3, "comparators": [[2, 1]]}"#, "i < j"),
        (#"{"n": 3, "comparators": [[0, 3]]}"#, "wires are numbered 0...2"),
        (#"{"n": 3, "comparators": [[0, 1, 2]]}"#, "a comparator is a pair"),
        (#"{"n": 0, "comparators": []}"#, "it must lie in 1...20"),
        (#"{"n": 3, "size": 2, "comparators": [[0, 1]]}"#, "\"size\" says 2"),
        (#"{"n": 3, "depth": 2, "comparators": [[0, 1]]}"#, "\"depth\" says 2"),
        (#"{"n": 4, "comparators": [[0, 1], [2, 3]], "layers": [[[0, 1], [1, 2]]]}"#, "uses a wire twice"),
        (#"{"n": 4, "comparators": [[0, 1], [2, 3]], "layers": [[[2, 3], [0, 1]]]}"#, "flattened is not"),
        (#"{"comparators": [[0, 1]]}"#, "it needs \"n\""),
        ("[1, 2]", "not a network.json file"),
    ])
    func badFiles(_ text: String, _ message: String) throws {
        do {
            _ = try ComparatorNetwork.read(json: Data(text.utf8))
            Issue.record("\(text) was accepted")
        } catch let e as DiscoveryError {
            #expect(e.description.contains(message), "\(e.description)")
        }
    }

    @Test("the 0-1 check certifies a sorter with the figures the independent checker computes")
    func certificateFigures() throws {
        for net in [sorter4, ComparatorNetwork(channels: 1, comparators: []),
                    ComparatorNetwork(channels: 8, comparators: bubble(8))] {
            let cert = try ZeroOneCheck.certify(net)
            let independent = IndependentChecker.zeroOne(try IndependentChecker.network(net.json()))
            #expect(independent.sorted)
            #expect(cert.distinctAfterLayer == independent.distinct)
            #expect(cert.distinctAfterLayer.last == net.channels + 1, "only the n + 1 sorted 0-1 vectors remain")
            #expect(cert.inputsChecked == 1 << net.channels && cert.unsortedOutputs == 0)
            #expect(cert.networkCRC32 == String(format: "%08x", IndependentChecker.crc32([UInt8](try net.json()))))
        }
    }

    @Test("the 0-1 check rejects a network that does not sort, with an input it leaves unsorted")
    func rejectsNonSorter() throws {
        #expect(!ZeroOneCheck.sorts(broken4))
        #expect(!IndependentChecker.zeroOne(try IndependentChecker.network(broken4.json())).sorted)
        do {
            _ = try ZeroOneCheck.certify(broken4)
            Issue.record("a non-sorting network was certified")
        } catch DiscoveryError.notSorting(let input, let output) {
            let comparators = broken4.comparators.map { ($0.low, $0.high) }
            #expect(IndependentChecker.apply(comparators, input) == output, "the reported output is what the network makes")
            #expect(output != output.sorted())
        }
        // With any one comparator removed (some removals still sort, some do not), both checks agree.
        let odd = ComparatorNetwork(channels: 8, comparators: bubble(8))
        for k in 0..<odd.size {
            var c = odd.comparators
            c.remove(at: k)
            let net = ComparatorNetwork(channels: 8, comparators: c)
            #expect(ZeroOneCheck.sorts(net) == IndependentChecker.zeroOne(try IndependentChecker.network(net.json())).sorted)
        }
    }

    @Test("networks sort real values the way the 0-1 principle promises")
    func sortsValues() throws {
        let net = ComparatorNetwork(channels: 8, comparators: bubble(8))
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let v = (0..<8).map { _ in Double(Int.random(in: 0..<4, using: &rng)) }
            #expect(net.applied(to: v) == v.sorted())
        }
        #expect(net.mirrored.mirrored == net)
        #expect(ZeroOneCheck.sorts(net.mirrored))
    }

    @Test("known bounds are the published ones")
    func knownBounds() {
        let sizes = (1...16).map { KnownBounds.forChannels($0)?.size }
        #expect(sizes == [0, 1, 3, 5, 9, 12, 16, 19, 25, 29, 35, 39, 45, 51, 56, 60])
        let depths = (1...16).map { KnownBounds.forChannels($0)?.depth }
        #expect(depths == [0, 1, 3, 3, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 9, 9])
        #expect((1...12).allSatisfy { KnownBounds.forChannels($0)?.sizeIsOptimal == true })
        #expect(KnownBounds.forChannels(13)?.sizeIsOptimal == false)
    }

    /// The odd-even transposition sort: n rounds of alternating neighbour comparators.
    func bubble(_ n: Int) -> [Comparator] {
        (0..<n).flatMap { round in stride(from: round % 2, to: n - 1, by: 2).map { Comparator($0, $0 + 1) } }
    }
}
