import Contam
import Foundation
import Testing
import _ContamTestSupport

@Suite("Dataset layouts")
struct DatasetLayoutTests {
  let contam = TestData.contamExecutable

  @Test func aHuggingFaceStyleCheckoutIsReadShardsOnly() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let parquet = TestData.packageRoot.appendingPathComponent("Tests/Fixtures/parquet").path
    let root = fixture.url("dataset")
    let fm = FileManager.default
    for dir in ["data", "extra", ".cache/huggingface"] {
      try fm.createDirectory(at: root.appendingPathComponent(dir), withIntermediateDirectories: true)
    }
    try "---\nlicense: mit\n---\n# A dataset card\nSome prose about the data.\n".write(
      to: root.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
    try "*.parquet filter=lfs\n".write(to: root.appendingPathComponent(".gitattributes"), atomically: true, encoding: .utf8)
    try "tokenizer: x\n".write(to: root.appendingPathComponent("extra/config.yaml"), atomically: true, encoding: .utf8)
    try fm.copyItem(atPath: parquet + "/snappy-dictionary-v1.parquet", toPath: root.appendingPathComponent("data/train-00000-of-00002.parquet").path)
    try fm.copyItem(atPath: parquet + "/zstd-dictionary-v2.parquet", toPath: root.appendingPathComponent("data/train-00001-of-00002.parquet").path)
    try fm.copyItem(atPath: parquet + "/same.jsonl.zst", toPath: root.appendingPathComponent("extra/part-0.jsonl.zst").path)
    let cert = fixture.url("c.json").path
    let run = try Tool.execute(
      contam, [
        "scan", "--fail-on", "never", "--id-field", "id", "--max-skipped-fraction", "0.2", "--out", cert,
        "--benchmark", "gsm8k=\(TestData.path("benchmarks/gsm8k/test.jsonl"))", root.path,
      ])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.contains("not reading 2 files that are not data by name") && run.stderr.contains("README.md"), "\(run.stderr)")
    #expect(run.stderr.contains("hidden entries"))
    let certificate = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
    #expect(certificate.shards.map { ($0.path as NSString).lastPathComponent } == ["train-00000-of-00002.parquet", "train-00001-of-00002.parquet", "part-0.jsonl.zst"])
    #expect(certificate.corpus.documents == 3 * 104)
    #expect(certificate.items.prefix(3).allSatisfy { $0.verdict != .clean && $0.documents == 3 })
  }
}
