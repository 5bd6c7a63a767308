import Support
import Foundation
import NN

/// A fitted model as bytes: its family, a format version, and named parts (metadata JSON, an XGBoost
/// model JSON, network weights). Written as a folder with a manifest of sizes and CRC-32 checksums;
/// the write is atomic (a temporary folder renamed into place), and reading checks version and checksums.
public struct ModelBundle: Sendable, Equatable {
    public static let formatVersion = 1
    static let manifestName = "manifest.json"

    public var family: LearnerFamily
    public var version: Int
    public var parts: [String: [UInt8]]

    public init(family: LearnerFamily, parts: [String: [UInt8]], version: Int = ModelBundle.formatVersion) {
        self.family = family
        self.parts = parts
        self.version = version
    }

    /// A part that must be present.
    public func part(_ name: String) throws -> [UInt8] {
        guard let p = parts[name] else { throw LearnerError.unreadableModel("the part '\(name)' is missing") }
        return p
    }

    /// Encodes `value` as the JSON part `name`.
    public mutating func setJSON(_ value: some Encodable, as name: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        parts[name] = [UInt8](try encoder.encode(value))
    }

    /// Decodes the JSON part `name`.
    public func json<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(try part(name))) } catch let e as LearnerError {
            throw e
        } catch {
            throw LearnerError.unreadableModel("the part '\(name)' is not valid: \(error)")
        }
    }

    struct Manifest: Codable {
        var format: String
        var version: Int
        var family: LearnerFamily
        var files: [String: FileEntry]
    }
    struct FileEntry: Codable { var bytes: Int; var crc32: UInt32 }

    /// Writes the bundle as the folder `directory`, replacing an existing one only once the new one is complete.
    public func write(to directory: URL) throws {
        try AtomicFolder.write(to: directory) { staging in
            var files: [String: FileEntry] = [:]
            for (name, bytes) in parts {
                guard !name.contains("/"), !name.hasPrefix("."), name != Self.manifestName else {
                    preconditionFailure("ModelBundle: part name '\(name)' is not a plain file name")
                }
                try Data(bytes).write(to: staging.appendingPathComponent(name))
                files[name] = FileEntry(bytes: bytes.count, crc32: CRC32.checksum(bytes))
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let manifest = Manifest(format: "mlforge-model", version: version, family: family, files: files)
            // The manifest goes last: a folder without it is never taken for a model.
            try encoder.encode(manifest).write(to: staging.appendingPathComponent(Self.manifestName))
        }
    }

    /// Reads a bundle written by `write(to:)`, checking format, version, sizes and checksums.
    public static func read(from directory: URL) throws -> ModelBundle {
        let manifestURL = directory.appendingPathComponent(manifestName)
        guard let data = try? Data(contentsOf: manifestURL) else {
            throw LearnerError.unreadableModel("\(directory.path) has no \(manifestName); it is not a saved model (or its save did not finish)")
        }
        guard let manifest = try? JSONDecoder().decode(Manifest.self, from: data), manifest.format == "mlforge-model" else {
            throw LearnerError.unreadableModel("\(manifestURL.path) is not an MLForge model manifest")
        }
        guard manifest.version <= formatVersion else {
            throw LearnerError.unreadableModel("the model has format version \(manifest.version); this MLForge reads up to \(formatVersion): upgrade MLForge")
        }
        var parts: [String: [UInt8]] = [:]
        for (name, entry) in manifest.files {
            guard !name.contains("/"), let bytes = try? [UInt8](Data(contentsOf: directory.appendingPathComponent(name))) else {
                throw LearnerError.unreadableModel("the file '\(name)' listed in the manifest is missing")
            }
            guard bytes.count == entry.bytes, CRC32.checksum(bytes) == entry.crc32 else {
                throw LearnerError.unreadableModel("the file '\(name)' is corrupted (size or checksum differs from the manifest)")
            }
            parts[name] = bytes
        }
        return ModelBundle(family: manifest.family, parts: parts, version: manifest.version)
    }
}
