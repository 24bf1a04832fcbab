import Contam
import Foundation
import Testing
import _ContamTestSupport

/// Corpora that mix schemas: a wrong or single `--text-field` must not pass as clean.
@Suite("Mixed schemas: several text fields, and the skipped-records gate")
struct MixedSchemaTests {
  let contam = TestData.contamExecutable

  /// Three shards of real prose with a GSM8K question planted, one per schema.
  func corpus(_ fixture: ShardFixture) throws -> (dir: String, questions: [String]) {
    let items = try BenchmarkLoader.load(name: "gsm8k", path: TestData.path("benchmarks/gsm8k/test.jsonl"), format: BenchmarkFormat.presets["gsm8k"]!)
    let questions = items.prefix(3).map { $0.parts[0].text }
    let (_, texts) = try ShardFixture.paragraphsJSONL(count: 90, novel: "122-0.txt.gz")
    let schemas: [(String, (String) -> [String: Any])] = [
      ("web.jsonl.gz", { ["text": $0] }), ("stack.jsonl.gz", { ["content": $0, "lang": "en"] }),
      ("cc.jsonl.gz", { ["meta": ["url": "https://example.org"], "raw_content": $0] }),
    ]
    try FileManager.default.createDirectory(at: fixture.url("corpus"), withIntermediateDirectories: true)
    for (k, (name, wrap)) in schemas.enumerated() {
      var data = Data()
      for (i, text) in texts[(30 * k)..<(30 * k + 30)].enumerated() {
        let body = i == 10 ? text + " " + questions[k] : text
        data += try JSONSerialization.data(withJSONObject: wrap(body), options: [.sortedKeys]) + Data("\n".utf8)
      }
      try fixture.compress("corpus/\(name)", data, tool: "gzip", ["-c"])
    }
    return (fixture.url("corpus").path, questions)
  }

  /// A chat dataset (OpenAI `messages` records) with real GSM8K items as user and assistant
  /// turns, among turns of real prose: read through `messages[].content`, the planted items are
  /// contaminated, the certificate records the path, and `verify --full` re-reads it the same
  /// way. Without `[]` no record is read and no certificate is written.
  /// A ShareGPT dump: one pretty-printed JSON array of records, gzip-compressed. Its records are
  /// read as JSON Lines (record k is line k), the planted GSM8K turns are contaminated, and
  /// `verify --full` re-reads them the same way.
  @Test func aJSONArrayDumpIsReadRecordByRecord() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let items = try BenchmarkLoader.load(name: "gsm8k", path: TestData.path("benchmarks/gsm8k/test.jsonl"), format: BenchmarkFormat.presets["gsm8k"]!)
    let (_, texts) = try ShardFixture.paragraphsJSONL(count: 30, novel: "155-0.txt.gz")
    let records: [[String: Any]] = texts.enumerated().map { i, text in
      let turns = i % 10 == 5 ? [items[i / 10].parts[0].text, items[i / 10].parts[1].text] : [text, "Noted."]
      return ["id": "conv-\(i)", "conversations": [["from": "human", "value": turns[0]], ["from": "gpt", "value": turns[1]]]]
    }
    try fixture.compress("sharegpt.json.gz", try JSONSerialization.data(withJSONObject: records, options: [.prettyPrinted]), tool: "gzip", ["-c"])
    let cert = fixture.url("dump.json").path
    let run = try Tool.execute(
      contam, [
        "scan", "--text-field", "conversations[].value", "--id-field", "id", "--out", cert, "--benchmark",
        "gsm8k=\(TestData.path("benchmarks/gsm8k/test.jsonl"))", fixture.url("sharegpt.json.gz").path,
      ])
    #expect(run.status == 1, "\(run.stderr)")
    let certificate = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
    #expect(certificate.corpus.documents == 30 && certificate.corpus.problems.isEmpty)
    #expect(certificate.items.prefix(3).map(\.verdict) == [.contaminated, .contaminated, .contaminated])
    #expect(certificate.items.prefix(3).map { $0.evidence.first?.documentID } == ["conv-5", "conv-15", "conv-25"])
    #expect(certificate.items.prefix(3).map { $0.evidence.first?.line } == [6, 16, 26], "record k is line k")
    let verify = try Tool.execute(contam, ["verify", "--full", "--corpus", fixture.directory.path, "--corpus", TestData.path(""), cert])
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
  }

  @Test func chatRecordsAreReadThroughTheirTurns() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let items = try BenchmarkLoader.load(name: "gsm8k", path: TestData.path("benchmarks/gsm8k/test.jsonl"), format: BenchmarkFormat.presets["gsm8k"]!)
    let (_, texts) = try ShardFixture.paragraphsJSONL(count: 40, novel: "1342-0.txt.gz")
    var data = Data()
    for (i, text) in texts.enumerated() {
      let turns: [[String: Any]] =
        i % 10 == 3
        ? [["role": "system", "content": text], ["role": "user", "content": items[i / 10].parts[0].text],
           ["role": "assistant", "content": items[i / 10].parts[1].text]]
        : [["role": "user", "content": text], ["role": "assistant", "content": "Noted."]]
      data += try JSONSerialization.data(withJSONObject: ["id": "chat-\(i)", "messages": turns], options: [.sortedKeys]) + Data("\n".utf8)
    }
    try fixture.compress("chat.jsonl.gz", data, tool: "gzip", ["-c"])
    let shard = fixture.url("chat.jsonl.gz").path
    let benchmark = ["--benchmark", "gsm8k=\(TestData.path("benchmarks/gsm8k/test.jsonl"))"]
    let cert = fixture.url("chat.json").path
    let plain = try Tool.execute(contam, ["scan", "--fail-on", "never", "--text-field", "messages", "--out", cert] + benchmark + [shard])
    #expect(plain.status == 4 && plain.stderr.contains("--text-field 'messages[]'"), "\(plain.stderr)")
    #expect(!FileManager.default.fileExists(atPath: cert))
    let run = try Tool.execute(
      contam, ["scan", "--text-field", "messages[].content", "--id-field", "id", "--out", cert] + benchmark + [shard])
    #expect(run.status == 1, "\(run.stderr)")
    let certificate = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
    #expect(certificate.corpus.documents == 40 && certificate.corpus.problems.isEmpty)
    #expect(certificate.parameters.reader.textField == "messages[].content")
    #expect(certificate.items.prefix(4).map(\.verdict) == [.contaminated, .contaminated, .contaminated, .contaminated])
    #expect(certificate.items.prefix(4).map { $0.evidence.first?.documentID } == ["chat-3", "chat-13", "chat-23", "chat-33"])
    #expect(certificate.items.dropFirst(4).allSatisfy { $0.verdict == .clean || $0.verdict == .tooShort })
    let verify = try Tool.execute(contam, ["verify", "--full", "--corpus", fixture.directory.path, "--corpus", TestData.path(""), cert])
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
  }

  @Test func everySchemaIsReadAndTheCertificateSaysWhichFieldEachShardUsed() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let (dir, _) = try corpus(fixture)
    let benchmark = ["--benchmark", "gsm8k=\(TestData.path("benchmarks/gsm8k/test.jsonl"))"]
    // One field: two of three shards are all missing_field; the gate refuses the run.
    let cert = fixture.url("cert.json").path
    let single = try Tool.execute(contam, ["scan", "--fail-on", "never", "--out", cert] + benchmark + [dir])
    #expect(single.status == 3, "\(single.stderr)")
    #expect(single.stderr.contains("stack.jsonl.gz: 100.0% of its records were skipped") && single.stderr.contains("--text-field"))
    #expect(!FileManager.default.fileExists(atPath: cert))
    // Forced through the gate, the run writes a certificate, but verify refuses to vouch for it.
    let forced = fixture.url("forced.json").path
    #expect(try Tool.execute(contam, ["scan", "--fail-on", "never", "--max-skipped-fraction", "1", "--out", forced] + benchmark + [dir]).status == 0)
    let refused = try Tool.execute(contam, ["verify", "--corpus", fixture.directory.path, "--corpus", TestData.path(""), forced])
    #expect(refused.status == 1 && refused.stdout.contains("FAIL consistency: input read: 2 shards had more records skipped or empty than read"), "\(refused.stdout)")
    // Three fields: every shard read, the three planted questions found.
    let run = try Tool.execute(
      contam, ["scan", "--fail-on", "never", "--text-field", "text,content,raw_content", "--out", cert] + benchmark + [dir])
    #expect(run.status == 0, "\(run.stderr)")
    let certificate = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
    #expect(certificate.corpus.documents == 90 && certificate.corpus.problems.isEmpty)
    let fields = Dictionary(uniqueKeysWithValues: certificate.shards.map { (($0.path as NSString).lastPathComponent, $0.textFields ?? [:]) })
    #expect(fields == ["web.jsonl.gz": ["text": 30], "stack.jsonl.gz": ["content": 30], "cc.jsonl.gz": ["raw_content": 30]])
    #expect(certificate.items.prefix(3).allSatisfy { $0.verdict != .clean }, "\(certificate.items.prefix(3).map(\.verdict))")
    #expect(certificate.parameters.reader.textField == "text,content,raw_content")
    // verify reads the shards the same way (the fields are in the certificate).
    #expect(try Tool.execute(contam, ["verify", "--corpus", fixture.directory.path, "--corpus", TestData.path(""), cert]).status == 0)
  }
}
