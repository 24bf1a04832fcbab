// swift-tools-version: 6.1
import PackageDescription

// Build settings:
// - The C libraries come from the system (Debian: libxxhash-dev, zlib1g-dev, libzstd-dev);
//   no C source is vendored.
// - `CXXHash` compiles xxHash's XXH3 inline (XXH_INLINE_ALL) so the per-token hash is inlined
//   into the tokenizer loop; `link "xxhash"` stays for the non-inline symbols.
let package = Package(
  name: "Contam",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "Contam", targets: ["Contam"]),
    .executable(name: "contam", targets: ["ContamCLI"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
  ],
  targets: [
    .systemLibrary(
      name: "CXXHash", pkgConfig: "libxxhash",
      providers: [.apt(["libxxhash-dev"]), .brew(["xxhash"])]),
    .systemLibrary(
      name: "CZlib", pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
    .systemLibrary(
      name: "CZstd", pkgConfig: "libzstd",
      providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]),
    // ISA-L's igzip: gzip inflate 2.4x faster than zlib (zlib stays selectable: --inflate zlib).
    .systemLibrary(
      name: "CIsal", pkgConfig: "libisal",
      providers: [.apt(["libisal-dev"]), .brew(["isa-l"])]),
    // Snappy, the codec most Parquet files use (Debian libsnappy-dev).
    .systemLibrary(
      name: "CSnappy", pkgConfig: "snappy",
      providers: [.apt(["libsnappy-dev"]), .brew(["snappy"])]),
    // The system libcrypto: streaming SHA-256 of inputs and certificates (it uses the CPU's SHA
    // extensions), and the certificates' Ed25519 signatures.
    .systemLibrary(
      name: "COpenSSL", pkgConfig: "libcrypto",
      providers: [.apt(["libssl-dev"]), .brew(["openssl"])]),
    // Header-only: the prefetch intrinsic for the index probe.
    .systemLibrary(name: "CContamSupport"),
    .target(
      name: "Contam",
      dependencies: [
        "CXXHash", "CZlib", "CZstd", "CIsal", "COpenSSL", "CSnappy", "CContamSupport",
      ],
      swiftSettings: [.swiftLanguageMode(.v6)]),
    .executableTarget(
      name: "ContamCLI",
      dependencies: [
        "Contam",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: [.swiftLanguageMode(.v6)]),
    .target(
      name: "_ContamTestSupport",
      dependencies: ["Contam"],
      path: "Tests/_ContamTestSupport",
      swiftSettings: [.swiftLanguageMode(.v6)]),
    .testTarget(
      name: "ContamTests",
      dependencies: ["Contam", "_ContamTestSupport"],
      // Fuzz regression inputs, read by path in FuzzRegressionTests.
      exclude: ["Fuzz"],
      swiftSettings: [.swiftLanguageMode(.v6)]),
    .testTarget(
      name: "ContamCLITests",
      dependencies: ["Contam", "_ContamTestSupport", "ContamCLI"],
      swiftSettings: [.swiftLanguageMode(.v6)]),
  ]
)
