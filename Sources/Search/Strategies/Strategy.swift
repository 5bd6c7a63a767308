import Foundation
import Support

/// Proposes the configuration of the next trial from the space and the history of the study.
///
/// Every strategy draws from its own seeded generator (one seed, one reproducible study with one
/// worker) and can save and restore its whole state, generator included, so that a resumed study
/// continues where it stopped.
public protocol Strategy: AnyObject, Sendable {
    /// The next configuration to try.
    func suggest(in space: SearchSpace, history: [TrialRecord], directions: [Direction]) -> Configuration
    /// The strategy's state (generator and learned quantities), as JSON.
    func saveState() throws -> Data
    func restoreState(_ data: Data) throws
}

/// Complete trials with a finite first objective, as (configuration, value) with smaller = better.
/// Infeasible trials (a constraint above 0) rank after every feasible one, by total violation.
func scored(_ history: [TrialRecord], _ directions: [Direction]) -> [(config: Configuration, loss: Double)] {
    let sign = directions.first == .maximize ? -1.0 : 1.0
    let feasible = history.compactMap { r -> Double? in
        guard r.state == .complete, r.isFeasible, let v = r.values?.first, v.isFinite else { return nil }
        return sign * v
    }
    let worst = feasible.max() ?? 0
    return history.compactMap { r in
        guard r.state == .complete, let v = r.values?.first, v.isFinite else { return nil }
        if r.isFeasible { return (r.configuration, sign * v) }
        let violation = (r.constraints ?? []).filter { $0 > 0 }.reduce(0, +)
        return (r.configuration, worst + 1 + abs(worst) + violation)
    }
}

/// Shared plumbing for strategies whose state is one Codable value behind a lock.
public class StatefulStrategy<State: Codable & Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    var state: State

    init(state: State) { self.state = state }

    func withState<R>(_ body: (inout State) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&state)
    }

    public func saveState() throws -> Data {
        try withState { s in Result { try JSONEncoder().encode(s) } }.get()
    }

    public func restoreState(_ data: Data) throws {
        do {
            let restored = try JSONDecoder().decode(State.self, from: data)
            withState { $0 = restored }
        } catch {
            throw SearchError.invalidState("the saved strategy state does not match this strategy: \(error)")
        }
    }
}

/// Uniform random search (Bergstra & Bengio 2012).
public final class RandomSearch: StatefulStrategy<RandomSearch.State>, Strategy {
    public struct State: Codable, Sendable { var rng: SeededGenerator }

    public init(seed: UInt64) { super.init(state: State(rng: SeededGenerator(seed: seed))) }

    public func suggest(in space: SearchSpace, history: [TrialRecord], directions: [Direction]) -> Configuration {
        withState { space.sample(using: &$0.rng) }
    }
}

/// Quasi-random search: a randomly shifted Halton sequence (Halton 1960; Cranley & Patterson 1976), which
/// covers the unit cube more evenly than independent draws in the first trials. Parameter i uses the i-th
/// prime as its base; inactive conditional parameters simply skip their coordinate.
public final class QuasiRandomSearch: StatefulStrategy<QuasiRandomSearch.State>, Strategy {
    public struct State: Codable, Sendable {
        var rng: SeededGenerator
        var index: Int
        var shift: [Double]
    }

    public init(seed: UInt64) { super.init(state: State(rng: SeededGenerator(seed: seed), index: 0, shift: [])) }

    public func suggest(in space: SearchSpace, history: [TrialRecord], directions: [Direction]) -> Configuration {
        withState { s in
            while s.shift.count < space.parameters.count { s.shift.append(s.rng.unitDouble()) }
            s.index += 1
            let n = s.index
            let shift = s.shift
            let position = Dictionary(uniqueKeysWithValues: space.parameters.enumerated().map { ($0.element.name, $0.offset) })
            return space.build { p, _ in
                let d = position[p.name] ?? 0
                let u = Self.radicalInverse(n, base: Self.prime(d)) + shift[d]
                return p.distribution.value(atUnit: u - u.rounded(.down))
            }
        }
    }

    static func radicalInverse(_ n: Int, base: Int) -> Double {
        var x = 0.0, f = 1.0 / Double(base), i = n
        while i > 0 {
            x += Double(i % base) * f
            i /= base
            f /= Double(base)
        }
        return x
    }

    static func prime(_ k: Int) -> Int {
        var found = 0, candidate = 1
        while found <= k {
            candidate += 1
            if (2..<candidate).allSatisfy({ candidate % $0 != 0 || $0 * $0 > candidate }) { found += 1 }
        }
        return candidate
    }
}
