import Contam
import Foundation
import Testing
import _ContamTestSupport

@Suite("Common Crawl WET")
struct WETTests {
  let contam = TestData.contamExecutable

  /// A WET file as Common Crawl ships it: a warcinfo record, then conversion records of real
  /// prose, each record its own gzip member.
  func wet(_ fixture: ShardFixture, pages: [String], cutLast: Bool = false) throws -> String {
    var records: [Data] = []
    func record(_ type: String, uri: String?, _ body: String) -> Data {
      let content = Data(body.utf8)
      var header = "WARC/1.0\r\nWARC-Type: \(type)\r\n"
      if let uri { header += "WARC-Target-URI: \(uri)\r\n" }
      header += "WARC-Date: 2024-02-21T00:00:00Z\r\nContent-Type: text/plain\r\nContent-Length: \(content.count)\r\n\r\n"
      return Data(header.utf8) + content + Data("\r\n\r\n".utf8)
    }
    records.append(record("warcinfo", uri: nil, "isPartOf: CC-MAIN-2024-10\r\noperator: Common Crawl Admin\r\n"))
    for (k, page) in pages.enumerated() { records.append(record("conversion", uri: "https://example.org/page/\(k + 1)", page)) }
    if cutLast { records[records.count - 1] = records[records.count - 1].prefix(records[records.count - 1].count / 2) }
    var file = Data()
    for r in records { file += try Tool.run("gzip", ["-c"], input: r) }
    return try fixture.write("CC-MAIN-test.warc.wet.gz", file)
  }

  @Test func conversionRecordsAreDocumentsWithTheirURIs() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let (_, paragraphs) = try ShardFixture.paragraphsJSONL(count: 30, novel: "155-0.txt.gz")
    let items = try BenchmarkLoader.load(name: "gsm8k", path: TestData.path("benchmarks/gsm8k/test.jsonl"), format: BenchmarkFormat.presets["gsm8k"]!)
    var pages = stride(from: 0, to: 30, by: 3).map { paragraphs[$0..<$0 + 3].joined(separator: "\n\n") }
    pages[4] += "\n\nA reader asked: " + items[0].parts[0].text + "\nThanks for reading."
    let path = try wet(fixture, pages: pages)
    let reader = ShardReader(options: ShardReaderOptions(format: .auto(textField: .text, idField: nil)))
    var documents: [(Int, String?, String)] = []
    let counts = try reader.read(path: path) { documents.append(($0.line, $0.id, $0.textString)) } onProblem: { _ in }
    #expect(counts.problems.isEmpty && counts.lines == 11 && counts.documents == 10)
    #expect(documents.map(\.1) == (1...10).map { "https://example.org/page/\($0)" })
    #expect(documents.map(\.2) == pages, "record content exactly, CRLF and all")
    #expect(documents.map(\.0) == Array(2...11), "line = the record's ordinal (the warcinfo record is 1)")
    let cert = fixture.url("c.json").path
    let run = try Tool.execute(
      contam, ["scan", "--fail-on", "never", "--out", cert, "--benchmark", "gsm8k=\(TestData.path("benchmarks/gsm8k/test.jsonl"))", path])
    #expect(run.status == 0, "\(run.stderr)")
    let certificate = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
    #expect(certificate.items[0].verdict != .clean && certificate.items[0].evidence.first?.documentID == "https://example.org/page/5")
    let verified = try Tool.execute(contam, ["verify", "--corpus", fixture.directory.path, "--corpus", TestData.packageRoot.path, cert])
    #expect(verified.status == 0, "\(verified.stdout)")
  }

  @Test func largeRecordsAcrossReadChunksAreReadWhole() throws {
    // Pages of 50 to 400 kB, so record headers fall across the reader's 1 MiB chunks and the
    // buffer is compacted under them.
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let novel = try TestData.gutenberg("1342-0.txt.gz", bytes: 700_000)
    var pages: [String] = []
    for k in 0..<24 {
      let size = 50_000 + (k * 37_123) % 350_000
      pages.append(String(novel.dropFirst((k * 9_001) % 250_000).prefix(size)))
    }
    let path = try wet(fixture, pages: pages)
    let reader = ShardReader(options: ShardReaderOptions(format: .auto(textField: .text, idField: nil)))
    var texts: [String] = []
    let counts = try reader.read(path: path) { texts.append($0.textString) } onProblem: { _ in }
    #expect(counts.problems.isEmpty, "\(counts.problems)")
    #expect(texts == pages)
  }

  @Test func aCutRecordAndAHeaderThatIsNotWARCAreReported() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let long = try TestData.gutenberg("141.txt.gz", bytes: 5_000)
    let path = try wet(fixture, pages: ["first page of text", long], cutLast: true)
    var problems: [ContamError] = []
    let reader = ShardReader(options: ShardReaderOptions(format: .auto(textField: .text, idField: nil)))
    let counts = try reader.read(path: path) { _ in } onProblem: { problems.append($0) }
    #expect(counts.documents == 1 && problems.map(\.code) == [.incompleteLine], "\(problems)")
    let bogus = try fixture.write("bogus.wet", Data("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello".utf8))
    problems = []
    _ = try reader.read(path: bogus) { _ in } onProblem: { problems.append($0) }
    #expect(problems.first?.code == .corruptData && problems.first?.message.contains("not a WARC record") == true)
  }
}
