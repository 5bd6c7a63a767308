import Foundation

/// Writes a folder atomically: its content goes into a temporary sibling folder, which is renamed into
/// place once complete (an existing folder is moved aside first and deleted after). An interrupted
/// write leaves at most a hidden `.NAME.partial-PID` folder, never a half-written NAME.
public enum AtomicFolder {
    public static func write(to directory: URL, _ fill: (URL) throws -> Void) throws {
        let fm = FileManager.default
        let parent = directory.deletingLastPathComponent()
        let pid = ProcessInfo.processInfo.processIdentifier
        let staging = parent.appendingPathComponent(".\(directory.lastPathComponent).partial-\(pid)")
        try? fm.removeItem(at: staging)
        try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        do {
            try fill(staging)
            if fm.fileExists(atPath: directory.path) {
                let old = parent.appendingPathComponent(".\(directory.lastPathComponent).old-\(pid)")
                try? fm.removeItem(at: old)
                try fm.moveItem(at: directory, to: old)
                do { try fm.moveItem(at: staging, to: directory) } catch {
                    try? fm.moveItem(at: old, to: directory)
                    throw error
                }
                try? fm.removeItem(at: old)
            } else {
                try fm.moveItem(at: staging, to: directory)
            }
        } catch {
            try? fm.removeItem(at: staging)
            throw error
        }
    }
}
