// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "MLForge",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Support", targets: ["Support"]),
        .library(name: "MLData", targets: ["MLData"]),
        .library(name: "Tensor", targets: ["Tensor"]),
        .library(name: "NN", targets: ["NN"]),
        .library(name: "Search", targets: ["Search"]),
        .library(name: "Store", targets: ["Store"]),
        .library(name: "Learners", targets: ["Learners"]),
        .library(name: "AutoML", targets: ["AutoML"]),
        .library(name: "Discovery", targets: ["Discovery"]),
        .library(name: "Transparency", targets: ["Transparency"]),
        .library(name: "Serving", targets: ["Serving"]),
        .library(name: "Export", targets: ["Export"]),
        .executable(name: "mlforge", targets: ["mlforge"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // SHA-256 for the audit trail's hash chain (BoringSSL's, through Apple's swift-crypto).
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // `mlforge serve`: HTTP on Hummingbird 2 (SwiftNIO), metrics in Prometheus' format.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // `mlforge export --format onnx`: ONNX's messages, generated once from Protos/onnx-ml.proto and committed.
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        // Studies shared by several machines: PostgresTrialStore on PostgreSQL through postgres-nio.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // Data layer: CSV reader, typed columnar frame, profile, preprocessing, splits, metrics.
        // (Named MLData, not Data, so that it never shadows Foundation.Data.)
        .target(name: "MLData", dependencies: ["Support"]),
        // The basics every target shares: seeded generator, CRC-32, duration helpers, one lock box.
        .target(name: "Support"),
        // OpenBLAS through a system-library shim (Linux); Accelerate is used on Apple platforms.
        .systemLibrary(
            name: "CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // Float32 / Float64 tensors, BLAS kernels and reverse-mode autodiff.
        .target(
            name: "Tensor",
            dependencies: [.target(name: "CBLAS", condition: .when(platforms: [.linux]))]
        ),
        // Layers, losses, optimizers, schedules, training loop, state dicts.
        .target(name: "NN", dependencies: ["Tensor", "Support"]),
        // Search spaces, studies and trials, strategies, pruners, trial stores.
        .target(name: "Search", dependencies: ["Support"]),
        // Trial stores beyond memory: SQLite (GRDB, WAL) as the embedded default; PostgreSQL (postgres-nio)
        // for studies that several processes or machines share, with leases and heartbeats.
        .target(name: "Store", dependencies: ["Search", "Support", .product(name: "GRDB", package: "GRDB.swift"),
                                              .product(name: "PostgresNIO", package: "postgres-nio"),
                                              .product(name: "NIOCore", package: "swift-nio"),
                                              .product(name: "NIOPosix", package: "swift-nio"),
                                              .product(name: "NIOSSL", package: "swift-nio-ssl"),
                                              .product(name: "Logging", package: "swift-log")]),
        // XGBoost's C API through a system-library shim (Debian libxgboost-dev).
        .systemLibrary(
            name: "CXGBoost", pkgConfig: "xgboost",
            providers: [.apt(["libxgboost-dev"])]
        ),
        // Model families behind one protocol: XGBoost trees and forests, linear models, k-NN, MLP.
        .target(name: "Learners", dependencies: ["MLData", "Tensor", "NN", "Search", "CXGBoost"]),
        // The runner: plan, search across families, ensemble, refit, artifact.
        .target(name: "AutoML", dependencies: ["MLData", "Learners", "Search", "Store", "NN", "Tensor"]),
        // What a model says about itself: the model card, explanations, group figures and the audit trail.
        .target(name: "Transparency", dependencies: ["AutoML", "MLData", "Learners", "Search", .product(name: "Crypto", package: "swift-crypto")]),
        // A model folder behind HTTP: predict, model, health, metrics, card and OpenAPI routes.
        .target(name: "Serving", dependencies: ["AutoML", "MLData", "Learners", "Support",
                                                .product(name: "Hummingbird", package: "hummingbird"),
                                                .product(name: "Prometheus", package: "swift-prometheus"),
                                                .product(name: "NIOCore", package: "swift-nio"),
                                                .product(name: "NIOPosix", package: "swift-nio"),
                                                .product(name: "Logging", package: "swift-log")]),
        // A model written for other runtimes: one dependency-free Swift file (ONNX to come).
        .target(name: "Export", dependencies: [
            "AutoML", "Learners", "MLData", "NN", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ]),
        // Algorithm discovery: sorting networks and sorting kernels — search, exhaustive checks, Swift emitter.
        .target(name: "Discovery", dependencies: ["Search", "Support"]),
        // A study worker on a SQLite file (several can share one study; the crash test kills one).
        .executableTarget(name: "study-worker", dependencies: ["Search", "Store"]),
        // Helpers shared by the test suites: fixtures, corpus runner, seeded generators.
        .target(name: "TestSupport", dependencies: ["Support", "MLData", "Tensor", "NN", "Search", "Learners"], resources: [.copy("Fixtures")]),
        // The command-line tool: a thin shell over the library.
        .executableTarget(
            name: "mlforge",
            dependencies: ["MLData", "Learners", "AutoML", "Store", "NN", "Tensor", "Discovery", "Transparency", "Serving", "Export", "Support", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Benchmarks (release builds; results in BENCHMARKS.md).
        .executableTarget(
            name: "mlforge-bench",
            dependencies: ["MLData", "Tensor", "NN", "Search", "Store", "Learners", "AutoML", "TestSupport", .target(name: "CBLAS", condition: .when(platforms: [.linux]))],
            path: "Benchmarks/mlforge-bench"
        ),
        .testTarget(name: "MLDataTests", dependencies: ["MLData", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "Support", "Tensor", "Search", "Store", "mlforge"]),
        .testTarget(name: "TensorTests", dependencies: ["Tensor", "TestSupport"]),
        .testTarget(name: "SearchTests", dependencies: ["Search", "Store", "MLData", "TestSupport"]),
        .testTarget(name: "LearnersTests", dependencies: ["Learners", "AutoML", "MLData", "Search", "TestSupport"]),
        .testTarget(name: "AutoMLTests", dependencies: ["AutoML", "Learners", "MLData", "Search", "Store", "Tensor", "TestSupport", "mlforge-bench"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Search", "TestSupport", "study-worker"]),
        .testTarget(name: "DiscoveryTests", dependencies: ["Discovery", "Support", "TestSupport", "mlforge"]),
        .testTarget(name: "TransparencyTests", dependencies: ["Transparency", "AutoML", "Learners", "MLData", "TestSupport", "mlforge"]),
        .testTarget(name: "NNTests", dependencies: ["NN", "Tensor", "MLData", "TestSupport"]),
    ]
)
