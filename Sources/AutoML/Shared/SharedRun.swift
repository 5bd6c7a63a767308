import Foundation
import Learners
import Search

/// What a coordinator's shared study starts from: the search, and the training file it shares.
struct SharedStart: Sendable {
    var search: SharedSearch
    var dataPath: String
    var dataHash: String
}

/// One process's side of a shared search (`SharedSearch`): the study `NAME` with the specification,
/// the deadline and the state; the family studies `NAME/FAMILY` with the trials and what each trial
/// published; and, for the coordinator, the exclusive hold on the study.
final class SharedRun: @unchecked Sendable {
    let search: SharedSearch
    let spec: SharedRunSpec
    /// The study `NAME` (run-wide attributes only; its trials are in the family studies).
    let runStore: any SharedTrialStore
    private var hold: (any ExclusiveHold)?
    private var stores: [LearnerFamily: any SharedTrialStore] = [:]
    /// The trials this process ran ("FAMILY#N"); the coordinator reads the others' from the store.
    var local: Set<String> = []
    private var publishedDeadline: Date?
    /// A score that `candidates` completed trials were seen to reach: a trial below it can never be a
    /// candidate (scores only accumulate), so it is judged without reading the studies.
    private var candidateBar = -Double.infinity
    /// The server's clock less this machine's (measured once, from the middle of the round trip): the
    /// deadline is published by the server's clock, so that machines whose clocks disagree stop together.
    let clockOffset: TimeInterval
    /// Added to a worker's strategy and fit seeds, so that processes do not propose the same
    /// configurations; 0 for the coordinator.
    let seedSalt: UInt64

    static let specKey = "spec", deadlineKey = "deadline", stateKey = "state"
    static let searching = Data("searching".utf8), ended = Data("ended".utf8)
    static func aprioriKey(_ family: LearnerFamily) -> String { "apriori/\(family.rawValue)" }

    private init(search: SharedSearch, spec: SharedRunSpec, runStore: any SharedTrialStore, hold: (any ExclusiveHold)?) throws {
        let before = Date()
        let server = try runStore.serverTime()
        clockOffset = server.timeIntervalSince(before.addingTimeInterval(Date().timeIntervalSince(before) / 2))
        self.search = search
        self.spec = spec
        self.runStore = runStore
        self.hold = hold
        seedSalt = search.role == .worker ? UInt64.random(in: 1...UInt64.max) : 0
    }

    deinit { close() }

    var isCoordinator: Bool { search.role == .coordinator }

    /// Takes the coordinator's hold on the study and writes the specification: refused when another
    /// coordinator holds it, when the study already holds a search and `resume` is false, or when `resume`
    /// would change the search.
    /// `deadline` is published at once (the search publishes its own end when it starts), so that a
    /// worker that joins at once knows when to stop.
    static func coordinator(_ search: SharedSearch, spec: SharedRunSpec, resume: Bool, deadline: Date) throws -> SharedRun {
        let place = "the study '\(search.study)' on \(search.host)"
        guard let hold = try search.host.hold(search.study) else {
            throw AutoMLError.invalidInput("another coordinator is running \(place); wait for it to end, or choose another --study")
        }
        do {
            let store = try search.host.open(study: search.study, leaseSeconds: search.leaseSeconds)
            if let data = try store.attributes(trial: nil)[specKey] {
                guard resume else {
                    throw AutoMLError.invalidInput("\(place) already holds a search; give --resume to continue it, or choose another --study")
                }
                let old = try JSONDecoder().decode(SharedRunSpec.self, from: data)
                let changes = spec.differences(from: old)
                guard changes.isEmpty else {
                    throw AutoMLError.invalidInput("--resume continues the same search, but \(place) was started with other values: \(changes.joined(separator: ", ")); run it as it was started, or choose another --study")
                }
            } else if resume {
                throw AutoMLError.invalidInput("nothing to resume: \(place) holds no search; run without --resume")
            }
            try store.setAttribute(specKey, try JSONEncoder().encode(spec), trial: nil)
            try store.setAttribute(stateKey, searching, trial: nil)
            let run = try SharedRun(search: search, spec: spec, runStore: store, hold: hold)
            try run.publishDeadline(deadline)
            return run
        } catch {
            hold.release()
            throw error
        }
    }

    /// Joins the study as a worker: waits up to `waitSeconds` for a coordinator's specification.
    static func worker(_ search: SharedSearch, waitSeconds: Double, log: ((String) -> Void)?) throws -> SharedRun {
        let store = try search.host.open(study: search.study, leaseSeconds: search.leaseSeconds)
        let start = Date()
        var said = false
        while true {
            if let data = try store.attributes(trial: nil)[specKey] {
                let spec: SharedRunSpec
                do { spec = try JSONDecoder().decode(SharedRunSpec.self, from: data) } catch {
                    throw AutoMLError.invalidInput("the study '\(search.study)' on \(search.host) holds a specification this MLForge cannot read (\(error)); run the same MLForge version as the coordinator")
                }
                guard spec.version <= SharedRunSpec.formatVersion else {
                    throw AutoMLError.invalidInput("the study '\(search.study)' was started by a newer MLForge (specification version \(spec.version)); upgrade MLForge on this machine")
                }
                var joined = search
                joined.leaseSeconds = spec.leaseSeconds
                // (The study `NAME` holds no trials: its store's lease does not matter.)
                return try SharedRun(search: joined, spec: spec, runStore: store, hold: nil)
            }
            guard Date().timeIntervalSince(start) < waitSeconds else {
                throw AutoMLError.invalidInput("no coordinator has started the study '\(search.study)' on \(search.host) within \(Int(waitSeconds)) s; start `mlforge fit … --storage URL --study \(search.study)` first, or wait longer with --wait")
            }
            if !said { log?("waiting for a coordinator to start the study '\(search.study)'"); said = true }
            Thread.sleep(forTimeInterval: max(search.policy.pollSeconds, 0.2))
        }
    }

    /// The family's shared study.
    func store(for family: LearnerFamily) throws -> any SharedTrialStore {
        if let s = stores[family] { return s }
        let s = try search.host.open(study: search.familyStudy(family), leaseSeconds: search.leaseSeconds)
        stores[family] = s
        return s
    }

    var openFamilies: [LearnerFamily: any SharedTrialStore] { stores }

    // MARK: The coordinator's queue

    private struct Apriori: Codable { var lowCost: Int?; var portfolio: [Int]; var earning: [Int]? }

    func publishApriori(_ family: LearnerFamily, lowCost: Int?, portfolio: Set<Int>, earning: Set<Int>) throws {
        let a = Apriori(lowCost: lowCost, portfolio: portfolio.sorted(), earning: earning.sorted())
        try runStore.setAttribute(Self.aprioriKey(family), try JSONEncoder().encode(a), trial: nil)
    }

    /// The family's low-cost trial, portfolio trials and those of them that earn their time, as the
    /// coordinator queued them.
    func apriori(_ family: LearnerFamily) throws -> (lowCost: Int?, portfolio: Set<Int>, earning: Set<Int>) {
        guard let data = try runStore.attributes(trial: nil)[Self.aprioriKey(family)] else { return (nil, [], []) }
        let a = try JSONDecoder().decode(Apriori.self, from: data)
        return (a.lowCost, Set(a.portfolio), Set(a.earning ?? []))
    }

    // MARK: Deadline and state

    /// Publishes the search's end (the coordinator's, by this machine's clock) by the server's clock, when
    /// it moved by more than the policy's resolution.
    func publishDeadline(_ date: Date) throws {
        if let p = publishedDeadline, abs(p.timeIntervalSince(date)) <= search.policy.deadlineResolutionSeconds { return }
        try runStore.setAttribute(Self.deadlineKey, try JSONEncoder().encode(date.timeIntervalSince1970 + clockOffset), trial: nil)
        publishedDeadline = date
    }

    /// The search's end as the coordinator published it (by this machine's clock), and whether the
    /// coordinator has ended it.
    func deadline() throws -> (end: Date?, ended: Bool) {
        let a = try runStore.attributes(trial: nil)
        let end = try a[Self.deadlineKey].map { Date(timeIntervalSince1970: try JSONDecoder().decode(Double.self, from: $0) - clockOffset) }
        return (end, a[Self.stateKey] == Self.ended)
    }

    func markEnded() throws { try runStore.setAttribute(Self.stateKey, Self.ended, trial: nil) }

    // MARK: Trials

    static func localKey(_ family: LearnerFamily, _ trial: Int) -> String { "\(family.rawValue)#\(trial)" }

    /// Publishes a trial's outcome on the family's study: its leaderboard entry, and, when it can still be
    /// an ensemble candidate (`canBeCandidate`), its validation predictions and fold models.
    func publish(_ outcome: TrialOutcome, family: LearnerFamily, trial: Int, candidates: Int) throws {
        local.insert(Self.localKey(family, trial))
        let store = try store(for: family)
        var published = outcome
        if !(try canBeCandidate(outcome, candidates: candidates)) {
            published.validation = nil
            published.models = []
        }
        for (key, value) in try PublishedOutcome.attributes(of: published, finished: Date().addingTimeInterval(clockOffset)) {
            try store.setAttribute(key, value, trial: trial)
        }
    }

    /// Whether the coordinator could keep the outcome as an ensemble candidate: it completed, and it is
    /// a-priori or fewer than `candidates` completed trials of the open family studies score higher (the
    /// coordinator keeps the best `candidates` and the a-priori ones; scores only rise).
    func canBeCandidate(_ outcome: TrialOutcome, candidates: Int) throws -> Bool {
        guard outcome.entry.state == .complete, let score = outcome.entry.score else { return false }
        if outcome.apriori { return true }
        if score < candidateBar { return false }
        var scores: [Double] = []
        for store in stores.values {
            scores += try store.records().filter { $0.state == .complete }.compactMap { $0.values?.first }
        }
        scores.sort(by: >)
        if scores.count >= candidates { candidateBar = max(candidateBar, scores[candidates - 1]) }
        return scores.filter { $0 > score }.count < candidates
    }

    /// Lets go of the studies and, for the coordinator, of its hold.
    func close() {
        for s in stores.values { s.close() }
        stores = [:]
        runStore.close()
        hold?.release()
        hold = nil
    }
}
