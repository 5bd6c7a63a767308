import ArgumentParser
import AutoML
import MLData
import Store

/// Where a shared search's studies live: `--storage URL --study NAME` (fit and nas as coordinators,
/// worker to join them).
struct StorageOptions: ParsableArguments {
    @Option(help: "Share the search through a PostgreSQL database: postgresql://USER:PASSWORD@HOST:PORT/DATABASE (parts left out come from the PG* variables). Needs --study.")
    var storage: String?

    @Option(help: "The shared study's name (with --storage): the coordinator (fit, nas) starts it, workers join it by this name.")
    var study: String?

    /// The shared search of `--storage` and `--study` in `role`; nil when neither is given.
    func search(role: SharedSearch.Role, leaseSeconds: Double? = nil) throws -> SharedSearch? {
        switch (storage, study) {
        case (nil, nil): return nil
        case (nil, _?): throw DataError.invalidArgument("--study needs --storage: the PostgreSQL URL where the study lives")
        case (_?, nil): throw DataError.invalidArgument("--storage needs --study: the name of the shared study")
        case let (url?, name?):
            if let leaseSeconds, !(leaseSeconds >= 1) {
                throw DataError.invalidArgument("--lease-seconds must be at least 1 s; got \(leaseSeconds)")
            }
            var search = SharedSearch(host: try PostgresStudyHost(url: url), study: name, role: role)
            if let leaseSeconds { search.leaseSeconds = leaseSeconds }
            return search
        }
    }
}
