import Foundation

/// This process's resident memory, from /proc/self/status (Linux): the current and the peak (`VmRSS`,
/// `VmHWM`), and a reset of the peak to the current (`/proc/self/clear_refs`, Linux 4.0 and later), so
/// that the peak of one piece of work can be told from what came before it.
enum ProcessMemory {
    /// The current resident set, in bytes.
    static func residentBytes() throws -> Int { try field("VmRSS") }

    /// The highest resident set since the process started or `resetPeak()` was last called, in bytes.
    static func peakBytes() throws -> Int { try field("VmHWM") }

    /// Sets the peak to the current resident set.
    static func resetPeak() throws {
        do { try "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8) } catch {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSLocalizedDescriptionKey:
                "cannot reset the peak resident set through /proc/self/clear_refs (Linux 4.0 or later, writable /proc): \(error)"])
        }
    }

    private static func field(_ name: String) throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            if let kB = line.split(separator: " ").compactMap({ Int($0) }).first { return kB * 1024 }
        }
        throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "/proc/self/status has no \(name) line"])
    }
}
