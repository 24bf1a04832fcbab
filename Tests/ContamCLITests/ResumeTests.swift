import Contam
import Foundation
import Testing
import _ContamTestSupport

#if canImport(Glibc)
  import Glibc
#endif

@Suite("Resume after SIGKILL")
struct ResumeTests {
  let contam = TestData.contamExecutable

  @Test func aKilledScanRestartsAndEndsWithTheSameCertificate() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    // 16 shards of real prose, GSM8K items planted in some.
    let novels = ["1342-0.txt.gz", "122-0.txt.gz", "1310-0.txt.gz", "141.txt.gz"]
    let gsm = TestData.path("benchmarks/gsm8k/test.jsonl")
    let questions = try String(contentsOfFile: gsm, encoding: .utf8).split(separator: "\n").prefix(16).map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])["question"] as! String
    }
    for k in 0..<16 {
      var (jsonl, _) = try ShardFixture.paragraphsJSONL(count: 250, novel: novels[k % 4])
      let planted = try JSONSerialization.data(withJSONObject: ["text": "Page \(k). " + questions[k]])
      jsonl += planted + Data("\n".utf8)
      try FileManager.default.createDirectory(at: fixture.url("corpus"), withIntermediateDirectories: true)
      try fixture.compress(String(format: "corpus/shard-%02d.jsonl.gz", k), jsonl, tool: "gzip", ["-c"])
    }
    let corpus = fixture.url("corpus").path
    let arguments = ["scan", "--fail-on", "never", "--jobs", "1", "--benchmark", "gsm8k=\(gsm)"]
    let reference = fixture.url("reference.json").path
    #expect(try Tool.execute(contam, arguments + ["--out", reference, corpus]).status == 0)

    let work = fixture.url("work").path
    let out = fixture.url("resumed.json").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: contam)
    process.arguments = arguments + ["--work-dir", work, "--out", out, corpus]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    // Kill it once a few shards are done, before it can finish.
    func finished() -> Int {
      ((try? FileManager.default.contentsOfDirectory(atPath: work)) ?? []).filter { $0.hasPrefix("shard-") && $0.hasSuffix(".json") }.count
    }
    let deadline = Date().addingTimeInterval(120)
    while finished() < 3 && process.isRunning && Date() < deadline { usleep(5_000) }
    let killed = process.isRunning
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    try #require(killed, "the scan finished before it could be killed; make the corpus larger")
    let done = finished()
    #expect(done >= 3 && done < 16, "\(done) shards were finished when killed")
    #expect(!FileManager.default.fileExists(atPath: out), "no half-written certificate")
    #expect(((try? FileManager.default.contentsOfDirectory(atPath: fixture.directory.path)) ?? []).allSatisfy { !$0.contains(".tmp-") })

    let restart = try Tool.execute(contam, arguments + ["--work-dir", work, "--out", out, corpus])
    #expect(restart.status == 0)
    #expect(restart.stderr.contains("resumed \(done) shards"), "\(restart.stderr)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data(contentsOf: URL(fileURLWithPath: reference)))

    // Different parameters never reuse those results.
    let other = try Tool.execute(contam, arguments + ["--ngram", "12", "--work-dir", work, "--out", fixture.url("o.json").path, corpus])
    #expect(!other.stderr.contains("resumed"))

    // A damaged or planted record (an item number out of range) is ignored, its shard scanned
    // again: no crash, the same certificate.
    let records = try FileManager.default.contentsOfDirectory(atPath: work).filter { $0.hasPrefix("shard-") && $0.hasSuffix(".json") }
    var damaged = 0
    for name in records {
      let path = work + "/" + name
      var record = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
      guard var partial = record["partial"] as? [String: Any], (record["fingerprint"] as? String) != nil else { continue }
      // The form JSONEncoder writes for [Int: …]: an object with number keys.
      partial["coverage"] = ["999999": [1]]
      partial["documents"] = ["-7": 3]
      record["partial"] = partial
      try JSONSerialization.data(withJSONObject: record).write(to: URL(fileURLWithPath: path))
      damaged += 1
    }
    #expect(damaged == records.count && damaged >= 16)
    let again = fixture.url("again.json").path
    let rerun = try Tool.execute(contam, arguments + ["--work-dir", work, "--out", again, corpus])
    #expect(rerun.status == 0, "\(rerun.stderr)")
    #expect(!rerun.stderr.contains("resumed"), "no damaged record is used")
    #expect(try Data(contentsOf: URL(fileURLWithPath: again)) == Data(contentsOf: URL(fileURLWithPath: reference)))
  }
}
