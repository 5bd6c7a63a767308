import Foundation
import MLData
import Testing

/// Files shipped with the test support target: the malformed-input corpus and the metric fixtures.
public enum Fixtures {
    /// The URL of a fixture file, e.g. `url("malformed/empty.csv")`.
    public static func url(_ relativePath: String) -> URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(relativePath)
    }

    /// The folder of the shared public datasets (`../shared/datasets` beside the repository), if present.
    public static var sharedDatasets: URL? {
        var dir = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { dir.deleteLastPathComponent() }  // Sources/TestSupport/TestSupport.swift → repo root
        let shared = dir.deletingLastPathComponent().appendingPathComponent("shared/datasets")
        return FileManager.default.fileExists(atPath: shared.path) ? shared : nil
    }

    /// Whether a test that needs `../shared/datasets` should run: when the folder is here, or when
    /// `MLFORGE_REQUIRE_SHARED=1` says it must be (CI sets it), so that there a missing folder fails the
    /// test instead of skipping it. Use as `.enabled(if: Fixtures.sharedDataRunnable, Fixtures.needsShared)`.
    public static var sharedDataRunnable: Bool {
        sharedDatasets != nil || ProcessInfo.processInfo.environment["MLFORGE_REQUIRE_SHARED"] == "1"
    }

    /// The reason shown when a test that needs the shared datasets is skipped.
    public static let needsShared: Comment = "needs ../shared/datasets beside the repository"

    /// A folder of this test process's own in the temporary directory, removed when the process exits:
    /// tests make their files and folders in it, so that a run leaves nothing behind in /tmp (a test
    /// that fails or crashes before its own clean-up included).
    public static let scratch: URL = {
        let dir = scratchFolder(pid: getpid())
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: Fixtures.scratchFolder(pid: getpid())) }
        return dir
    }()

    static func scratchFolder(pid: Int32) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("mlforge-test-run-\(pid)")
    }

    /// A path for `file` inside a new, empty temporary folder whose name starts with `prefix`.
    public static func temporaryPath(_ prefix: String, file: String) throws -> String {
        let dir = scratch.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(file).path
    }

    /// The repository root (for bundled examples).
    public static var repositoryRoot: URL {
        var dir = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { dir.deleteLastPathComponent() }
        return dir
    }

    /// The names of the shared datasets (folders with a train.csv).
    public static var sharedDatasetNames: [String] {
        guard let root = sharedDatasets,
              let names = try? FileManager.default.contentsOfDirectory(atPath: root.path) else { return [] }
        return names.filter { FileManager.default.fileExists(atPath: root.appendingPathComponent("\($0)/train.csv").path) }.sorted()
    }
}

/// One entry of the malformed-input corpus: a file, the arguments to read it with, and a fragment the error
/// message must contain.
public struct MalformedCase: Decodable, Sendable, CustomStringConvertible {
    public var file: String
    public var expect: String
    public var target: String?
    public var task: String?
    public var types: [String: String]?

    public var description: String { file }

    public var url: URL { Fixtures.url("malformed/\(file)") }

    /// The whole corpus.
    public static func all() throws -> [MalformedCase] {
        let data = try Data(contentsOf: Fixtures.url("malformed/corpus.json"))
        return try JSONDecoder().decode([MalformedCase].self, from: data)
    }

    /// The CSV options that the case's declared types call for.
    public var options: CSVOptions {
        var o = CSVOptions()
        for (name, type) in types ?? [:] { o.columnTypes[name] = ColumnType(rawValue: type) }
        return o
    }

    /// `mlforge profile` arguments for the case.
    public var profileArguments: [String] {
        var args = ["profile", url.path]
        if let target { args += ["--target", target] }
        if let task { args += ["--task", task] }
        for (name, type) in (types ?? [:]).sorted(by: { $0.key < $1.key }) { args += ["--column-type", "\(name)=\(type)"] }
        return args
    }
}

/// Runs a program and collects its exit status and output.
public struct ProcessResult: Sendable {
    public var status: Int32
    /// True when the process ended by a signal (a crash or a trap), not by exiting.
    public var crashed: Bool
    public var stdout: String
    public var stderr: String

    /// `environment` adds to (or, for a nil value, removes from) this process's environment.
    public static func run(_ executable: URL, _ arguments: [String], currentDirectory: URL? = nil,
                           environment: [String: String?] = [:]) throws -> ProcessResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            var env = ProcessInfo.processInfo.environment
            for (k, v) in environment { env[k] = v }
            process.environment = env
        }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes while the process runs, so a large output cannot block it.
        nonisolated(unsafe) var errData = Data()
        let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        return ProcessResult(
            status: process.terminationStatus,
            crashed: process.terminationReason == .uncaughtSignal,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// Executables built beside the test bundle (`mlforge`, `study-worker`).
public enum BuiltProduct {
    public static func url(_ name: String) -> URL {
        let bundle = Bundle.main.bundleURL
        let candidates = [
            bundle.deletingLastPathComponent().appendingPathComponent(name),
            bundle.appendingPathComponent(name),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }
}

/// The built `mlforge` executable beside the test bundle.
public enum MLForgeBinary {
    public static var url: URL { BuiltProduct.url("mlforge") }

    /// Each run gets its own empty local knowledge base (`MLFORGE_KNOWLEDGE`) unless `environment` names
    /// one, so that no test's fit reads what another's (or the user's) left in ~/.mlforge.
    public static func run(_ arguments: [String], currentDirectory: URL? = nil, environment: [String: String?] = [:]) throws -> ProcessResult {
        var environment = environment
        if environment.index(forKey: "MLFORGE_KNOWLEDGE") == nil { environment["MLFORGE_KNOWLEDGE"] = scratchKnowledge().path }
        return try ProcessResult.run(url, arguments, currentDirectory: currentDirectory, environment: environment)
    }

    /// A path for a knowledge base of a test's own (in `Fixtures.scratch`).
    public static func scratchKnowledge() -> URL {
        Fixtures.scratch.appendingPathComponent("mlforge-knowledge-\(UUID().uuidString).sqlite")
    }
}
