import Foundation

/// `network.json`: `{"n": N, "size": S, "depth": D, "comparators": [[i, j], …], "layers": [[[i, j], …], …]}`,
/// wires numbered from 0, each comparator `[i, j]` with i < j putting the smaller value on wire i. The
/// comparators are listed layer by layer, so the layers flattened are the comparator list.
extension ComparatorNetwork: Codable {
    enum CodingKeys: String, CodingKey { case n, size, depth, comparators, layers }

    public func encode(to encoder: Encoder) throws {
        let net = layered
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(channels, forKey: .n)
        try c.encode(size, forKey: .size)
        try c.encode(net.depth, forKey: .depth)
        try c.encode(net.comparators.map { [$0.low, $0.high] }, forKey: .comparators)
        try c.encode(net.layers.map { $0.map { [$0.low, $0.high] } }, forKey: .layers)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let n = try c.decode(Int.self, forKey: .n)
        guard (1...DiscoveryLimits.maxChannels).contains(n) else {
            throw DiscoveryError.invalidNetwork("\"n\" is \(n); it must lie in 1...\(DiscoveryLimits.maxChannels)")
        }
        let pairs = try c.decode([[Int]].self, forKey: .comparators)
        let comparators = try pairs.enumerated().map { k, p in try Self.comparator(p, at: "comparator \(k)", n: n) }
        self.init(channels: n, comparators: comparators)
        if let size = try c.decodeIfPresent(Int.self, forKey: .size), size != comparators.count {
            throw DiscoveryError.invalidNetwork("\"size\" says \(size) but \"comparators\" lists \(comparators.count)")
        }
        if let depth = try c.decodeIfPresent(Int.self, forKey: .depth), depth != self.depth {
            throw DiscoveryError.invalidNetwork("\"depth\" says \(depth) but the comparators make \(self.depth) layers")
        }
        if let layers = try c.decodeIfPresent([[[Int]]].self, forKey: .layers) {
            var flat: [Comparator] = []
            for (l, layer) in layers.enumerated() {
                var used = Set<Int>()
                for (k, p) in layer.enumerated() {
                    let comp = try Self.comparator(p, at: "layer \(l), comparator \(k)", n: n)
                    guard used.insert(comp.low).inserted, used.insert(comp.high).inserted else {
                        throw DiscoveryError.invalidNetwork("layer \(l) uses a wire twice (at \(p)); a layer's comparators must touch different wires")
                    }
                    flat.append(comp)
                }
            }
            guard flat == comparators else {
                throw DiscoveryError.invalidNetwork("\"layers\" flattened is not the \"comparators\" list; leave \"layers\" out or list the comparators layer by layer")
            }
        }
    }

    private static func comparator(_ p: [Int], at place: String, n: Int) throws -> Comparator {
        guard p.count == 2 else { throw DiscoveryError.invalidNetwork("\(place) is \(p); a comparator is a pair [i, j]") }
        guard p.allSatisfy({ (0..<n).contains($0) }) else {
            throw DiscoveryError.invalidNetwork("\(place) is \(p); wires are numbered 0...\(n - 1)")
        }
        guard p[0] < p[1] else {
            throw DiscoveryError.invalidNetwork("\(place) is \(p); write each comparator [i, j] with i < j (the smaller value goes to wire i)")
        }
        return Comparator(p[0], p[1])
    }

    /// The network as `network.json` text (pretty, one comparator list a line would be long: compact
    /// arrays, sorted keys).
    public func json() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return try e.encode(self)
    }

    /// Reads a network from `network.json` text.
    public static func read(json data: Data) throws -> ComparatorNetwork {
        do {
            return try JSONDecoder().decode(ComparatorNetwork.self, from: data)
        } catch let e as DiscoveryError {
            throw e
        } catch {
            throw DiscoveryError.invalidNetwork("not a network.json file (\(error)); it needs \"n\" and \"comparators\": [[i, j], …]")
        }
    }
}
