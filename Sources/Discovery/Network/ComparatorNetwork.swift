/// A comparator network on `channels` wires: comparators applied in order. It is a sorting network when
/// every input leaves it in ascending order, wire 0 holding the smallest value.
public struct ComparatorNetwork: Hashable, Sendable {
    /// The number of wires (n).
    public let channels: Int
    /// The comparators in the order they act.
    public let comparators: [Comparator]

    public init(channels: Int, comparators: [Comparator]) {
        precondition(channels >= 1, "a network has at least one wire")
        precondition(comparators.allSatisfy { $0.high < channels }, "a comparator reaches past wire \(channels - 1)")
        self.channels = channels
        self.comparators = comparators
    }

    /// The number of comparators.
    public var size: Int { comparators.count }

    /// The comparators grouped into parallel steps, each as early as its wires allow (the "as soon as
    /// possible" layering, which gives the network's depth); within a layer no two share a wire.
    public var layers: [[Comparator]] {
        var readyAt = [Int](repeating: 0, count: channels)
        var layers: [[Comparator]] = []
        for c in comparators {
            let layer = Swift.max(readyAt[c.low], readyAt[c.high])
            if layer == layers.count { layers.append([]) }
            layers[layer].append(c)
            readyAt[c.low] = layer + 1
            readyAt[c.high] = layer + 1
        }
        return layers
    }

    /// The number of parallel steps.
    public var depth: Int {
        var readyAt = [Int](repeating: 0, count: channels)
        var depth = 0
        for c in comparators {
            let layer = Swift.max(readyAt[c.low], readyAt[c.high]) + 1
            readyAt[c.low] = layer
            readyAt[c.high] = layer
            depth = Swift.max(depth, layer)
        }
        return depth
    }

    /// The same network with its comparators listed layer by layer (it computes the same function: a
    /// comparator only moves past others on different wires).
    public var layered: ComparatorNetwork { ComparatorNetwork(channels: channels, comparators: layers.flatMap { $0 }) }

    /// The network's mirror image (wire w becomes n − 1 − w, order kept); it sorts when the network does.
    public var mirrored: ComparatorNetwork {
        ComparatorNetwork(channels: channels, comparators: comparators.map { $0.mirrored(channels: channels) })
    }

    /// Runs `values` (one a wire) through the network.
    public func applied<T: Comparable>(to values: [T]) -> [T] {
        precondition(values.count == channels, "the network has \(channels) wires; got \(values.count) values")
        var v = values
        for c in comparators where v[c.high] < v[c.low] { v.swapAt(c.low, c.high) }
        return v
    }

    /// Runs a 0-1 input (bit w is wire w's value) through the network.
    public func applied(toBits input: UInt32) -> UInt32 {
        comparators.reduce(input) { $1.apply(toBits: $0) }
    }
}
