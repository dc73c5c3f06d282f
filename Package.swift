// swift-tools-version:6.0
// Basalt: a columnar analytics database server over a lake of Parquet files.
// Module layering (every dependency points down; see ARCHITECTURE.md):
//   basalt (executable) -> BasaltCLI -> PGWire -> Access -> Engine -> SQL
//                          BasaltCLI -> Ingest -> Lake      Engine -> Lake -> Parquet -> Kernels -> Columnar
//                                                                              Parquet -> Compression -> C shims
import PackageDescription

// The hot loops (decoding, kernels, operators) mutate arrays held by classes and
// structs inside tight loops; Swift's dynamic exclusivity checks there cost more
// than the work itself (measured: about 40% of TPC-H Q1's instructions; in the
// server, 2-3% of a cached point query). Static checks still run; only the
// runtime bookkeeping is turned off.
let hotLoops: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"])]

let package = Package(
    name: "Basalt",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "basalt", targets: ["basalt"]),
        .library(name: "Parquet", targets: ["Parquet"]),
        .library(name: "Columnar", targets: ["Columnar"]),
        .library(name: "Engine", targets: ["Engine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.29.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // System libraries, one tiny target per codec (Debian's -dev packages; nothing vendored).
        .systemLibrary(name: "CSnappy", path: "Sources/CShims/CSnappy", providers: [.apt(["libsnappy-dev"])]),
        .systemLibrary(name: "CZstd", path: "Sources/CShims/CZstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CShims/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLZ4", path: "Sources/CShims/CLZ4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CBrotli", path: "Sources/CShims/CBrotli", providers: [.apt(["libbrotli-dev"])]),
        // Header-only: a prefetch hint for the engine's hash tables.
        .systemLibrary(name: "CPrefetch", path: "Sources/CShims/CPrefetch"),
        .systemLibrary(name: "CMemmem", path: "Sources/CShims/CMemmem"),
        // Header-only: statfs's file-system type (the Parquet reader maps local files only).
        .systemLibrary(name: "CFileSystem", path: "Sources/CShims/CFileSystem"),

        .target(name: "Columnar", swiftSettings: hotLoops),
        .target(name: "Compression", dependencies: ["CSnappy", "CZstd", "CZlib", "CLZ4", "CBrotli"]),
        .target(name: "Kernels", dependencies: ["Columnar"], swiftSettings: hotLoops),
        .target(name: "Parquet", dependencies: [
            "Columnar", "Kernels", "Compression", "CFileSystem",
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: hotLoops),
        // SQL text to syntax tree and back; knows nothing of data.
        .target(name: "SQL"),
        // Where data lives: object stores, table discovery, Hive partitions, the metastore.
        .target(name: "Lake", dependencies: [
            "Parquet", "Columnar",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // Binder, planner, optimizer, vectorized operators.
        .target(name: "Engine", dependencies: [
            "SQL", "Lake", "Parquet", "Columnar", "Kernels", "CPrefetch", "CMemmem",
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: hotLoops),
        // Permissions in the style of Lake Formation: users, roles, grants, data filters,
        // masks, tags and the audit log, as the engine's AccessPolicy.
        .target(name: "Access", dependencies: ["Engine", "Lake", "SQL", "Columnar"]),
        // The PostgreSQL v3 wire protocol: messages, SCRAM, value formats, the
        // connection state machine and the SwiftNIO server (`basalt serve`).
        .target(name: "PGWire", dependencies: [
            "Engine", "Lake", "SQL", "Columnar", "Access",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: hotLoops),
        // Offline ingestion: CSV, NDJSON and Parquet into partitioned lake tables (`basalt ingest`).
        .target(name: "Ingest", dependencies: ["Lake", "Parquet", "Columnar", "Kernels", "Compression"], swiftSettings: hotLoops),
        .target(name: "BasaltCLI", dependencies: [
            "Engine", "Lake", "SQL", "Parquet", "Columnar", "PGWire", "Ingest", "Access",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "basalt", dependencies: ["BasaltCLI"]),
        // Micro-benchmarks of the kernels (bytes per second beside memory bandwidth).
        .executableTarget(name: "kernel-bench", dependencies: ["Kernels", "Columnar", "Compression"], path: "tools/bench/KernelBench"),

        // What several test targets share (a seeded random generator); tests only.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ColumnarTests", dependencies: ["Columnar"]),
        .testTarget(name: "CompressionTests", dependencies: ["Compression"]),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels", "Columnar", "TestSupport"]),
        .testTarget(name: "ParquetTests", dependencies: ["Parquet", "Columnar", "Compression", "TestSupport"]),
        .testTarget(name: "SQLTests", dependencies: ["SQL", "TestSupport"]),
        .testTarget(name: "AccessTests", dependencies: ["Access", "Engine", "Lake", "SQL", "Columnar"]),
        .testTarget(name: "LakeTests", dependencies: ["Lake", "Parquet", "Columnar"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Lake", "SQL", "Columnar", "TestSupport"]),
        .testTarget(name: "PGWireTests", dependencies: [
            "PGWire", "Engine", "Columnar", "TestSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "Lake", "Parquet", "Columnar", "Compression", "TestSupport"]),
        .testTarget(name: "BasaltCLITests", dependencies: [
            "BasaltCLI", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
