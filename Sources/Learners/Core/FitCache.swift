import Support

/// What a learner derives from one fold's data and can use again in the next trial on the same fold:
/// XGBoost's DMatrix with its quantile cuts and histogram index, which took 5–10 s per trial on a
/// 80,000 × 500 fold before it was kept (the trees themselves took under a second). The runner makes one
/// cache per run and hands each fit a scope of it named by its fold and preprocessing recipe, through
/// `FitContext.cache`; a fit without one (a refit on all rows, a fit on a subsample, a user's own fit)
/// derives its data afresh.
///
/// Entries are kept up to `capacityBytes` over all scopes; one that would exceed it is made and returned
/// but not kept, so a cache never holds more than its capacity. Lookups and insertions are serialised; an
/// entry is made while holding the lock, so two fits asking for the same key make it once.
public final class FitCache: Sendable {
    private final class Storage: Sendable {
        let capacityBytes: Int
        let entries = LockedBox<(values: [String: AnyObject], bytes: Int, hits: Int)>(([:], 0, 0))
        init(capacityBytes: Int) { self.capacityBytes = capacityBytes }
    }

    private let storage: Storage
    private let prefix: String

    public init(capacityBytes: Int) {
        storage = Storage(capacityBytes: max(0, capacityBytes))
        prefix = ""
    }

    private init(storage: Storage, prefix: String) {
        self.storage = storage
        self.prefix = prefix
    }

    /// The bytes all scopes together may keep.
    public var capacityBytes: Int { storage.capacityBytes }

    /// A view of this cache whose keys are apart from every other scope's (one per fold and recipe);
    /// it shares the capacity.
    public func scoped(_ name: String) -> FitCache {
        FitCache(storage: storage, prefix: prefix + name + "/")
    }

    /// The entry for `key`, made by `make` the first time; `bytes` is what keeping it costs.
    public func value<T: AnyObject>(for key: String, bytes: Int, make: () throws -> T) rethrows -> T {
        let key = prefix + key
        let capacity = storage.capacityBytes
        return try storage.entries.withLock { state in
            if let kept = state.values[key] as? T {
                state.hits += 1
                return kept
            }
            let made = try make()
            if state.bytes + bytes <= capacity {
                state.values[key] = made
                state.bytes += bytes
            }
            return made
        }
    }

    /// Bytes the kept entries of all scopes take.
    public var keptBytes: Int { storage.entries.withLock { $0.bytes } }

    /// How many lookups of all scopes found their entry kept: a fit whose lookups raised it reused
    /// derived data (see `Learner.estimatedReusableCost`).
    public var hits: Int { storage.entries.withLock { $0.hits } }
}
