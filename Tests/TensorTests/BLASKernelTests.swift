import Tensor
import Testing

/// Choosing OpenBLAS's kernel set by the CPU's features.
@Suite struct BLASKernelTests {
    static let avx512: Set<String> = ["sse3", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"]
    static let avx2: Set<String> = ["sse3", "avx", "avx2", "fma"]

    @Test("A fallback kernel on a capable CPU is replaced by the best one the features allow")
    func fallbackReplaced() {
        // The Xeon of family 6 model 207 that Debian's OpenBLAS 0.3.21 runs with its Prescott kernels.
        #expect(BLASKernel.preferredCoreType(detected: "Prescott", requested: nil, flags: Self.avx512, vendor: "GenuineIntel") == "SkylakeX")
        #expect(BLASKernel.preferredCoreType(detected: "Prescott", requested: nil, flags: Self.avx2, vendor: "GenuineIntel") == "Haswell")
        #expect(BLASKernel.preferredCoreType(detected: "Nehalem", requested: nil, flags: Self.avx2, vendor: "AuthenticAMD") == "Zen")
        #expect(BLASKernel.preferredCoreType(detected: "Core2", requested: nil, flags: ["avx"], vendor: "GenuineIntel") == "Sandybridge")
    }

    @Test("A kernel as good as the CPU allows, an unknown name, or an old CPU: nothing changes")
    func keptWhenRight() {
        #expect(BLASKernel.preferredCoreType(detected: "Zen", requested: nil, flags: Self.avx2, vendor: "AuthenticAMD") == nil)
        #expect(BLASKernel.preferredCoreType(detected: "SkylakeX", requested: nil, flags: Self.avx512, vendor: "GenuineIntel") == nil)
        #expect(BLASKernel.preferredCoreType(detected: "Haswell", requested: nil, flags: Self.avx2, vendor: "AuthenticAMD") == nil, "same level")
        #expect(BLASKernel.preferredCoreType(detected: "FutureLake", requested: nil, flags: Self.avx512, vendor: "GenuineIntel") == nil)
        #expect(BLASKernel.preferredCoreType(detected: "Prescott", requested: nil, flags: ["sse3"], vendor: "GenuineIntel") == nil)
    }

    @Test("A kernel the user asks for is kept when the CPU can run it, replaced when it cannot")
    func requested() {
        #expect(BLASKernel.preferredCoreType(detected: "Prescott", requested: "Prescott", flags: Self.avx512, vendor: "GenuineIntel") == nil)
        #expect(BLASKernel.preferredCoreType(detected: "SkylakeX", requested: "skylakex", flags: Self.avx2, vendor: "AuthenticAMD") == "Zen")
        #expect(BLASKernel.preferredCoreType(detected: "Haswell", requested: "Haswell", flags: Self.avx2, vendor: "GenuineIntel") == nil)
    }

    @Test("This machine's kernel set is named and reaches its CPU's level")
    func thisMachine() {
        let (vendor, flags) = BLASKernel.cpuFeatures()
        let name = BLASKernel.coreName
        #expect(!name.isEmpty && name != "unknown")
        // Under `swift test` nothing relaunches: a fallback here is what the executables correct.
        if let best = BLASKernel.best(flags: flags, vendor: vendor), let level = BLASKernel.levels[name] {
            let corrected = BLASKernel.preferredCoreType(detected: name, requested: nil, flags: flags, vendor: vendor)
            #expect(level >= best.level || corrected == best.name)
        }
    }
}
