import Foundation
import Learners
import Search

/// A search run's part in a shared search (`SharedSearch`): the deadline, publishing each trial, and the
/// coordinator's collection of every process's trials.
extension SearchRun {
    var shared: SharedRun? { options.sharedRun }

    /// Before each trial: the coordinator publishes its search's end (it moves earlier on a loaded
    /// machine); a worker takes the published end, and returns false once the coordinator has ended the
    /// search.
    func syncShared() throws -> Bool {
        guard let shared else { return true }
        if shared.isCoordinator {
            try shared.publishDeadline(Date().addingTimeInterval(seconds(searchEnd - clock.now)))
            return true
        }
        let (end, ended) = try shared.deadline()
        guard !ended else { return false }
        if let end { searchEnd = clock.now + .milliseconds(Int(end.timeIntervalSinceNow * 1000)) }
        return true
    }

    /// Publishes a trial this process ran on the family's study (its predictions and models only while it
    /// can be an ensemble candidate: `SharedRun.publish`). A trial that cannot be published is
    /// reported: the coordinator's own trials stay in its run, a worker's are lost to the search.
    func publish(_ outcome: TrialOutcome, family: LearnerFamily, trial: Int) {
        guard let shared else { return }
        do { try shared.publish(outcome, family: family, trial: trial, candidates: policy.ensemble.candidates) } catch {
            log(.skipped(family, "trial \(outcome.entry.trial) could not be published on the shared study: \(error)"))
        }
    }

    /// The coordinator, after its own search: ends the study (workers start nothing new), waits a little
    /// for the trials other processes still run (they stop at the same deadline), then records every
    /// trial they published — renumbered after its own — and reads the fold models of those that stay
    /// ensemble candidates. A trial whose models cannot be read is left out, with the reason logged.
    func collectShared() throws {
        guard let shared, shared.isCoordinator else { return }
        let policy = shared.search.policy
        try shared.markEnded()
        let wait = min(policy.collectWaitShare * seconds(budgetEnd - runStart), policy.collectWaitMaximumSeconds)
        let until = clock.now + .milliseconds(Int(wait * 1000))
        let stores = families.compactMap { f in shared.openFamilies[f.family].map { (f.family, $0) } }
        while clock.now < until, try stores.contains(where: { try $0.1.records().contains { $0.state == .running } }) {
            Thread.sleep(forTimeInterval: policy.pollSeconds)
        }
        let runStartDate = Date().addingTimeInterval(-seconds(clock.now - runStart))
        var number = (entries.map(\.trial).max() ?? 0)
        var collected = 0
        for (family, store) in stores {
            for stored in try store.records() where stored.state.hasEnded && !shared.local.contains(SharedRun.localKey(family, stored.number)) {
                guard let data = try store.attribute(PublishedOutcome.key, trial: stored.number),
                      let published = try? JSONDecoder().decode(PublishedOutcome.self, from: data) else { continue }
                var outcome = published.outcome
                number += 1
                outcome.entry.trial = number
                outcome.entry.finishedAt = published.finished.addingTimeInterval(-shared.clockOffset).timeIntervalSince(runStartDate)
                outcome.published = (stored.number, published)
                record(outcome)
                collected += 1
            }
        }
        var kept: [TrialOutcome] = []
        for var outcome in outcomes {
            if let (n, published) = outcome.published, let store = shared.openFamilies[outcome.entry.family] {
                do {
                    var attributes: [String: Data] = [:]
                    for i in published.modelKeys.indices {
                        attributes[PublishedOutcome.modelKey(i)] = try store.attribute(PublishedOutcome.modelKey(i), trial: n)
                    }
                    outcome.models = try published.models(from: attributes)
                } catch {
                    log(.skipped(outcome.entry.family, "trial \(outcome.entry.trial) (by \(outcome.entry.worker ?? "another process")) is left out of the ensemble: its models could not be read (\(error))"))
                    continue
                }
            }
            kept.append(outcome)
        }
        outcomes = kept
        let workers = Set(entries.compactMap(\.worker)).count
        log(.phase("the shared study '\(shared.search.study)': \(collected) trials from other processes collected (\(workers) process\(workers == 1 ? "" : "es") in all)"))
    }
}
