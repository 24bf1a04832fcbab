import Contam
import Foundation
import Testing
import _ContamTestSupport

@Suite("WARC and WET files")
struct WARCTests {
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

  // MARK: WARC archives: response records

  /// A WARC record: header block and content.
  static func record(_ type: String, uri: String?, contentType: String, _ content: Data) -> Data {
    var header = "WARC/1.1\r\nWARC-Type: \(type)\r\n"
    if let uri { header += "WARC-Target-URI: \(uri)\r\n" }
    header += "WARC-Date: 2024-02-21T00:00:00Z\r\nContent-Type: \(contentType)\r\nContent-Length: \(content.count)\r\n\r\n"
    return Data(header.utf8) + content + Data("\r\n\r\n".utf8)
  }

  /// An HTTP response with these header fields and body.
  static func http(_ fields: [String], _ body: Data) -> Data {
    Data((["HTTP/1.1 200 OK"] + fields).joined(separator: "\r\n").utf8) + Data("\r\n\r\n".utf8) + body
  }

  /// `body` as chunks of `size` bytes (`Transfer-Encoding: chunked`), one with an extension.
  static func chunked(_ body: Data, size: Int) -> Data {
    var out = Data()
    var k = 0
    while k < body.count {
      let part = body[body.startIndex + k..<body.startIndex + min(k + size, body.count)]
      out += Data((k == 0 ? "\(String(part.count, radix: 16));name=value\r\n" : "\(String(part.count, radix: 16))\r\n").utf8) + part + Data("\r\n".utf8)
      k += size
    }
    return out + Data("0\r\nX-Trailer: 1\r\n\r\n".utf8)
  }

  /// The raw deflate stream inside `gzip -n` output (its 10-byte header and 8-byte trailer off),
  /// and the same wrapped as zlib (RFC 1950: header, stream, Adler-32).
  static func deflate(_ body: Data) throws -> (raw: Data, zlib: Data) {
    let gz = try Tool.run("gzip", ["-c", "-n"], input: body)
    let raw = gz.dropFirst(10).dropLast(8)
    var a: UInt32 = 1
    var b: UInt32 = 0
    for byte in body {
      a = (a + UInt32(byte)) % 65521
      b = (b + a) % 65521
    }
    let adler = (b << 16) | a
    return (Data(raw), Data([0x78, 0x9C]) + raw + Data([UInt8(adler >> 24), UInt8(adler >> 16 & 0xFF), UInt8(adler >> 8 & 0xFF), UInt8(adler & 0xFF)]))
  }

  /// Pages of real prose with a GSM8K item (question and solution) inside, as HTML.
  static func pages(_ count: Int) throws -> (pages: [String], items: [BenchmarkItem]) {
    let (_, paragraphs) = try ShardFixture.paragraphsJSONL(count: 4 * count, novel: "155-0.txt.gz")
    let items = try BenchmarkLoader.load(name: "gsm8k", path: TestData.path("benchmarks/gsm8k/test.jsonl"), format: BenchmarkFormat.presets["gsm8k"]!)
    let pages = (0..<count).map { k in
      let prose = paragraphs[4 * k..<4 * k + 4].map { "<p>\($0)</p>" }
      let item = "<div class=\"q\"><p>\(items[k].parts[0].text)</p>\n<p>\(items[k].parts[1].text)</p></div>"
      return "<!DOCTYPE html>\n<html><head><title>Page \(k + 1)</title></head><body>\n"
        + (prose[0..<2] + [item] + prose[2...]).joined(separator: "\n") + "\n</body></html>\n"
    }
    return (pages, Array(items.prefix(count)))
  }

  /// A WARC archive as a crawler writes it: warcinfo, then per page a request, the response
  /// (in one of six codings), a metadata record and an image; each record its own gzip member.
  func archive(_ fixture: ShardFixture, name: String, pages: [String]) throws -> String {
    var records = [Self.record("warcinfo", uri: nil, contentType: "application/warc-fields", Data("software: test\r\n".utf8))]
    for (k, page) in pages.enumerated() {
      let uri = "https://example.net/article/\(k + 1)"
      let html = Data(page.utf8)
      let (raw, zlib) = try Self.deflate(html)
      let response: Data
      switch k % 6 {
      case 0: response = Self.http(["Content-Type: text/html; charset=utf-8"], html)
      case 1: response = Self.http(["Content-Type: text/html", "Content-Encoding: gzip"], try Tool.run("gzip", ["-c"], input: html))
      case 2: response = Self.http(["Content-Type: text/html", "Content-Encoding: deflate"], zlib)
      case 3: response = Self.http(["Content-Type: text/html", "content-encoding: deflate"], raw)
      case 4: response = Self.http(["Content-Type: text/html", "Content-Encoding: zstd", "Transfer-Encoding: chunked"], Self.chunked(try Tool.run("zstd", ["-c", "-q"], input: html), size: 97))
      default: response = Self.http(["Content-Type: text/html", "Transfer-Encoding: chunked"], Self.chunked(html, size: 211))
      }
      records.append(Self.record("request", uri: uri, contentType: "application/http; msgtype=request", Data("GET /article/\(k + 1) HTTP/1.1\r\nHost: example.net\r\n\r\n".utf8)))
      records.append(Self.record("response", uri: uri, contentType: "application/http; msgtype=response", response))
      records.append(Self.record("metadata", uri: uri, contentType: "application/warc-fields", Data("fetchTimeMs: 120\r\n".utf8)))
      let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 16, 0, 0, 0, 16, 8, 2, 0, 0, 0])
      records.append(Self.record("response", uri: uri + "/logo.png", contentType: "application/http; msgtype=response", Self.http(["Content-Type: image/png"], png)))
    }
    var file = Data()
    for r in records { file += try Tool.run("gzip", ["-c"], input: r) }
    return try fixture.write(name, file)
  }

  @Test func responseRecordsAreTheirPagesDecoded() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let (pages, items) = try Self.pages(12)
    // Named as crawlers name archives, and with a name that says nothing: known by its content.
    for name in ["CC-MAIN-test.warc.gz", "crawl-0001.gz"] {
      let path = try archive(fixture, name: name, pages: pages)
      let read = try readAll(path, options: ShardReaderOptions(format: .auto(textField: .text, idField: nil)))
      #expect(read.problems.isEmpty, "\(read.problems)")
      #expect(read.documents.map(\.text) == pages, "each page's HTML exactly, whatever its coding")
      #expect(read.documents.map(\.id) == (1...12).map { "https://example.net/article/\($0)" })
      #expect(read.documents.map(\.line) == (0..<12).map { 4 * $0 + 3 }, "line = the response record's ordinal")
      #expect(read.counts.lines == 49 && read.counts.documents == 12, "requests, metadata and images passed over")
    }
    // The scan finds every planted item in its page, and verify --full agrees.
    let cert = fixture.url("c.json").path
    let run = try Tool.execute(
      contam,
      ["scan", "--fail-on", "never", "--out", cert, "--benchmark", "gsm8k=\(TestData.path("benchmarks/gsm8k/test.jsonl"))", fixture.url("crawl-0001.gz").path])
    #expect(run.status == 0, "\(run.stderr)")
    let certificate = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
    for (k, item) in items.enumerated() {
      let result = certificate.items.first { $0.id == item.id }
      #expect(result?.verdict == .contaminated, "\(item.id)")
      #expect(result?.evidence.first?.documentID == "https://example.net/article/\(k + 1)")
    }
    let verified = try Tool.execute(contam, ["verify", "--full", "--corpus", fixture.directory.path, "--corpus", TestData.packageRoot.path, cert])
    #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
  }

  @Test func aWARCArchiveBesideOtherShardsIsRead() throws {
    // Before, a WARC archive's response records were passed over without a word: beside a JSONL
    // shard, the run read only that shard and called the archive's copies clean.
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let (pages, items) = try Self.pages(3)
    let warc = try archive(fixture, name: "pages.warc.gz", pages: pages)
    let (jsonl, _) = try ShardFixture.paragraphsJSONL(count: 20)
    let other = try fixture.write("other.jsonl", jsonl)
    let cert = fixture.url("c.json").path
    let run = try Tool.execute(
      contam, ["scan", "--out", cert, "--benchmark", "gsm8k=\(TestData.path("benchmarks/gsm8k/test.jsonl"))", warc, other])
    #expect(run.status != 0 && run.status != 3 && run.status != 4, "contaminated: \(run.status) \(run.stderr)")
    let certificate = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
    #expect(items.allSatisfy { item in certificate.items.first { $0.id == item.id }?.verdict == .contaminated })
  }

  @Test func aWARCFileWithNoTextRecordIsNeverClean() throws {
    // A WAT file (metadata records of JSON) or a request log holds no page text: the shard is
    // counted as unread, not read clean.
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    var wat = Self.record("warcinfo", uri: nil, contentType: "application/warc-fields", Data("software: test\r\n".utf8))
    for k in 1...5 {
      wat += Self.record("metadata", uri: "https://example.net/\(k)", contentType: "application/json", Data(#"{"Envelope":{"Format":"WARC"}}"#.utf8))
    }
    let path = try fixture.compress("CC-MAIN-test.warc.wat.gz", wat, tool: "gzip", ["-c"])
    let read = try readAll(path, options: ShardReaderOptions(format: .auto(textField: .text, idField: nil)))
    #expect(read.documents.isEmpty && read.problems.map(\.code) == [.unsupported], "\(read.problems)")
    #expect(read.problems.first?.message.contains("5 metadata, 1 warcinfo") == true, "\(read.problems)")
    let benchmark = "gsm8k=\(TestData.path("benchmarks/gsm8k/test.jsonl"))"
    let alone = try Tool.execute(contam, ["scan", "--out", fixture.url("a.json").path, "--benchmark", benchmark, path])
    #expect(alone.status == 4 && !FileManager.default.fileExists(atPath: fixture.url("a.json").path), "\(alone.stderr)")
    let (jsonl, _) = try ShardFixture.paragraphsJSONL(count: 20)
    let other = try fixture.write("other.jsonl", jsonl)
    let beside = try Tool.execute(contam, ["scan", "--out", fixture.url("b.json").path, "--benchmark", benchmark, path, other])
    #expect(beside.status == 3 && beside.stderr.contains("CC-MAIN-test.warc.wat.gz"), "\(beside.stderr)")
  }

  @Test func bodiesContamCannotReadAreProblemsNamingTheirRecord() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let page = Data("<html><body><p>\(try TestData.gutenberg("141.txt.gz", bytes: 2_000))</p></body></html>".utf8)
    let gz = try Tool.run("gzip", ["-c"], input: page)
    var utf16 = Data([0xFF, 0xFE])
    for unit in "<html><body>A page written in UTF-16.</body></html>".utf16 { utf16 += Data([UInt8(unit & 0xFF), UInt8(unit >> 8)]) }
    let responses: [Data] = [
      Self.http(["Content-Type: text/html"], page),  // 1: read
      Self.http(["Content-Encoding: br"], Data([0x1B, 0x00, 0xF8, 0x25, 0x00, 0xA2])),  // 2: brotli
      Self.http(["Content-Encoding: gzip"], Data([0x1F, 0x8B, 0x08, 0x00]) + Data(repeating: 0x55, count: 200)),  // 3: not gzip
      Self.http(["Content-Type: text/html; charset=utf-16"], utf16),  // 4: UTF-16
      Self.http(["Content-Encoding: compress"], Data("x".utf8)),  // 5: a coding not decoded
      Self.http(["Content-Type: text/html"], gz),  // 6: gzip without the header: read
      Self.http(["Content-Type: text/html", "Content-Encoding: gzip"], gz.prefix(gz.count / 2)),  // 7: cut: its first part read
    ]
    var file = Data()
    for (k, response) in responses.enumerated() {
      file += Self.record("response", uri: "https://example.net/\(k + 1)", contentType: "application/http; msgtype=response", response)
    }
    let path = try fixture.write("odd.warc", file)
    let read = try readAll(path, options: ShardReaderOptions(format: .auto(textField: .text, idField: nil)))
    #expect(read.problems.map(\.code) == [.unsupported, .corruptData, .unsupported, .unsupported], "\(read.problems)")
    #expect(read.problems.map(\.line) == [2, 3, 4, 5])
    #expect(read.problems[0].message.contains("brotli") && read.problems[2].message.contains("UTF-16"))
    #expect(read.documents.map(\.line) == [1, 6, 7])
    #expect(read.documents[0].text == String(decoding: page, as: UTF8.self) && read.documents[1].text == read.documents[0].text)
    #expect(read.documents[2].text.count > 500 && read.documents[0].text.hasPrefix(read.documents[2].text))
  }
}
