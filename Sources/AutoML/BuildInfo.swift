import Foundation
import Learners
import Tensor

/// What this build of MLForge runs on: its version, the BLAS kernels in use and the libraries it links,
/// as `mlforge --version --verbose` prints them.
public struct BuildInfo: Sendable {
    /// Named facts, in print order.
    public var entries: [(name: String, value: String)]

    public static func current() -> BuildInfo {
        let (vendor, flags) = BLASKernel.cpuFeatures()
        let best = BLASKernel.best(flags: flags, vendor: vendor)
        let cpu = vendor.isEmpty ? "not known" : "\(vendor), best BLAS kernel set \(best?.name ?? "generic")"
        var requested = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"].map { "OPENBLAS_CORETYPE=\($0)" } ?? "chosen by OpenBLAS"
        if ProcessInfo.processInfo.environment[BLASKernel.relaunchMarker] != nil { requested += ", set by mlforge from the CPU's features" }
        return BuildInfo(entries: [
            ("mlforge", AutoMLModel.version),
            ("blas kernel", "\(BLASKernel.coreName) (\(requested))"),
            ("blas level", BLASKernel.levelName),
            ("blas", BLASKernel.configuration),
            ("cpu", cpu),
            ("xgboost", XGBoostLibrary.version),
        ])
    }

    /// One "name: value" line per entry.
    public var text: String { entries.map { "\($0.name): \($0.value)" }.joined(separator: "\n") }
}
