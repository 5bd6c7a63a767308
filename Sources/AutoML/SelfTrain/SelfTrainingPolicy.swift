/// Every constant of self-training (`fit --unlabeled`), named with its reason.
public struct SelfTrainingPolicy: Codable, Sendable, Equatable {
    /// The plain fit on the labelled rows takes this share of the run's time; the self-training rounds
    /// share the rest. Half: the plain fit must stay good on its own, since a round is kept only when
    /// it beats it.
    public var firstRoundShare = 0.5
    /// At most this many later rounds, each labelling with the best model so far.
    public var maxRounds = 2
    /// A round is started only with at least this share of the run's time left (a search shorter than
    /// that cannot beat the plain fit).
    public var minimumRoundShare = 0.2
    /// A row is pseudo-labelled only when the labeller gives its class at least this probability (a
    /// floor: the rows are ranked by it, below).
    public var confidence = 0.5
    /// Round r pseudo-labels r × this share of the unlabeled rows, the most confident first and
    /// class-balanced (each class its share of the labelled rows): a curriculum, as Cascante-Bonilla et
    /// al. (2020) rank by confidence instead of trusting one threshold — the ensembles of a few hundred
    /// rows are rarely sure of anything in absolute terms.
    public var shareOfUnlabeledPerRound = 0.25
    /// A round is kept only when its ensemble's validation score beats the best so far by more than this
    /// (in the metric's units, higher better): ties go to the model without pseudo-labels.
    public var minimumGain = 1e-4
    /// … and by more than this many standard errors of the gain, from a paired bootstrap of the two
    /// ensembles' validation predictions on the same labelled rows. With the bare score (0 here), rounds
    /// that validation on 90–450 labelled rows preferred lost up to 0.13 ROC AUC on test rows
    /// (BENCHMARKS.md, issue 21). Measured on the generated plane task of the tests (k-NN, 100–200
    /// labels, 6 draws each, 2026-12-05): at 2 standard errors nearly every round that helped on test
    /// rows was refused; at 1 the rounds kept gained +0.008 to +0.011 on test rows (at 150 labels) and
    /// the one kept that lost, lost 0.0013.
    public var keepStandardErrors = 1.0
    /// Bootstrap resamples of the validation rows for that standard error. Hand-set: 200 give its value
    /// to about 5%.
    public var keepResamples = 200

    public init() {}

    public static let standard = SelfTrainingPolicy()

    /// Checks the values are usable.
    public func validate() throws {
        guard (0.05...0.95).contains(firstRoundShare), maxRounds >= 0, (0...1).contains(minimumRoundShare),
              (0...1).contains(confidence), (0...1).contains(shareOfUnlabeledPerRound), shareOfUnlabeledPerRound > 0, minimumGain >= 0,
              keepStandardErrors >= 0, keepResamples >= 2 else {
            throw AutoMLError.invalidInput("the self-training policy has a value out of range: \(self)")
        }
    }
}
