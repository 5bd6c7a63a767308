// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "MLForge",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "MLData", targets: ["MLData"]),
        .executable(name: "mlforge", targets: ["mlforge"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Data layer: CSV reader, typed columnar frame, profile, preprocessing, splits, metrics.
        // (Named MLData, not Data, so that it never shadows Foundation.Data.)
        .target(name: "MLData"),
        // Helpers shared by the test suites: fixtures, corpus runner, seeded generators.
        .target(name: "TestSupport", dependencies: ["MLData"], resources: [.copy("Fixtures")]),
        // The command-line tool: a thin shell over the library.
        .executableTarget(
            name: "mlforge",
            dependencies: ["MLData", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Benchmarks (release builds; results in BENCHMARKS.md).
        .executableTarget(name: "mlforge-bench", dependencies: ["MLData"], path: "Benchmarks/mlforge-bench"),
        .testTarget(name: "MLDataTests", dependencies: ["MLData", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "mlforge"]),
    ]
)
