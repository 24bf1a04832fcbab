// swift-tools-version: 6.1
// libFuzzer targets for Contam. Build and run with scripts/fuzz.sh (which passes
// -sanitize=fuzzer,address and -parse-as-library); not part of the main build or CI.
import PackageDescription

let package = Package(
  name: "ContamFuzz",
  platforms: [.macOS(.v15)],
  dependencies: [.package(path: "../")],
  targets: [
    .executableTarget(name: "FuzzJSON", dependencies: [.product(name: "Contam", package: "main")]),
    .executableTarget(name: "FuzzTokenizer", dependencies: [.product(name: "Contam", package: "main")]),
    .executableTarget(name: "FuzzReaders", dependencies: [.product(name: "Contam", package: "main")]),
    .executableTarget(name: "FuzzCertificate", dependencies: [.product(name: "Contam", package: "main")]),
    .executableTarget(name: "FuzzParquet", dependencies: [.product(name: "Contam", package: "main")]),
    .executableTarget(name: "FuzzIndex", dependencies: [.product(name: "Contam", package: "main")]),
  ]
)
