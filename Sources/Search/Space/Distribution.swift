import Foundation

/// A value a parameter takes: a number, a whole number or a category.
public enum ParameterValue: Codable, Sendable, Hashable, CustomStringConvertible {
    case double(Double)
    case int(Int)
    case string(String)

    public var description: String {
        switch self {
        case .double(let v): return String(v)
        case .int(let v): return String(v)
        case .string(let v): return v
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .double(let v): return v
        case .int(let v): return Double(v)
        case .string: return nil
        }
    }
}

/// A configuration: a value for every active parameter, by name.
public typealias Configuration = [String: ParameterValue]

/// The range of one parameter.
///
/// Every distribution maps its values to the unit interval and back (`unit(of:)`, `value(atUnit:)`),
/// uniformly in the search's own sense: linear or logarithmic for numbers, equal-width cells for
/// categories. Strategies that model or mutate values (TPE, evolution, quasi-random) work in that space.
public enum Distribution: Codable, Sendable, Hashable {
    case float(low: Double, high: Double, log: Bool)
    case int(low: Int, high: Int, step: Int, log: Bool)
    case categorical([String])

    public static func float(_ low: Double, _ high: Double, log: Bool = false) -> Distribution {
        .float(low: low, high: high, log: log)
    }

    public static func int(_ low: Int, _ high: Int, step: Int = 1, log: Bool = false) -> Distribution {
        .int(low: low, high: high, step: step, log: log)
    }

    /// Throws when the bounds make no sense (the message says how to fix them).
    public func validate(name: String) throws {
        switch self {
        case .float(let lo, let hi, let log):
            guard lo.isFinite, hi.isFinite, lo <= hi else { throw SearchError.invalidSpace("\(name): float bounds must be finite with low ≤ high; got \(lo)…\(hi)") }
            if log && lo <= 0 { throw SearchError.invalidSpace("\(name): a log-scale range must be positive; got low \(lo)") }
        case .int(let lo, let hi, let step, let log):
            guard lo <= hi, step >= 1 else { throw SearchError.invalidSpace("\(name): int bounds need low ≤ high and step ≥ 1; got \(lo)…\(hi) step \(step)") }
            if log && (lo <= 0 || step != 1) { throw SearchError.invalidSpace("\(name): a log-scale int range must be positive with step 1") }
        case .categorical(let choices):
            guard !choices.isEmpty, Set(choices).count == choices.count else {
                throw SearchError.invalidSpace("\(name): a categorical parameter needs distinct choices")
            }
        }
    }

    /// Whether `value` is a value of this distribution.
    public func contains(_ value: ParameterValue) -> Bool {
        switch (self, value) {
        case (.float(let lo, let hi, _), .double(let v)): return v >= lo && v <= hi
        case (.int(let lo, let hi, let step, _), .int(let v)): return v >= lo && v <= hi && (v - lo) % step == 0
        case (.categorical(let c), .string(let v)): return c.contains(v)
        default: return false
        }
    }

    /// The value at position `u` in [0, 1] of the unit interval.
    public func value(atUnit u0: Double) -> ParameterValue {
        let u = min(max(u0, 0), 1)
        switch self {
        case .float(let lo, let hi, let log):
            if log { return .double(min(hi, max(lo, Foundation.exp(Foundation.log(lo) + u * (Foundation.log(hi) - Foundation.log(lo)))))) }
            return .double(min(hi, lo + u * (hi - lo)))
        case .int(let lo, let hi, let step, let log):
            if log {
                let x = Foundation.exp(Foundation.log(Double(lo) - 0.5) + u * (Foundation.log(Double(hi) + 0.5) - Foundation.log(Double(lo) - 0.5)))
                return .int(min(hi, max(lo, Int(x.rounded()))))
            }
            let cells = (hi - lo) / step + 1
            return .int(lo + min(cells - 1, Int(u * Double(cells))) * step)
        case .categorical(let c):
            return .string(c[min(c.count - 1, Int(u * Double(c.count)))])
        }
    }

    /// The centre of the unit-interval cell of `value` (inverse of `value(atUnit:)`).
    public func unit(of value: ParameterValue) -> Double {
        switch (self, value) {
        case (.float(let lo, let hi, let log), .double(let v)):
            guard hi > lo else { return 0.5 }
            if log { return (Foundation.log(v) - Foundation.log(lo)) / (Foundation.log(hi) - Foundation.log(lo)) }
            return (v - lo) / (hi - lo)
        case (.int(let lo, let hi, let step, let log), .int(let v)):
            if log {
                let a = Foundation.log(Double(lo) - 0.5), b = Foundation.log(Double(hi) + 0.5)
                return (Foundation.log(Double(v)) - a) / (b - a)
            }
            let cells = (hi - lo) / step + 1
            return (Double((v - lo) / step) + 0.5) / Double(cells)
        case (.categorical(let c), .string(let v)):
            return (Double(c.firstIndex(of: v) ?? 0) + 0.5) / Double(c.count)
        default:
            return 0.5
        }
    }

    /// Number of distinct values for discrete distributions (nil for floats).
    public var cardinality: Int? {
        switch self {
        case .float: return nil
        case .int(let lo, let hi, let step, _): return (hi - lo) / step + 1
        case .categorical(let c): return c.count
        }
    }

    public var isCategorical: Bool { if case .categorical = self { return true } else { return false } }
}

/// A problem with a search space, a study or a strategy's saved state.
public enum SearchError: Error, Equatable, CustomStringConvertible {
    case invalidSpace(String)
    case invalidConfiguration(String)
    case unknownTrial(Int)
    case invalidState(String)
    /// A shared store took the trial back from this worker (its lease expired before it ended the trial);
    /// the trial runs again elsewhere and this worker's result for it is discarded.
    case leaseLost(Int)

    public var description: String {
        switch self {
        case .invalidSpace(let m): return "invalid search space: \(m)"
        case .invalidConfiguration(let m): return "invalid configuration: \(m)"
        case .unknownTrial(let n): return "there is no trial number \(n) in this study"
        case .invalidState(let m): return m
        case .leaseLost(let n):
            return "trial \(n) is no longer this worker's: its lease expired before the trial ended (no heartbeat reached the store in time), so it was handed back to the queue and this result is discarded"
        }
    }
}
