import Foundation
import Tensor
import Testing
import TestSupport

/// `mlforge --version [--verbose]`, and the BLAS kernels the executable runs with.
@Suite("mlforge --version")
struct VersionCommandTests {
    @Test("--version prints the version; --verbose adds the BLAS kernel set, the CPU and XGBoost")
    func verbose() throws {
        let plain = try MLForgeBinary.run(["--version"], environment: ["OPENBLAS_CORETYPE": nil])
        #expect(plain.status == 0 && plain.stdout.split(separator: "\n").count == 1 && plain.stdout.contains("."), "\(plain)")
        let r = try MLForgeBinary.run(["--version", "--verbose"], environment: ["OPENBLAS_CORETYPE": nil])
        #expect(r.status == 0, "\(r.stderr)")
        for key in ["mlforge:", "blas kernel:", "blas level:", "blas:", "cpu:", "xgboost:"] { #expect(r.stdout.contains(key), "\(r.stdout)") }
        // The kernel set the executable runs is at the CPU's best level (relaunched if OpenBLAS fell back).
        let (vendor, flags) = BLASKernel.cpuFeatures()
        if let best = BLASKernel.best(flags: flags, vendor: vendor) {
            let line = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("blas kernel:") })
            let name = String(line.dropFirst("blas kernel: ".count).prefix { $0 != " " })
            #expect(BLASKernel.levels[name].map { $0 >= best.level } ?? true, "\(line)")
        }
    }

    @Test("A kernel the CPU cannot run is replaced before it runs; one it can run is kept")
    func requestedKernel() throws {
        let (vendor, flags) = BLASKernel.cpuFeatures()
        let best = try #require(BLASKernel.best(flags: flags, vendor: vendor), "this test needs an x86-64 CPU with AVX")
        let avx512 = best.level == .avx512
        // Without AVX-512, SkylakeX would stop at its first instruction: mlforge runs the best set instead.
        let requested = avx512 ? "Prescott" : "SkylakeX"
        let r = try MLForgeBinary.run(["--version", "--verbose"], environment: ["OPENBLAS_CORETYPE": requested])
        #expect(r.status == 0 && !r.crashed, "\(r.stderr)")
        let expected = avx512 ? "blas kernel: Prescott (OPENBLAS_CORETYPE=Prescott)" : "blas kernel: \(best.name) (OPENBLAS_CORETYPE=\(best.name), set by mlforge"
        #expect(r.stdout.contains(expected), "\(r.stdout)")
    }
}
