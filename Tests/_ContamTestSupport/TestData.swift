import Foundation
import Testing

/// Paths to the real test data in `../shared/data` and helpers that run real tools.
public enum TestData {
  /// The package root (this file is Tests/_ContamTestSupport/TestData.swift).
  public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// `Tests/Fixtures/data`: small real slices of `../shared/data` committed with the repo
  /// (`scripts/make-fixtures.sh`, sources and licenses in `Tests/Fixtures/SOURCES.md`). The
  /// default suite reads only these, so it passes in a bare clone.
  public static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures/data")

  /// `../shared/data` beside the checkout: the full data, read only by the extended suite.
  public static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")

  /// Whether the full data is there (the extended suite runs only then).
  public static let hasSharedData = FileManager.default.fileExists(atPath: shared.appendingPathComponent("SOURCES.md").path)

  /// A file of the committed fixtures.
  public static func path(_ relative: String) -> String { fixtures.appendingPathComponent(relative).path }

  /// A file of the full shared data (extended suite only: mark the test `.extended`).
  public static func sharedPath(_ relative: String) -> String { shared.appendingPathComponent(relative).path }

  /// Decompressed bytes of a gzip file under the fixtures (or, with `shared`, the full data), via the real `gzip -dc`.
  public static func gunzip(_ relative: String, shared: Bool = false) throws -> Data {
    try Tool.run("gzip", ["-dc", shared ? sharedPath(relative) : path(relative)])
  }

  /// The first `count` bytes of a Gutenberg novel (real English prose) from the fixtures.
  public static func gutenberg(_ name: String = "1342-0.txt.gz", bytes count: Int = 200_000) throws -> String {
    let data = try gunzip("text/gutenberg/\(name)")
    return String(decoding: data.prefix(count), as: UTF8.self)
  }

  /// A fresh temporary directory, removed by the caller with `cleanup`.
  /// The `contam` executable built beside the test bundle.
  public static var contamExecutable: String {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("contam")
    if FileManager.default.isExecutableFile(atPath: beside.path) { return beside.path }
    return packageRoot.appendingPathComponent(".build/debug/contam").path
  }

  public static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("contam-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}

extension Trait where Self == ConditionTrait {
  /// The extended suite: tests on the full `../shared/data`. Reported as skipped, with this
  /// reason, where the data is not there (a bare clone).
  public static var extended: Self {
    .enabled(if: TestData.hasSharedData, "extended suite: needs ../shared/data beside the checkout (not found, so skipped)")
  }
}

/// Runs command-line tools (gzip, pigz, zstd, xxhsum) the way a user would.
public enum Tool {
  public struct Failure: Error, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
  }

  /// Whether `name` is on PATH.
  public static func exists(_ name: String) -> Bool {
    (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").contains {
      FileManager.default.isExecutableFile(atPath: "\($0)/\(name)")
    }
  }

  /// What a finished process printed and returned.
  public struct Outcome {
    public var status: Int32
    public var stdout: String
    public var stderr: String
  }

  /// Runs an executable at `path` and returns its exit status and output, whatever the status.
  public static func execute(_ path: String, _ args: [String]) throws -> Outcome {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = args
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    nonisolated(unsafe) var errData = Data()
    let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
    reader.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while reader.isExecuting || !reader.isFinished { usleep(1000) }
    return Outcome(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }

  /// Runs `tool args`, feeding `input` on stdin; returns stdout, throws on a non-zero exit.
  @discardableResult
  public static func run(_ tool: String, _ args: [String], input: Data? = nil) throws -> Data {
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

extension Tool {
  /// Runs `bash -c command` under `timeout seconds` and returns what it printed on stdout,
  /// throwing on a non-zero exit. For commands that start daemons (a scheduler): it spawns
  /// with `posix_spawn` and waits with `waitpid`, and sends stdout to a file, so a daemon that
  /// inherited one of our descriptors cannot keep the call waiting. (Foundation's `Process`
  /// learns of an exit through a descriptor its child inherits; a daemon started by the child
  /// keeps that open, and `waitUntilExit` then never returns. This hung CI.)
  public static func shell(_ command: String, environment: [String: String] = [:], timeout seconds: Int = 600) throws -> String {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("contam-shell-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: output) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let arguments = ["/usr/bin/timeout", "--kill-after=10", String(seconds), "/bin/bash", "-c", command]
    let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0.key)=\($0.value)" }
    var argv = arguments.map { strdup($0) } + [nil]
    var envp = merged.map { strdup($0) } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, arguments[0], &actions, nil, &argv, &envp)
    guard spawned == 0 else { throw Failure(description: "\(command): posix_spawn failed (\(spawned))") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let exited = (status & 0x7f) == 0
    let code = exited ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    let data = (try? Data(contentsOf: output)) ?? Data()
    guard code == 0 else {
      throw Failure(description: "\(command) " + (code == 124 ? "timed out after \(seconds) s" : "exited \(code)"))
    }
    return String(decoding: data, as: UTF8.self)
  }
}
