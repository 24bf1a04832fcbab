// swift-tools-version: 6.1
// Benchmarks for Contam (ordo-one/benchmark). Run from this folder:
//   swift package benchmark            (release build; first build takes a few minutes)
import PackageDescription

let package = Package(
  name: "ContamBenchmarks",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(path: "../"),
    // The default RuntimeInterposer trait needs a package that is not mirrored on Linux.
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "TextBenchmarks",
      dependencies: [
        .product(name: "Contam", package: "main"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/TextBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")])
  ]
)
