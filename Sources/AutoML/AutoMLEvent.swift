import Learners

/// What a run reports while it works.
public enum AutoMLEvent: Sendable {
    /// The plan: rows, task, metric and validation scheme.
    case plan(String)
    /// A finished trial.
    case trial(LeaderboardEntry, best: Double, left: Duration)
    /// A configuration not tried, and why.
    case skipped(LearnerFamily, String)
    /// A phase of the run (ensemble, refit, save).
    case phase(String)
}
