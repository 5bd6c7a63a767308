/// Where a run reads the time. `SystemRunClock` in use; a test passes a clock it moves itself, so that
/// the scheduler's time shares and deadlines can be checked without sleeping.
public protocol RunClock: Sendable {
    var now: ContinuousClock.Instant { get }
}

/// The system's continuous clock.
public struct SystemRunClock: RunClock {
    public init() {}
    public var now: ContinuousClock.Instant { ContinuousClock.now }
}
