import Foundation
#if canImport(Accelerate)
import Accelerate
#elseif canImport(CBLAS)
import CBLAS
#endif

/// Which BLAS kernels run, and choosing them by what the CPU can do rather than by its model number.
///
/// OpenBLAS built with DYNAMIC_ARCH (Debian's) picks its kernel set when it loads, from the CPU's model
/// number; on a model it does not know (Debian's 0.3.21 on Intel family 6 model 207, say) it falls back to
/// its SSE3 "Prescott" kernels, several times slower than the hardware allows. The choice can be changed
/// only before the library loads, through `OPENBLAS_CORETYPE`. `relaunchWithBestKernel()` (called first
/// by the executables) checks the kernel against the CPU's features and, when a better one is available,
/// starts the same program again with `OPENBLAS_CORETYPE` set. It also replaces a `OPENBLAS_CORETYPE` the
/// CPU cannot run (it would stop at the first illegal instruction); a runnable one the user set is kept.
public enum BLASKernel {
    /// The kernel set in use: OpenBLAS's core name ("Zen", "SkylakeX", "Prescott"), or "Accelerate".
    public static var coreName: String {
        #if canImport(Accelerate)
        return "Accelerate"
        #elseif canImport(CBLAS)
        return openblas_get_corename().map { String(cString: $0) } ?? "unknown"
        #else
        return "none"
        #endif
    }

    /// OpenBLAS's build configuration line (version, DYNAMIC_ARCH, threads).
    public static var configuration: String {
        #if canImport(Accelerate)
        return "Apple Accelerate"
        #elseif canImport(CBLAS)
        return openblas_get_config().map { String(cString: $0) } ?? "unknown"
        #else
        return "none"
        #endif
    }

    /// A kernel set's instruction level: what the CPU must support to run it, and how fast it can be.
    public enum Level: Int, Comparable, Sendable {
        case sse = 0, avx = 1, avx2 = 2, avx512 = 3

        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }

        /// The flags (as /proc/cpuinfo names them) the level needs.
        var requiredFlags: Set<String> {
            switch self {
            case .sse: return []
            case .avx: return ["avx"]
            case .avx2: return ["avx", "avx2", "fma"]
            case .avx512: return ["avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"]
            }
        }
    }

    /// OpenBLAS x86-64 core names by level (0.3.21's `gotoblas_corename` list). A name not listed is not
    /// judged: it is left alone.
    public static let levels: [String: Level] = {
        var table: [String: Level] = [:]
        for n in ["Katmai", "Coppermine", "Northwood", "Prescott", "Banias", "Atom", "Core2", "Penryn", "Dunnington",
                  "Nehalem", "Athlon", "Opteron", "Opteron_SSE3", "Barcelona", "Nano", "Bobcat"] { table[n] = .sse }
        for n in ["Sandybridge", "Bulldozer", "Piledriver", "Steamroller", "Excavator"] { table[n] = .avx }
        for n in ["Haswell", "Zen"] { table[n] = .avx2 }
        for n in ["SkylakeX", "Cooperlake", "SapphireRapids"] { table[n] = .avx512 }
        return table
    }()

    /// The instruction level of the kernel set in use ("sse", "avx", "avx2", "avx512"), or its core name
    /// when `levels` does not list it. Kernel sets of one level compute the same results bit for bit as far
    /// as measured (runner fixtures recorded under Zen match under Haswell; SkylakeX's differ), so the
    /// runner fixtures are kept per level.
    public static var levelName: String { levels[coreName].map { "\($0)" } ?? coreName }

    /// The best kernel set for a CPU with these flags: SkylakeX with AVX-512, Zen (AMD) or Haswell with
    /// AVX2 and FMA, Sandybridge with AVX; nil below that (OpenBLAS's own choice is as good).
    public static func best(flags: Set<String>, vendor: String) -> (name: String, level: Level)? {
        if Level.avx512.requiredFlags.isSubset(of: flags) { return ("SkylakeX", .avx512) }
        if Level.avx2.requiredFlags.isSubset(of: flags) { return (vendor == "AuthenticAMD" ? "Zen" : "Haswell", .avx2) }
        if Level.avx.requiredFlags.isSubset(of: flags) { return ("Sandybridge", .avx) }
        return nil
    }

    /// The core type to ask for, or nil to keep the one running. `detected` is the running kernel set,
    /// `requested` the `OPENBLAS_CORETYPE` the user set (nil: none).
    public static func preferredCoreType(detected: String, requested: String?, flags: Set<String>, vendor: String) -> String? {
        guard let best = best(flags: flags, vendor: vendor) else { return nil }
        if let requested {
            // Kept unless the CPU cannot run it (then the program would stop at its first instruction).
            guard let level = levels.first(where: { $0.key.lowercased() == requested.lowercased() })?.value,
                  !level.requiredFlags.isSubset(of: flags) else { return nil }
            return best.name
        }
        guard let level = levels[detected], level < best.level else { return nil }
        return best.name
    }

    /// The CPU's vendor and feature flags from /proc/cpuinfo (Linux; empty elsewhere).
    public static func cpuFeatures() -> (vendor: String, flags: Set<String>) {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return ("", []) }
        var vendor = "", flags: Set<String> = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            if key == "vendor_id", vendor.isEmpty { vendor = parts[1].trimmingCharacters(in: .whitespaces) }
            if key == "flags", flags.isEmpty { flags = Set(parts[1].split(separator: " ").map(String.init)) }
            if !vendor.isEmpty && !flags.isEmpty { break }
        }
        return (vendor, flags)
    }

    /// The environment variable that marks a relaunched process, so that it never relaunches again.
    public static let relaunchMarker = "MLFORGE_BLAS_RELAUNCHED"

    /// Starts this program again with the best kernel set when OpenBLAS chose a slower one than the CPU
    /// can run (or was asked for one it cannot run); returns when nothing is to change or the relaunch
    /// failed. Call it first thing in `main`, before any thread starts.
    public static func relaunchWithBestKernel() {
        #if os(Linux) && canImport(CBLAS)
        let env = ProcessInfo.processInfo.environment
        guard env[relaunchMarker] == nil else { return }
        let (vendor, flags) = cpuFeatures()
        guard let core = preferredCoreType(detected: coreName, requested: env["OPENBLAS_CORETYPE"], flags: flags, vendor: vendor) else { return }
        let previous = env["OPENBLAS_CORETYPE"]
        setenv("OPENBLAS_CORETYPE", core, 1)
        setenv(relaunchMarker, "1", 1)
        let arguments = CommandLine.arguments
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        execv("/proc/self/exe", &argv)
        // Only reached when exec failed: carry on with the kernel already loaded.
        unsetenv(relaunchMarker)
        if let previous { setenv("OPENBLAS_CORETYPE", previous, 1) } else { unsetenv("OPENBLAS_CORETYPE") }
        #endif
    }
}
