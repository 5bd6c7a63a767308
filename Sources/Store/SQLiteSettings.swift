import GRDB

/// How MLForge opens its SQLite files (the trial store and the knowledge base): write-ahead log (a
/// `DatabasePool`), a 10 s wait for another process's lock, and `synchronous = NORMAL`.
///
/// In WAL mode `NORMAL` syncs the log at checkpoints instead of at every commit: a killed process loses
/// nothing committed, a power cut may lose the last commits but never corrupts the file (SQLite's own
/// documentation). Measured with strace beside a disk writer: the default (`FULL`) made single commits
/// of the trial journal and the knowledge base wait 0.25–0.30 s for the disk, past a 4 s fit's budget
/// (BENCHMARKS.md, "A fit on a loaded machine").
enum SQLiteSettings {
    /// The configuration both stores open their pools with.
    static var configuration: GRDB.Configuration {
        var config = GRDB.Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        return config
    }
}
