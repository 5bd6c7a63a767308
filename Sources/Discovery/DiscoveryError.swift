/// A problem with a request to `mlforge discover` or with a network file; each message says what is
/// wrong and how to fix it.
public enum DiscoveryError: Error, Equatable, CustomStringConvertible {
    case invalidRequest(String)
    case invalidNetwork(String)
    /// The network does not sort: `input` (one 0/1 value a wire, wire 0 first) leaves it unsorted.
    case notSorting(input: [Int], output: [Int])

    public var description: String {
        switch self {
        case .invalidRequest(let m): return m
        case .invalidNetwork(let m): return "invalid network: \(m)"
        case .notSorting(let input, let output):
            return "the network does not sort: the 0-1 input \(input) (wire 0 first) leaves it as \(output)"
        }
    }
}

/// Limits shared by the searches and the checks.
public enum DiscoveryLimits {
    /// The most wires a network may have: the exhaustive check walks all 2^n 0-1 inputs, and the search
    /// keeps a table of 2^n entries (4 MB at 20).
    public static let maxChannels = 20
}
