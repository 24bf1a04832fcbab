import Contam
import Foundation
import Testing
import _ContamTestSupport

/// Every kind of bad input, through the CLI: the message names the file (and line) and the
/// problem, the count is in `stats --json` and in the certificate, and the exit status is 0 by
/// default and 3 under --strict when input was lost.
@Suite("Bad input matrix")
struct BadInputMatrixTests {
  let contam = TestData.contamExecutable

  struct Case: CustomStringConvertible, Sendable {
    var name: String
    /// Builds the bad shard in the directory; returns its file name.
    var make: @Sendable (ShardFixture) throws -> String
    /// The problem kind expected, with its count (nil: no problem).
    var code: String?
    var count: Int
    /// The line named in the message, if the problem is in a line.
    var line: Int?
    var description: String { name }
  }

  static let gsmQuestion = "Janet’s ducks lay 16 eggs per day. She eats three for breakfast every morning and bakes muffins for her friends every day with four."

  static func records(_ n: Int) throws -> Data { try ShardFixture.paragraphsJSONL(count: n).jsonl }

  /// 100,000 bytes of seeded noise (what an unknown compression looks like).
  static let noise: Data = {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    return Data((0..<100_000).map { _ in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: state >> 33)
    })
  }()

  static let cases: [Case] = [
    Case(name: "gzip truncated at 30%", make: { f in
      let whole = try Tool.run("gzip", ["-c"], input: try records(300))
      return try (f.write("cut30.gz", whole.prefix(whole.count * 3 / 10)) as NSString).lastPathComponent
    }, code: "truncated_data", count: 1),
    Case(name: "gzip truncated at 97%", make: { f in
      let whole = try Tool.run("gzip", ["-c"], input: try records(300))
      return try (f.write("cut97.gz", whole.prefix(whole.count * 97 / 100)) as NSString).lastPathComponent
    }, code: "truncated_data", count: 1),
    Case(name: "zstd truncated", make: { f in
      let whole = try Tool.run("zstd", ["-c", "-q"], input: try records(300))
      return try (f.write("cut.zst", whole.prefix(whole.count / 2)) as NSString).lastPathComponent
    }, code: "truncated_data", count: 1),
    Case(name: "gzip with a flipped byte", make: { f in
      var bytes = try Tool.run("gzip", ["-c"], input: try records(300))
      bytes[bytes.count / 2] ^= 0x40
      return try (f.write("flip.gz", bytes) as NSString).lastPathComponent
    }, code: "corrupt_data", count: 1),
    Case(name: "zstd with a flipped byte", make: { f in
      var bytes = try Tool.run("zstd", ["-c", "-q"], input: try records(300))
      bytes[bytes.count / 2] ^= 0x40
      return try (f.write("flip.zst", bytes) as NSString).lastPathComponent
    }, code: "corrupt_data", count: 1),
    Case(name: "gzip with trailing garbage", make: { f in
      let bytes = try Tool.run("gzip", ["-c"], input: try records(20)) + Data("not gzip at all".utf8)
      return try (f.write("garbage.gz", bytes) as NSString).lastPathComponent
    }, code: "trailing_garbage", count: 1),
    Case(name: "zero-byte file", make: { f in try (f.write("empty.jsonl", Data()) as NSString).lastPathComponent },
      code: "empty_file", count: 1),
    Case(name: "only newlines", make: { f in try (f.write("newlines.jsonl", Data(repeating: 0x0A, count: 4)) as NSString).lastPathComponent },
      code: "empty_line", count: 4, line: 1),
    Case(name: "a line that is not JSON", make: { f in
      try (f.write("notjson.jsonl", Data("{\"text\": \"ok\"}\nthis is not json\n".utf8)) as NSString).lastPathComponent
    }, code: "not_json", count: 1, line: 2),
    Case(name: "JSON nested 10,000 deep and unclosed", make: { f in
      let deep = "{\"text\": \"ok\", \"a\": " + String(repeating: "[", count: 10_000) + "\n"
      return try (f.write("deep.jsonl", Data(deep.utf8)) as NSString).lastPathComponent
    }, code: "not_json", count: 1, line: 1),
    Case(name: "text is a number, null, an array", make: { f in
      try (f.write("types.jsonl", Data("{\"text\": 1}\n{\"text\": null}\n{\"text\": [\"a\"]}\n".utf8)) as NSString).lastPathComponent
    }, code: "field_not_string", count: 3, line: 1),
    Case(name: "text missing", make: { f in
      try (f.write("missing.jsonl", Data("{\"body\": \"x\"}\n".utf8)) as NSString).lastPathComponent
    }, code: "missing_field", count: 1, line: 1),
    Case(name: "text empty in every record, the words in another field", make: { f in
      try (f.write("emptytext.jsonl", Data(String(repeating: "{\"text\": \"\", \"content\": \"the words\"}\n", count: 3).utf8)) as NSString)
        .lastPathComponent
    }, code: "empty_text", count: 3, line: 1),
    Case(name: "the text field twice (readers disagree on which one a record means): both read, counted", make: { f in
      try (f.write("twice.jsonl", Data("{\"text\": \"first\", \"id\": 1, \"text\": \"second\"}\n{\"text\": \"once\"}\n".utf8)) as NSString)
        .lastPathComponent
    }, code: "repeated_field", count: 1, line: 1),
    Case(name: "duplicate keys (not the text), BOM, CRLF, invalid UTF-8, lone surrogate: read, not skipped", make: { f in
      var bytes = Data("\u{FEFF}{\"text\": \"first\", \"id\": 1, \"id\": 2}\r\n".utf8)
      bytes += Data("{\"text\": \"bad ".utf8) + Data([0xFF, 0xC3]) + Data(" bytes \\ud800 end\"}\r\n".utf8)
      return try (f.write("odd.jsonl", bytes) as NSString).lastPathComponent
    }, code: nil, count: 0),
    // Formats Contam does not read: refused by name, never read as text (which matched nothing
    // and read clean). Each file starts with its format's magic bytes, then real records.
  ] + [
    ("xz", "a.jsonl.xz", Data([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00])), ("bzip2", "b.jsonl.bz2", Data("BZh9".utf8)),
    ("LZ4", "c.jsonl.lz4", Data([0x04, 0x22, 0x4D, 0x18])), ("zip", "d.zip", Data([0x50, 0x4B, 0x03, 0x04])),
    ("tar", "e.tar", ShardFixture.tarHeader("records.jsonl")),
  ].map { format, file, magic in
    Case(name: "\(format) data", make: { f in try (f.write(file, magic + (try records(20))) as NSString).lastPathComponent },
      code: "unsupported", count: 1)
  } + [
    // Arrow's magic bytes before bytes that are no Arrow metadata (read since session 42): damaged.
    ("Arrow IPC file", "f.arrow", Data("ARROW1".utf8) + Data(count: 2)),
    ("Arrow IPC stream", "data-00000-of-00001.arrow", Data([0xFF, 0xFF, 0xFF, 0xFF, 0x70, 0x00, 0x00, 0x00])),
  ].map { format, file, magic in
    Case(name: "\(format) magic before JSON records", make: { f in try (f.write(file, magic + (try records(20))) as NSString).lastPathComponent },
      code: "corrupt_data", count: 1, line: 1)
  } + [
    Case(name: "UTF-16 text with a byte order mark", make: { f in
      try (f.write("bom.jsonl", String(decoding: try records(20), as: UTF8.self).data(using: .utf16)!) as NSString).lastPathComponent
    }, code: "unsupported", count: 1),
    Case(name: "UTF-16 text without one", make: { f in
      try (f.write("le.jsonl", String(decoding: try records(20), as: UTF8.self).data(using: .utf16LittleEndian)!) as NSString).lastPathComponent
    }, code: "unsupported", count: 1),
    Case(name: "UTF-32 text with a byte order mark", make: { f in
      try (f.write("bom32.jsonl", String(decoding: try records(20), as: UTF8.self).data(using: .utf32)!) as NSString).lastPathComponent
    }, code: "unsupported", count: 1),
    Case(name: "UTF-32 text without one", make: { f in
      try (f.write("be32.jsonl", String(decoding: try records(20), as: UTF8.self).data(using: .utf32BigEndian)!) as NSString).lastPathComponent
    }, code: "unsupported", count: 1),
    // Inside a compressed stream: an archive (a `.tar.gz` of text files, whose headers and
    // padding would be read as text) and a file compressed twice are named, not read.
    Case(name: "a tar archive inside gzip (.tar.gz)", make: { f in
      let tar = ShardFixture.tarHeader("records.jsonl") + (try records(20))
      return try (f.write("corpus.tar.gz", try Tool.run("gzip", ["-c"], input: tar)) as NSString).lastPathComponent
    }, code: "unsupported", count: 1),
    Case(name: "an Arrow file inside gzip (a datasets cache file compressed)", make: { f in
      let arrow = try Data(contentsOf: TestData.packageRoot.appendingPathComponent("Tests/Fixtures/arrow/stream.arrow"))
      return try (f.write("data.arrow.gz", try Tool.run("gzip", ["-c"], input: arrow)) as NSString).lastPathComponent
    }, code: "unsupported", count: 1),
    Case(name: "gzip inside zstd (compressed twice)", make: { f in
      let twice = try Tool.run("zstd", ["-c", "-q"], input: try Tool.run("gzip", ["-c"], input: try records(20)))
      return try (f.write("twice.jsonl.zst", twice) as NSString).lastPathComponent
    }, code: "unsupported", count: 1),
    // Read as it is, base64 of text matches nothing: named, counted as not read.
    Case(name: "text fields in base64", make: { f in
      let texts = try ShardFixture.paragraphsJSONL(count: 40).texts.filter { $0.utf8.count >= 60 }.prefix(12)
      let lines = try texts.map { String(decoding: try JSONSerialization.data(withJSONObject: ["text": Data($0.utf8).base64EncodedString()]), as: UTF8.self) }
      return try (f.write("base64.jsonl", Data((lines.joined(separator: "\n") + "\n").utf8)) as NSString).lastPathComponent
    }, code: "encoded_text", count: 12, line: 1),
    // The text read is a title; the page is in another field: read as asked, and said once.
    Case(name: "more text in another field than the one read", make: { f in
      let texts = try ShardFixture.paragraphsJSONL(count: 30).texts
      let lines = try texts.enumerated().map { i, text in
        String(decoding: try JSONSerialization.data(withJSONObject: ["text": "Part \(i)", "content": text]), as: UTF8.self)
      }
      return try (f.write("titled.jsonl", Data((lines.joined(separator: "\n") + "\n").utf8)) as NSString).lastPathComponent
    }, code: "unread_field", count: 1),
    Case(name: "random bytes", make: { f in
      try (f.write("noise.jsonl", Self.noise) as NSString).lastPathComponent
    }, code: "unsupported", count: 1),
    Case(name: "random bytes, gzip-compressed", make: { f in
      try (f.write("noise.jsonl.gz", try Tool.run("gzip", ["-c"], input: Self.noise)) as NSString).lastPathComponent
    }, code: "unsupported", count: 1),
    Case(name: "a dangling symlink", make: { f in
      try FileManager.default.createSymbolicLink(atPath: f.url("dangling.jsonl").path, withDestinationPath: f.url("nowhere").path)
      return "dangling.jsonl"
    }, code: "unreadable_file", count: 1),
  ]

  @Test(arguments: cases)
  func eachCaseIsNamedCountedAndGated(_ c: Case) throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let name = try c.make(fixture)
    let path = fixture.url(name).path
    let stats = try Tool.execute(contam, ["stats", "--json", path])
    #expect(stats.status == 0, "default policy: count and go on")
    let figures = try JSONDecoder().decode(CorpusStatistics.self, from: Data(stats.stdout.utf8))
    if let code = c.code {
      #expect(figures.total.problems[code] == c.count, "\(figures.total.problems)")
      let named = c.line.map { "\(path):\($0): \(code)" } ?? "\(path): \(code)"
      #expect(stats.stderr.contains(named), "stderr: \(stats.stderr)")
      let loses = ContamError.Code(rawValue: code)!.losesInput
      let strict = try Tool.execute(contam, ["stats", "--strict", path])
      #expect(strict.status == (loses ? 3 : 0))
      // Counted in the certificate too (beside a good shard: a run that reads nothing writes none).
      let good = try fixture.write("good.jsonl", Data("{\"text\": \"an ordinary document of real words\"}\n".utf8))
      let cert = fixture.url("cert.json").path
      let scan = try Tool.execute(
        contam, [
          "scan", "--max-skipped-fraction", "1", "--benchmark", "gsm8k=\(TestData.path("benchmarks/gsm8k/test.jsonl"))", "--out", cert,
          path, good,
        ])
      #expect(scan.status == 0)
      let certificate = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
      #expect(certificate.corpus.problems[code] == c.count)
      // The bad shard alone: nothing was read, so no certificate and exit 4.
      let alone = fixture.url("alone.json").path
      let nothing = try Tool.execute(
        contam, ["scan", "--benchmark", "gsm8k=\(TestData.path("benchmarks/gsm8k/test.jsonl"))", "--out", alone, path])
      if certificate.shards.first(where: { $0.path == path })?.documents == 0 {
        #expect(nothing.status == 4 && nothing.stderr.contains("no document was read"), "\(nothing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: alone))
      }
    } else {
      #expect(figures.total.problems.isEmpty, "\(figures.total.problems)")
      #expect(figures.total.documents == 2)
      #expect(figures.total.invalidUTF8Bytes == 3, "0xFF, a cut-off 0xC3 and the lone surrogate")
    }
  }

  @Test func a300MBLineIsSkippedWithoutBeingLoaded() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = fixture.url("huge.jsonl").path
    FileManager.default.createFile(atPath: path, contents: Data("{\"text\": \"first\"}\n{\"text\": \"".utf8))
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.seekToEnd()
    let block = Data(repeating: UInt8(ascii: "a"), count: 1 << 20)
    for _ in 0..<300 { try handle.write(contentsOf: block) }
    try handle.write(contentsOf: Data("\"}\n{\"text\": \"last\"}\n".utf8))
    try handle.close()
    let run = try Tool.execute("/usr/bin/time", ["-f", "maxrss=%M", contam, "stats", "--json", path])
    #expect(run.status == 0)
    #expect(run.stderr.contains("\(path):2: line_too_long"))
    let figures = try JSONDecoder().decode(CorpusStatistics.self, from: Data(run.stdout.utf8))
    #expect(figures.total.documents == 2 && figures.total.problems == ["line_too_long": 1])
    let rss = Int(run.stderr.components(separatedBy: "maxrss=").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
    #expect(rss > 0 && rss < 200_000, "peak RSS \(rss) KiB: the line must not be loaded whole (limit 64 MiB)")
    #expect(try Tool.execute(contam, ["stats", "--strict", path]).status == 3)
  }

  @Test func aLongLineIsScannedInAboutTwiceItsOwnMemory() throws {
    // A 44 MB JSONL line of real prose (under the line limit, so it is read and matched):
    // matched in segments, the token buffers stay small; before, it took 7.5 times the line.
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let prose = try TestData.gutenberg("122-0.txt.gz", bytes: 400_000)
    var body = String(repeating: prose, count: 110)
    let question = try BenchmarkLoader.load(
      name: "gsm8k", path: TestData.path("benchmarks/gsm8k/test.jsonl"), format: BenchmarkFormat.presets["gsm8k"]!)[0].parts[0].text
    body.insert(contentsOf: " " + question + " ", at: body.index(body.startIndex, offsetBy: 30_000_000))
    let path = try fixture.write("long-line.jsonl", try JSONSerialization.data(withJSONObject: ["text": body]) + Data("\n".utf8))
    let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber).intValue
    #expect(size > 40_000_000)
    let cert = fixture.url("c.json").path
    let run = try Tool.execute(
      "/usr/bin/time", ["-f", "maxrss=%M", contam, "scan", "--fail-on", "never", "--benchmark", "gsm8k=\(TestData.path("benchmarks/gsm8k/test.jsonl"))", "--out", cert, path])
    #expect(run.status == 0, "\(run.stderr)")
    let certificate = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
    #expect(certificate.items[0].verdict != .clean && certificate.items[0].parts[0].coverage == 1, "the planted question is found")
    let rss = Int(run.stderr.components(separatedBy: "maxrss=").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
    // The index of 1,319 items and the binary take about 60 MB; the line may take twice its size.
    #expect(rss > 0 && rss < 60_000 + 2 * size / 1024 + 20_000, "peak RSS \(rss) KiB for a \(size / 1_000_000) MB line")
  }

  @Test func badLinesAroundAPlantedItemDoNotChangeItsVerdict() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let items = try BenchmarkLoader.load(name: "gsm8k", path: TestData.path("benchmarks/gsm8k/test.jsonl"), format: BenchmarkFormat.presets["gsm8k"]!)
    let planted = try JSONSerialization.data(withJSONObject: ["text": "Intro. " + ItemIndex.text(of: items[0])])
    let lines = [Data("not json\n".utf8), Data("{\"text\": 5}\n".utf8), planted + Data("\n".utf8), Data([0xFF, 0xFE, 0x0A]), Data("{\"text\": \"x\"".utf8)]
    let path = try fixture.write("mixed.jsonl", lines.reduce(Data(), +))
    let cert = fixture.url("cert.json").path
    // Four of five lines are bad: the default gate refuses the shard (exit 3, no certificate) ...
    let gated = try Tool.execute(contam, ["scan", "--benchmark", "gsm8k=\(TestData.path("benchmarks/gsm8k/test.jsonl"))", "--out", cert, path])
    #expect(gated.status == 3 && gated.stderr.contains("80.0% of its records were skipped"), "\(gated.stderr)")
    #expect(!FileManager.default.fileExists(atPath: cert))
    // ... and with the gate off, the verdicts are what the good line says.
    let run = try Tool.execute(
      contam, ["scan", "--max-skipped-fraction", "1", "--benchmark", "gsm8k=\(TestData.path("benchmarks/gsm8k/test.jsonl"))", "--out", cert, path])
    #expect(run.status == 1, "the planted item is contaminated: exit 1")
    let certificate = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
    #expect(certificate.items[0].verdict == .contaminated)
    #expect(certificate.items[0].evidence.first?.line == 3)
    #expect(certificate.corpus.problems == ["not_json": 3, "field_not_string": 1])
    #expect(certificate.items.dropFirst().allSatisfy { $0.verdict != .contaminated })
  }

  /// A named pipe inside a shard directory is refused by name: opening it waits for a writer,
  /// and the scan hung with nothing said. A pipe named on the command line (`<(zcat …)`) is read.
  @Test func aNamedPipeInADirectoryIsRefusedNotWaitedOn() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let shards = fixture.url("shards")
    try FileManager.default.createDirectory(at: shards, withIntermediateDirectories: true)
    try (try Self.records(20)).write(to: shards.appendingPathComponent("a.jsonl"))
    let pipe = shards.appendingPathComponent("b.jsonl").path
    #expect(mkfifo(pipe, 0o600) == 0)
    let gsm = "gsm8k=\(TestData.path("benchmarks/gsm8k/test.jsonl"))"
    let run = try Tool.execute(contam, ["scan", "--benchmark", gsm, shards.path])
    #expect(run.status == 4 && run.stderr.contains("\(pipe): invalid_argument: a named pipe inside the directory, not a file"), "\(run.stderr)")
    let named = try Tool.shell("'\(contam)' scan --fail-on never --benchmark '\(gsm)' <(cat '\(shards.path)/a.jsonl') 2>&1; echo status=$?")
    #expect(named.contains("status=0") && named.contains("20 documents"), "\(named)")
  }
}
