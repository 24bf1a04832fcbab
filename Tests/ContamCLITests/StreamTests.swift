import Contam
import Foundation
import Testing
import _ContamTestSupport

@Suite("Streams: a shard on standard input")
struct StreamTests {
  let contam = TestData.contamExecutable
  let samples = TestData.packageRoot.appendingPathComponent("corpora-samples")

  /// Runs `contam args` with `file`'s bytes on standard input.
  func run(_ args: [String], stdin file: String) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: contam)
    process.arguments = args
    process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
  }

  @Test(arguments: ["web.jsonl.gz", "code.jsonl.zst"])
  func aPipedShardGivesTheSameVerdictsAndIsRecordedAsAStream(_ name: String) throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let shard = "\(samples.path)/shards/\(name)"
    let benchmarks = [
      "--benchmark", "gsm8k=\(samples.path)/benchmarks/gsm8k-sample.jsonl",
      "--benchmark", "arc=\(samples.path)/benchmarks/arc-challenge-sample.jsonl",
    ]
    let piped = fixture.url("piped.json").path
    let direct = fixture.url("direct.json").path
    #expect(try run(["scan", "--fail-on", "never", "--out", piped] + benchmarks + ["-"], stdin: shard) == 0)
    #expect(try Tool.execute(contam, ["scan", "--fail-on", "never", "--out", direct] + benchmarks + [shard]).status == 0)
    let a = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: piped)))
    let b = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: direct)))
    #expect(a.shards.map(\.path) == ["-"])
    let sha = String(decoding: try Tool.run("sha256sum", [shard]).prefix(64), as: UTF8.self)
    #expect(a.shards[0].sha256 == sha && a.shards[0].compressedBytes == b.shards[0].compressedBytes)
    #expect(a.shards[0].codec == b.shards[0].codec && a.corpus.documents == b.corpus.documents)
    #expect(a.items.map(\.verdict) == b.items.map(\.verdict) && a.items.map(\.coverage) == b.items.map(\.coverage))
    #expect(a.items.flatMap(\.evidence).allSatisfy { $0.shard == "-" })
    let verify = try Tool.execute(contam, ["verify", piped])
    #expect(verify.status == 1 && verify.stdout.contains("standard input") && verify.stdout.contains(sha), "\(verify.stdout)")
  }

  /// `contam scan … 2>&1 | head`: the reader of stdout and stderr is gone before the scan
  /// writes its first line. The scan still writes its certificate and exits with the status a
  /// normal run has (before, SIGPIPE killed it at the first line of stderr: status 141, no
  /// certificate).
  @Test func aReaderThatGoesAwayDoesNotStopTheCertificate() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let arguments = [
      "scan", "--fail-on", "partial", "--benchmark", "gsm8k=\(samples.path)/benchmarks/gsm8k-sample.jsonl",
      "\(samples.path)/shards/web.jsonl.gz",
    ]
    let closed = fixture.url("closed.json").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: contam)
    process.arguments = arguments + ["--out", closed]
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try output.fileHandleForReading.close()
    try errors.fileHandleForReading.close()
    try process.run()
    process.waitUntilExit()
    let normal = fixture.url("normal.json").path
    let reference = try Tool.execute(contam, arguments + ["--out", normal])
    #expect(reference.status == 1, "the sample holds partial copies")
    #expect(process.terminationReason == .exit && process.terminationStatus == reference.status)
    let a = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: closed)))
    let b = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: normal)))
    #expect(!a.items.isEmpty && a.items.map(\.verdict) == b.items.map(\.verdict))
  }
}
