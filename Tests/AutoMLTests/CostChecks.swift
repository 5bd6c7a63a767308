import Testing

/// The cost model's checks, one suite at a time: the timed fits of `CostModelTests` and the memory
/// measurements of `MemoryModelTests`, whose processes of a million rows would slow the timed fits if
/// they ran beside them.
@Suite(.serialized) enum CostChecks {}
