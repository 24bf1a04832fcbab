import Contam
import Foundation
import Testing
import _ContamTestSupport

@Suite("Parquet shards through the CLI")
struct ParquetCommandTests {
  let contam = TestData.contamExecutable
  let directory = TestData.packageRoot.appendingPathComponent("Tests/Fixtures/parquet").path

  /// A chat dataset in Parquet (`messages` a list of {role, content}): through
  /// `messages[].content` the three GSM8K items planted as turns are contaminated, with the
  /// verdicts, evidence and byte ranges of the same records in JSONL, and `verify --full` agrees.
  @Test func aChatDatasetInParquetGivesTheVerdictsOfTheSameJSONL() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let arguments = [
      "scan", "--text-field", "messages[].content", "--id-field", "id", "--benchmark",
      "gsm8k=\(TestData.path("benchmarks/gsm8k/test.jsonl"))",
    ]
    func certificate(_ shard: String) throws -> (Certificate, String) {
      let out = fixture.url("c-\(UUID().uuidString).json").path
      let run = try Tool.execute(contam, arguments + ["--out", out, shard])
      #expect(run.status == 1, "\(run.stderr)")
      return (try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: out))), out)
    }
    let (jsonl, _) = try certificate(directory + "/chat.jsonl.zst")
    let (parquet, out) = try certificate(directory + "/chat-zstd-plain-v2.parquet")
    #expect(parquet.items.prefix(3).map(\.verdict) == [.contaminated, .contaminated, .contaminated])
    #expect(parquet.items.prefix(3).map { $0.evidence.first?.documentID } == ["chat-8", "chat-30", "chat-52"])
    #expect(parquet.items.map(\.verdict) == jsonl.items.map(\.verdict))
    let a = parquet.items.flatMap(\.evidence).map { [$0.documentID ?? "", $0.snippet, "\($0.byteStart)-\($0.byteEnd)"] }
    let b = jsonl.items.flatMap(\.evidence).map { [$0.documentID ?? "", $0.snippet, "\($0.byteStart)-\($0.byteEnd)"] }
    #expect(a == b)
    let verified = try Tool.execute(contam, ["verify", "--full", "--corpus", TestData.packageRoot.path, out])
    #expect(verified.status == 0, "\(verified.stdout)")
  }

  @Test func aParquetShardGivesTheVerdictsAndEvidenceOfTheSameJSONL() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let arguments = [
      "scan", "--fail-on", "never", "--id-field", "id", "--max-skipped-fraction", "0.2",
      "--benchmark", "gsm8k=\(TestData.path("benchmarks/gsm8k/test.jsonl"))",
    ]
    func certificate(_ shard: String) throws -> Certificate {
      let out = fixture.url("c-\(UUID().uuidString).json").path
      let run = try Tool.execute(contam, arguments + ["--out", out, shard])
      #expect(run.status == 0, "\(run.stderr)")
      return try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: out)))
    }
    let jsonl = try certificate(directory + "/same.jsonl.zst")
    #expect(jsonl.items.prefix(3).allSatisfy { $0.verdict != .clean }, "the three planted questions are found")
    for name in ["snappy-dictionary-v1", "zstd-dictionary-v2", "delta-byte-array"] {
      let parquet = try certificate(directory + "/\(name).parquet")
      #expect(parquet.shards[0].codec == .parquet)
      #expect(parquet.items.map(\.verdict) == jsonl.items.map(\.verdict), "\(name)")
      #expect(parquet.items.map(\.coverage) == jsonl.items.map(\.coverage))
      let a = parquet.items.flatMap(\.evidence).map { [$0.documentID ?? "", $0.snippet, "\($0.byteStart)-\($0.byteEnd)"] }
      let b = jsonl.items.flatMap(\.evidence).map { [$0.documentID ?? "", $0.snippet, "\($0.byteStart)-\($0.byteEnd)"] }
      #expect(a == b, "same evidence text, ids and byte ranges")
    }
    // verify re-reads the evidence rows of a Parquet shard.
    let out = fixture.url("p.json").path
    #expect(try Tool.execute(contam, arguments + ["--out", out, directory + "/snappy-plain-v2.parquet"]).status == 0)
    let verified = try Tool.execute(contam, ["verify", "--corpus", TestData.packageRoot.path, out])
    #expect(verified.status == 0 && verified.stdout.contains("evidence locations confirmed"), "\(verified.stdout)")
    // With the default gate, 16 null texts of 120 rows (13%) are too many to call the shard read.
    let gated = try Tool.execute(contam, ["scan", "--benchmark", "gsm8k=\(TestData.path("benchmarks/gsm8k/test.jsonl"))", directory + "/binary.parquet"])
    #expect(gated.status == 3 && gated.stderr.contains("13.3% of its records were skipped"), "\(gated.stderr)")
  }
}
