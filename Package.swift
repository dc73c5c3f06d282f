// swift-tools-version:6.0
// Basalt: a columnar analytics database server over a lake of Parquet files.
// Module layering (every dependency points down; see ARCHITECTURE.md):
//   basalt (executable) -> BasaltCLI -> Parquet -> Kernels -> Columnar
//                                      Parquet -> Compression -> C shims
import PackageDescription

let package = Package(
    name: "Basalt",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "basalt", targets: ["basalt"]),
        .library(name: "Parquet", targets: ["Parquet"]),
        .library(name: "Columnar", targets: ["Columnar"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
    ],
    targets: [
        // System libraries, one tiny target per codec (Debian's -dev packages; nothing vendored).
        .systemLibrary(name: "CSnappy", path: "Sources/CShims/CSnappy", providers: [.apt(["libsnappy-dev"])]),
        .systemLibrary(name: "CZstd", path: "Sources/CShims/CZstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CShims/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLZ4", path: "Sources/CShims/CLZ4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CBrotli", path: "Sources/CShims/CBrotli", providers: [.apt(["libbrotli-dev"])]),

        .target(name: "Columnar"),
        .target(name: "Compression", dependencies: ["CSnappy", "CZstd", "CZlib", "CLZ4", "CBrotli"]),
        .target(name: "Kernels", dependencies: ["Columnar"]),
        .target(name: "Parquet", dependencies: [
            "Columnar", "Kernels", "Compression",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "BasaltCLI", dependencies: [
            "Parquet", "Columnar",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "basalt", dependencies: ["BasaltCLI"]),

        .testTarget(name: "ColumnarTests", dependencies: ["Columnar"]),
        .testTarget(name: "CompressionTests", dependencies: ["Compression"]),
        .testTarget(name: "ParquetTests", dependencies: ["Parquet", "Columnar", "Compression"]),
        .testTarget(name: "BasaltCLITests", dependencies: [
            "BasaltCLI", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
