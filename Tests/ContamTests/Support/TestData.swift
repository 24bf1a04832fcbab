import Foundation
import Testing

/// Paths to the real test data in `../shared/data` and helpers that run real tools.
enum TestData {
  /// The package root (this file is Tests/ContamTests/Support/TestData.swift).
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// `../shared/data` beside the checkout.
  static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")

  static func path(_ relative: String) -> String { shared.appendingPathComponent(relative).path }

  /// Decompressed bytes of a gzip file under shared data, via the real `gzip -dc`.
  static func gunzip(_ relative: String) throws -> Data {
    try Tool.run("gzip", ["-dc", path(relative)])
  }

  /// The first `count` bytes of a Gutenberg novel (real English prose).
  static func gutenberg(_ name: String = "1342-0.txt.gz", bytes count: Int = 200_000) throws -> String {
    let data = try gunzip("text/gutenberg/\(name)")
    return String(decoding: data.prefix(count), as: UTF8.self)
  }

  /// A fresh temporary directory, removed by the caller with `cleanup`.
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("contam-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}

/// Runs command-line tools (gzip, pigz, zstd, xxhsum) the way a user would.
enum Tool {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// Whether `name` is on PATH.
  static func exists(_ name: String) -> Bool {
    (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").contains {
      FileManager.default.isExecutableFile(atPath: "\($0)/\(name)")
    }
  }

  /// Runs `tool args`, feeding `input` on stdin; returns stdout, throws on a non-zero exit.
  @discardableResult
  static func run(_ tool: String, _ args: [String], input: Data? = nil) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [tool] + args
    let out = Pipe()
    let inPipe = Pipe()
    process.standardOutput = out
    process.standardInput = inPipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let writer = Thread {
      if let input { inPipe.fileHandleForWriting.write(input) }
      try? inPipe.fileHandleForWriting.close()
    }
    writer.start()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw Failure(description: "\(tool) \(args.joined(separator: " ")) exited \(process.terminationStatus)")
    }
    return data
  }
}
