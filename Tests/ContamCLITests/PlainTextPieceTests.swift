import Contam
import Foundation
import Testing
import _ContamTestSupport

/// Plain text is read in pieces of up to about 1 MiB cut at blank lines (`--format auto` and
/// `text`): hard-wrapped text has lines of 8 to 12 words, too few for a 13-gram, and a question
/// often stands a blank line above its options. Read a line (or a paragraph) at a time, an item
/// copied into a book, a mail or a README matched nothing, or only in part.
@Suite("Plain text, read in pieces")
struct PlainTextPieceTests {
  let contam = TestData.contamExecutable

  struct Piece {
    var line: Int
    var offset: Int
    var text: [UInt8]
    var lines: [Int]  // line(at:) for each line break's next byte, checked below
  }

  /// Every document with where it starts, and the line `line(at:)` gives for the byte after
  /// each of its line breaks.
  func documents(_ path: String, _ options: ShardReaderOptions) throws -> (docs: [Piece], counts: ShardReadCounts) {
    var docs: [Piece] = []
    let counts = try ShardReader(options: options).read(path: path) { d in
      let starts = [0] + d.text.indices.filter { d.text[$0] == 0x0A }.map { $0 + 1 }.filter { $0 < d.text.count }
      #expect(starts.allSatisfy { d.holds(line: d.line(at: $0)) })
      #expect(!d.holds(line: d.line - 1) && !d.holds(line: d.line + starts.count))
      docs.append(Piece(line: d.line, offset: d.lineOffset, text: Array(d.text), lines: starts.map { d.line(at: $0) }))
    } onProblem: { _ in }
    return (docs, counts)
  }

  static let whitespace: Set<UInt8> = [0x0A, 0x0D, 0x20, 0x09, 0x0C]

  /// The pieces are the file's bytes, in order, and between them only blank lines; each piece
  /// starts at its line, and `line(at:)` gives the file's line of every line it holds.
  func expectPiecesAreTheFile(_ docs: [Piece], _ bytes: [UInt8]) {
    var at = 0
    var line = 1
    for d in docs {
      let gap = bytes[at..<d.offset]
      #expect(gap.allSatisfy { Self.whitespace.contains($0) }, "only blank lines between pieces")
      line += gap.filter { $0 == 0x0A }.count
      #expect(d.line == line, "a piece's line is its first line's")
      #expect(Array(bytes[d.offset..<d.offset + d.text.count]) == d.text, "a piece is the file's bytes")
      #expect(d.lines == Array(line..<line + d.lines.count), "line(at:) counts the file's lines")
      line += d.text.filter { $0 == 0x0A }.count
      at = d.offset + d.text.count
    }
    #expect(bytes[at...].allSatisfy { Self.whitespace.contains($0) }, "nothing after the last piece but blank lines")
  }

  @Test func aHardWrappedBookIsReadInPiecesCutAtBlankLinesThatAreTheFilesBytes() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    // Five Gutenberg novels as they ship (CRLF, wrapped at 70 columns), 2.2 MB, with a run of
    // 5,000 blank lines, a line of spaces and one of a tab between two of them.
    var text = "\r\n\r\n"
    for (k, novel) in ["1342-0.txt.gz", "122-0.txt.gz", "1310-0.txt.gz", "141.txt.gz", "155-0.txt.gz"].enumerated() {
      text += try TestData.gutenberg(novel, bytes: 700_000)
      text += k == 1 ? String(repeating: "\n", count: 5_000) : k == 2 ? "\r\n   \r\n\t\r\n" : "\r\n\r\n"
    }
    let bytes = Array(text.utf8)
    let path = try fixture.write("novels.txt", Data(bytes))
    let read = try documents(path, ShardReaderOptions(format: .auto(textField: .text, idField: nil)))
    #expect(read.counts.problems.isEmpty && read.counts.documents == read.docs.count)
    expectPiecesAreTheFile(read.docs, bytes)
    #expect(read.docs.count >= 3 && read.docs.count <= 5, "\(read.docs.map(\.text.count))")
    let longest = text.split(separator: "\r\n").map(\.utf8.count).max()!
    for d in read.docs.dropLast() {
      #expect(d.text.count >= ShardReaderOptions.textPieceBlankCut && d.text.count <= ShardReaderOptions.textPieceBytes + longest)
      // Cut at a blank line (these novels have one at least every few KB).
      let after = d.offset + d.text.count
      #expect(bytes[after..<min(bytes.count, after + 8)].filter { $0 == 0x0A }.count >= 2, "cut at a blank line")
    }
    #expect(try documents(path, ShardReaderOptions(format: .text)).docs.map(\.text) == read.docs.map(\.text))
    // The same file a line a document, as auto read it before (and as `lines` reads it).
    var byLine = ShardReaderOptions(format: .auto(textField: .text, idField: nil))
    byLine.autoTextPieces = false
    let nonBlank = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
      .filter { !$0.allSatisfy(\.isWhitespace) }.count
    #expect(try documents(path, byLine).docs.count == nonBlank)
    #expect(try documents(path, ShardReaderOptions(format: .lines)).docs.count == nonBlank)
  }

  @Test func longLinesWithoutABlankLineAreCutAtLineEndsPastAMebibyte() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    // A document a line, no blank line: 3.5 MB of real paragraphs, each on one line.
    let (_, paragraphs) = try ShardFixture.paragraphsJSONL(count: 400)
    var lines: [String] = []
    var total = 0
    var k = 0
    while total < 3_500_000 {
      let line = paragraphs[k % paragraphs.count].replacingOccurrences(of: "\r\n", with: " ") + " (\(k))"
      lines.append(line)
      total += line.utf8.count + 1
      k += 1
    }
    let bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
    let path = try fixture.write("one-per-line.txt", Data(bytes))
    let read = try documents(path, ShardReaderOptions(format: .auto(textField: .text, idField: nil)))
    #expect(read.counts.problems.isEmpty && read.counts.lines == lines.count)
    expectPiecesAreTheFile(read.docs, bytes)
    #expect(read.docs.count == 4, "\(read.docs.map(\.text.count))")
    let longest = lines.map(\.utf8.count).max()!
    #expect(read.docs.dropLast().allSatisfy { $0.text.count >= ShardReaderOptions.textPieceBytes })
    #expect(read.docs.allSatisfy { $0.text.count <= ShardReaderOptions.textPieceBytes + longest })
    // Under a smaller --max-line-bytes the pieces are cut at that size; a line longer than it
    // is skipped as ever, and the piece before it is handed on whole.
    let cut = try documents(path, ShardReaderOptions(format: .text, maxLineBytes: 4096))
    let skipped = lines.filter { $0.utf8.count > 4096 }.count
    #expect(cut.counts.problems[.lineTooLong, default: 0] == skipped)
    #expect(cut.docs.allSatisfy { $0.text.count < 4096 + 4096 } && cut.docs.count > 3_500_000 / 8192)
    let kept = lines.filter { $0.utf8.count <= 4096 }.joined(separator: "\n")
    #expect(cut.docs.map { String(decoding: $0.text, as: UTF8.self) }.joined(separator: "\n") == kept)
  }

  /// Seeded random files of words, blank lines, lines of spaces, tabs and CRs, LF and CRLF,
  /// runs of line breaks across the reader's 1 MiB reads, read with pieces cut at 4 KiB: every
  /// piece is the file's bytes, only blank lines lie between pieces, every line is where
  /// `line(at:)` says.
  @Test(arguments: 0..<8)
  func randomLayoutsArePiecesOfTheFile(seed: UInt64) throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    var state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1
    func next(_ n: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(n))
    }
    let words = try TestData.gutenberg("141.txt.gz", bytes: 50_000).split(whereSeparator: \.isWhitespace).map(String.init)
    var bytes: [UInt8] = []
    let size = seed % 3 == 0 ? 2_300_000 : 60_000  // some past two of the reader's reads
    while bytes.count < size {
      switch next(20) {
      case 0: bytes += Array(repeating: 0x0A, count: 1 + next(seed % 4 == 1 ? 3000 : 5))  // blank lines
      case 1: bytes += Array("  \t ".utf8.prefix(1 + next(4))) + [0x0A]  // a line of spaces
      case 2: bytes += [0x0D, 0x0A]  // a CRLF blank line
      default:
        let line = (0..<next(25)).map { _ in words[next(words.count)] }.joined(separator: " ")
        bytes += Array(line.utf8) + (next(2) == 0 ? [0x0D, 0x0A] : [0x0A])
      }
    }
    if next(2) == 0 { bytes += Array("last line without a break".utf8) }
    let path = try fixture.write("random.txt", Data(bytes))
    let read = try documents(path, ShardReaderOptions(format: .text, maxLineBytes: 4096))
    #expect(read.counts.problems.isEmpty, "\(read.counts.problems)")
    expectPiecesAreTheFile(read.docs, bytes)
    #expect(read.docs.allSatisfy { $0.text.count < 4096 + 4096 && $0.text.first.map { !Self.whitespace.contains($0) } == true })
  }

  /// `width`-column lines, broken at spaces.
  func wrap(_ text: String, width: Int, lineEnd: String) -> String {
    var out: [String] = []
    for paragraph in text.components(separatedBy: "\n") {
      var line = ""
      for word in paragraph.split(separator: " ") {
        if !line.isEmpty && line.count + 1 + word.count > width {
          out.append(line)
          line = ""
        }
        line += (line.isEmpty ? "" : " ") + word
      }
      out.append(line)
    }
    return out.joined(separator: lineEnd)
  }

  @Test func itemsCopiedIntoWrappedTextAreContaminatedAtTheirLinesAndVerify() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let gsm8k = TestData.path("benchmarks/gsm8k/test.jsonl")
    let arc = TestData.path("benchmarks/arc/ARC-Challenge-Test.jsonl")
    let math = try BenchmarkLoader.load(name: "gsm8k", path: gsm8k, format: BenchmarkFormat.presets["gsm8k"]!)
    let choice = try BenchmarkLoader.load(name: "arc", path: arc, format: BenchmarkFormat.presets["arc"]!)
    let novel = try TestData.gutenberg("155-0.txt.gz", bytes: 400_000).replacingOccurrences(of: "\r\n", with: "\n")
    let chunks = novel.components(separatedBy: "\n\n")
    // Eight GSM8K items (question and worked solution) wrapped at 45 to 72 columns, and eight
    // ARC items with a blank line between the question and its options, in a book (LF and CRLF).
    var text = ""
    var planted: [(benchmark: String, index: Int, line: Int)] = []
    func lineNumber() -> Int { text.filter { $0 == "\n" || $0 == "\r\n" }.count + 1 }
    for k in 0..<16 {
      let lineEnd = k % 2 == 0 ? "\n" : "\r\n"
      text += chunks[10 + 8 * k..<16 + 8 * k].joined(separator: "\n\n").replacingOccurrences(of: "\n", with: lineEnd) + lineEnd + lineEnd
      if k < 8 {
        planted.append(("gsm8k", k, lineNumber()))
        text += wrap(math[k].parts.map(\.text).joined(separator: "\n"), width: 45 + 4 * k, lineEnd: lineEnd) + lineEnd
      } else {
        let item = choice[k - 8]
        let question = item.parts.first { $0.name == "question" }!.text
        let options = item.parts.first { $0.name == "choices" }!.text.components(separatedBy: "\n")
        planted.append(("arc", k - 8, lineNumber()))
        text += wrap(question, width: 60, lineEnd: lineEnd) + lineEnd + lineEnd
        text += options.enumerated().map { "\(["A", "B", "C", "D", "E"][$0]). \($1)" }.joined(separator: lineEnd) + lineEnd
      }
      text += chunks[17 + 8 * k].replacingOccurrences(of: "\n", with: lineEnd) + lineEnd + lineEnd
    }
    let path = try fixture.write("book.txt", Data(text.utf8))
    let cert = fixture.url("c.json").path
    let arguments = ["--fail-on", "never", "--benchmark", "gsm8k=\(gsm8k)", "--benchmark", "arc=\(arc)"]
    let run = try Tool.execute(contam, ["scan", "--out", cert] + arguments + [path])
    #expect(run.status == 0, "\(run.stderr)")
    let certificate = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
    #expect(certificate.parameters.reader.plainText == .pieces)
    let gsm8kItems = certificate.items.filter { $0.benchmark == "gsm8k" }
    let arcItems = certificate.items.filter { $0.benchmark == "arc" }
    for p in planted {
      let item = (p.benchmark == "gsm8k" ? gsm8kItems : arcItems)[p.index]
      #expect(item.verdict == .contaminated, "\(p.benchmark) \(p.index + 1): \(item.verdict) coverage \(item.coverage)")
      #expect(item.evidence.first?.line == p.line, "\(p.benchmark) \(p.index + 1): evidence names the line the copy starts on")
      if p.benchmark == "gsm8k" {
        #expect(item.nearDuplicate?.evidence.first?.answer?.agreement == .same, "the answer is read after the copy")
      }
    }
    #expect(gsm8kItems[8...].allSatisfy { $0.verdict == .clean || $0.verdict == .tooShort })
    #expect(arcItems[8...].allSatisfy { $0.verdict == .clean || $0.verdict == .tooShort })
    let verified = try Tool.execute(contam, ["verify", "--full", "--corpus", fixture.directory.path, "--corpus", TestData.packageRoot.path, cert])
    #expect(verified.status == 0 && verified.stdout.contains("evidence locations confirmed"), "\(verified.stdout)\(verified.stderr)")
    // A line a document (`--format lines`), each read alone: an n-gram never spans two
    // wrapped lines. (Read together, the default, the exact pass joins them again.)
    let joined = try Tool.execute(contam, ["scan", "--format", "lines", "--out", cert] + arguments + [path])
    #expect(joined.status == 0, "\(joined.stderr)")
    #expect(try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
      .items.filter { $0.verdict == .contaminated }.count == 16)
    let byLine = try Tool.execute(contam, ["scan", "--format", "lines", "--documents-apart", "--out", cert] + arguments + [path])
    #expect(byLine.status == 0, "\(byLine.stderr)")
    let lines = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
    #expect(lines.items.filter { $0.verdict == .contaminated }.count < 8)
    // That is weaker than the default, and said so: at the scan, and by verify, which fails it
    // unless the reader accepts it.
    #expect(byLine.stderr.contains("weaker than the defaults") && byLine.stderr.contains("plain text was read a line a document"))
    let weak = try Tool.execute(contam, ["verify", "--corpus", fixture.directory.path, "--corpus", TestData.packageRoot.path, cert])
    #expect(weak.status == 1 && weak.stdout.contains("plain text was read a line a document"), "\(weak.stdout)")
    let accepted = try Tool.execute(
      contam, ["verify", "--accept-weaker-parameters", "--corpus", fixture.directory.path, "--corpus", TestData.packageRoot.path, cert])
    #expect(accepted.status == 0, "\(accepted.stdout)")
  }

  /// A skipped line of plain text (binary data inside it) is one of the file's lines, not one of
  /// its few pieces: one such line in a 60 KB book made it "33% skipped" and refused the run.
  /// Blank JSONL lines do not dilute what was skipped.
  @Test func aSkippedLineIsWeighedAgainstTheLinesReadNotThePieces() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let gsm8k = ["--fail-on", "never", "--benchmark", "gsm8k=\(TestData.path("benchmarks/gsm8k/test.jsonl"))"]
    let lines = try TestData.gutenberg("1342-0.txt.gz", bytes: 120_000).components(separatedBy: "\r\n")
    // Binary lines: gzip output with its line breaks made NULs (what a member compressed twice holds).
    let binary = try Tool.run("gzip", ["-c"], input: Data(lines.joined(separator: " ").utf8)).prefix(3000).map { $0 == 0x0A ? 0 : $0 }
    func book(binaryAfter: (Int) -> Bool) -> Data {
      var out = Data()
      for (k, line) in lines.enumerated() {
        out += Data((line + "\r\n").utf8)
        if binaryAfter(k) { out += Data(binary) + Data("\r\n".utf8) }
      }
      return out
    }
    let one = try fixture.write("one.txt", book { $0 == 5 })
    let run = try Tool.execute(contam, ["scan"] + gsm8k + [one])
    #expect(run.status == 0 && run.stderr.contains("one.txt:7: unsupported"), "\(run.stderr)")
    // After the first 64 KiB (which would refuse the file as binary), every other line.
    let many = try fixture.write("many.txt", book { $0 > lines.count / 2 && $0 % 2 == 0 })
    let refused = try Tool.execute(contam, ["scan"] + gsm8k + [many])
    #expect(refused.status == 3 && refused.stderr.contains("of its records were skipped"), "\(refused.stderr)")
    // JSONL: 100 records read, 100 not JSON, 5,000 blank lines: half skipped, refused.
    var jsonl = try ShardFixture.paragraphsJSONL(count: 100).jsonl
    jsonl += Data(String(repeating: "{not json\n", count: 100).utf8) + Data(String(repeating: "\n", count: 5000).utf8)
    let padded = try fixture.write("padded.jsonl", jsonl)
    let gated = try Tool.execute(contam, ["scan"] + gsm8k + [padded])
    #expect(gated.status == 3 && gated.stderr.contains("50.0% of its records were skipped"), "\(gated.stderr)")
  }

  @Test func certificatesWithoutPlainTextReadPlainTextALineADocumentAsTheyWereMade() throws {
    // Made before session 17: the reader parameters have no `plainText`.
    let old = try JSONDecoder().decode(ReaderParameters.self, from: Data(#"{"format":"auto","textField":"text","maxLineBytes":67108864}"#.utf8))
    #expect(old.plainText == nil)
    #expect(try old.options().autoTextPieces == false)
    #expect(old.summary.contains("a document per line"))
    // Verified today, such a certificate names it as weaker than the defaults.
    var configuration = ScanConfiguration()
    configuration.reader = old
    #expect(configuration.weakenings().contains { $0.contains("plain text was read a line a document (as before session 17)") })
    #expect(ScanConfiguration().weakenings().isEmpty)
    let new = ReaderParameters()
    #expect(try new.options().autoTextPieces == true)
    let encoded = String(decoding: try JSONEncoder().encode(new), as: UTF8.self)
    #expect(encoded.contains(#""plainText":"pieces""#))
    #expect(try JSONDecoder().decode(ReaderParameters.self, from: Data(encoded.utf8)) == new)
  }
}
