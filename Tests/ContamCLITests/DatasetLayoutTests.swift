import Contam
import Foundation
import Testing
import _ContamTestSupport

@Suite("Dataset layouts")
struct DatasetLayoutTests {
  let contam = TestData.contamExecutable

  /// A PNG image: the signature, a 4×4 RGB header, compressed pixels, the end chunk.
  static func png() throws -> Data {
    func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
      let typed = Array(type.utf8) + body
      return withUnsafeBytes(of: UInt32(body.count).bigEndian, Array.init) + typed + withUnsafeBytes(of: crc32(typed).bigEndian, Array.init)
    }
    func crc32(_ bytes: [UInt8]) -> UInt32 {
      var c: UInt32 = 0xFFFF_FFFF
      for b in bytes {
        c ^= UInt32(b)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
      }
      return ~c
    }
    let pixels = try Tool.run("gzip", ["-c"], input: Data((0..<4).flatMap { _ in [0] + [UInt8](repeating: 0x7F, count: 12) }))
    let header: [UInt8] = [0, 0, 0, 4, 0, 0, 0, 4, 8, 2, 0, 0, 0]
    return Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("IDAT", Array(pixels)) + chunk("IEND", []))
  }

  @Test func aHuggingFaceStyleCheckoutIsReadWithItsCardAndConfigButNotItsImagesOrHiddenFiles() throws {
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
    try Self.png().write(to: root.appendingPathComponent("extra/logo.png"))
    let cert = fixture.url("c.json").path
    let run = try Tool.execute(
      contam, [
        "scan", "--fail-on", "never", "--id-field", "id", "--max-skipped-fraction", "0.2", "--out", cert,
        "--benchmark", "gsm8k=\(TestData.path("benchmarks/gsm8k/test.jsonl"))", root.path,
      ])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.contains("not reading 1 media files") && run.stderr.contains("logo.png"), "\(run.stderr)")
    #expect(run.stderr.contains("hidden entries"))
    let certificate = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
    #expect(
      certificate.shards.map { ($0.path as NSString).lastPathComponent } == [
        "README.md", "train-00000-of-00002.parquet", "train-00001-of-00002.parquet", "config.yaml", "part-0.jsonl.zst",
      ])
    // The card is one paragraph, the config one line: read as plain text.
    #expect(certificate.corpus.documents == 3 * 104 + 2)
    #expect(certificate.items.prefix(3).allSatisfy { $0.verdict != .clean && $0.documents == 3 })
  }

  @Test func aCorpusInMarkdownHTMLCSVOrMisnamedFilesIsReadAndAnXZFileIsRefused() throws {
    // These were passed over by name (only .jsonl, .txt, .parquet, ... were read) while the
    // run read clean, exit 0, and the certificate did not name them.
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let gsm8k = TestData.path("benchmarks/gsm8k/test.jsonl")
    let items = try BenchmarkLoader.load(name: "gsm8k", path: gsm8k, format: BenchmarkFormat.presets["gsm8k"]!)
    let (_, paragraphs) = try ShardFixture.paragraphsJSONL(count: 40)
    func page(_ k: Int) -> String {
      paragraphs[4 * k..<4 * k + 3].joined(separator: "\n\n") + "\n\n" + items[k].parts.map(\.text).joined(separator: "\n") + "\n\n" + paragraphs[4 * k + 3]
    }
    let root = fixture.url("crawl")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    try page(0).write(to: root.appendingPathComponent("notes.md"), atomically: true, encoding: .utf8)
    try ("<html><body><p>" + page(1).replacingOccurrences(of: "\n\n", with: "</p>\n<p>") + "</p></body></html>")
      .write(to: root.appendingPathComponent("page.html"), atomically: true, encoding: .utf8)
    let csv = "id,text\n1,\"" + page(2).replacingOccurrences(of: "\"", with: "\"\"") + "\"\n"
    try csv.write(to: root.appendingPathComponent("rows.csv"), atomically: true, encoding: .utf8)
    try page(3).write(to: root.appendingPathComponent("scan.png"), atomically: true, encoding: .utf8)  // text named as an image
    try Self.png().write(to: root.appendingPathComponent("logo.png"))
    try Tool.run("gzip", ["-c"], input: Data(page(4).utf8)).write(to: root.appendingPathComponent("photo.jpg"))  // gzip named as an image
    let cert = fixture.url("c.json").path
    let run = try Tool.execute(contam, ["scan", "--fail-on", "never", "--out", cert, "--benchmark", "gsm8k=\(gsm8k)", root.path])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.contains("not reading 1 media files") && run.stderr.contains("logo.png"))
    let certificate = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
    #expect(Set(certificate.shards.map { ($0.path as NSString).lastPathComponent }) == ["notes.md", "page.html", "rows.csv", "scan.png", "photo.jpg"])
    for k in 0..<5 { #expect(certificate.items[k].verdict == .contaminated, "item \(k + 1): \(certificate.items[k].verdict)") }
    // An xz file among them is read, refused by its magic bytes and counted: no clean bill.
    try Tool.run("xz", ["-c"], input: Data(page(5).utf8)).write(to: root.appendingPathComponent("more.jsonl.xz"))
    let refused = try Tool.execute(contam, ["scan", "--fail-on", "never", "--benchmark", "gsm8k=\(gsm8k)", root.path])
    #expect(refused.status == 3 && refused.stderr.contains("more.jsonl.xz: unsupported: xz data"), "\(refused.status) \(refused.stderr)")
    // A directory of media only is an error, as an empty one is.
    let media = fixture.url("media")
    try FileManager.default.createDirectory(at: media, withIntermediateDirectories: true)
    try Self.png().write(to: media.appendingPathComponent("a.png"))
    let none = try Tool.execute(contam, ["scan", "--benchmark", "gsm8k=\(gsm8k)", media.path])
    #expect(none.status == 4 && none.stderr.contains("only media files"), "\(none.stderr)")
  }
}
