/// Where a run reads the time, and how loaded the machine is. `SystemRunClock` in use; a test passes a
/// clock it moves itself, so that the scheduler's time shares and deadlines can be checked without
/// sleeping.
public protocol RunClock: Sendable {
    var now: ContinuousClock.Instant { get }
    /// How many times longer than on an idle machine fixed work takes now (1: idle). The run stretches
    /// the time it keeps after the search by it (`BudgetPolicy.stretched`).
    var slowdown: Double { get }
}

extension RunClock {
    /// A clock that says nothing of the load: idle.
    public var slowdown: Double { 1 }
}

/// The system's continuous clock, and the process's load since the clock was made (`ProcessLoad`).
public struct SystemRunClock: RunClock {
    private let load = ProcessLoad()
    public init() {}
    public var now: ContinuousClock.Instant { ContinuousClock.now }
    public var slowdown: Double { load.slowdown() }
}
