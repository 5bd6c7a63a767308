import Learners

/// One trial's result with what the ensemble needs: validation predictions and the fold models.
struct TrialOutcome {
    var entry: LeaderboardEntry
    /// Predictions for `plan.validatedRows`, in that order.
    var validation: Predictions?
    /// One model per fold, with the key of the preprocessing it expects.
    var models: [(key: String, model: any FittedModel)]
    /// Chosen before any score was seen (a family's low-cost point or portfolio), so its validation
    /// score is an unbiased estimate; a searched configuration's is the best of many noisy draws.
    var apriori = false
    /// Its fits reused data an earlier trial derived from the same fold (`FitCache`), so its fit seconds
    /// leave out the learner's `estimatedReusableCost`.
    var reusedData = false
    /// Another process's trial in a shared search: its number in the family's study and its published
    /// outcome, whose fold models are read from the study once it is kept as an ensemble candidate
    /// (`models` is empty until then).
    var published: (trial: Int, outcome: PublishedOutcome)?
}
