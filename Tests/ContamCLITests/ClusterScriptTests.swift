import Contam
import Foundation
import Testing
import _ContamTestSupport

@Suite("docs/cluster scripts, run as a job array would")
struct ClusterScriptTests {
  @Test func taskAndMergeScriptsGiveTheSingleRunCertificate() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let samples = TestData.packageRoot.appendingPathComponent("corpora-samples")
    let scripts = TestData.packageRoot.appendingPathComponent("docs/cluster")
    let benchmarks = "--benchmark gsm8k=\(samples.path)/benchmarks/gsm8k-sample.jsonl --benchmark arc=\(samples.path)/benchmarks/arc-challenge-sample.jsonl"
    let contam = TestData.contamExecutable
    let outdir = fixture.url("results").path
    func run(_ script: String, _ environment: [String: String]) throws -> Int32 {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/bin/bash")
      process.arguments = [scripts.appendingPathComponent(script).path]
      process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      process.waitUntilExit()
      return process.terminationStatus
    }
    let common = [
      "TASK_COUNT": "3", "CORPUS": "\(samples.path)/shards", "BENCHMARKS": benchmarks, "OUTDIR": outdir, "CONTAM": contam,
      "CONTAM_ARGS": "--id-field id",
    ]
    // The merge refuses to run before every task has finished.
    #expect(try run("contam-merge.sh", common) == 4)
    for i in 1...3 { #expect(try run("contam-task.sh", common.merging(["TASK_INDEX": "\(i)"]) { $1 }) == 0) }
    #expect(try run("contam-merge.sh", common) == 0)
    let single = fixture.url("single.json").path
    let direct = try Tool.execute(
      contam, ["scan", "--fail-on", "never", "--id-field", "id"] + benchmarks.split(separator: " ").map(String.init)
        + ["--out", single, "\(samples.path)/shards"])
    #expect(direct.status == 0)
    #expect(try Data(contentsOf: URL(fileURLWithPath: outdir + "/certificate.json")) == Data(contentsOf: URL(fileURLWithPath: single)))
    #expect(FileManager.default.fileExists(atPath: outdir + "/report.html"))
  }
}
