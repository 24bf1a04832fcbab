import Contam
import Foundation
import Testing
import _ContamTestSupport

/// Plain text is read a paragraph a document (`--format auto` and `paragraphs`): hard-wrapped
/// text has lines of 8 to 12 words, too few for a 13-gram, so read a line at a time, an item
/// copied into a book, a mail or a README matched nothing and read clean.
@Suite("Plain text, a paragraph a document")
struct PlainTextParagraphTests {
  let contam = TestData.contamExecutable

  /// Every document with where it starts.
  func documents(_ path: String, _ options: ShardReaderOptions) throws -> (docs: [(line: Int, offset: Int, text: [UInt8])], counts: ShardReadCounts) {
    var docs: [(line: Int, offset: Int, text: [UInt8])] = []
    let counts = try ShardReader(options: options).read(path: path) { docs.append(($0.line, $0.lineOffset, Array($0.text))) } onProblem: { _ in }
    return (docs, counts)
  }

  /// The paragraphs of `bytes` worked out line by line: runs of lines that are not blank, their
  /// bytes as the file holds them (CRs kept, the last line's CR dropped), with first line and offset.
  func expectedParagraphs(_ bytes: [UInt8]) -> [(line: Int, offset: Int, text: [UInt8])] {
    var out: [(line: Int, offset: Int, text: [UInt8])] = []
    var current: (line: Int, offset: Int, text: [UInt8])?
    var start = 0
    var number = 0
    while start < bytes.count {
      let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
      number += 1
      let line = Array(bytes[start..<end])
      let blank = line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0C }
      if blank {
        if let c = current { out.append(c) }
        current = nil
      } else if current == nil {
        current = (number, start, line)
      } else {
        current!.text += [0x0A] + line
      }
      start = end + 1
    }
    if let c = current { out.append(c) }
    return out.map { p in (p.line, p.offset, p.text.last == 0x0D ? Array(p.text.dropLast()) : p.text) }
  }

  @Test func aHardWrappedBookIsReadAParagraphADocumentWithItsBytesAndLines() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    // Pride and Prejudice as Gutenberg ships it: CRLF, wrapped at 70 columns. A line of spaces
    // and a line with only a tab separate paragraphs too.
    var novel = try TestData.gutenberg("1342-0.txt.gz", bytes: 120_000)
    novel = novel.replacingOccurrences(of: "\r\n\r\nCHAPTER II", with: "\r\n   \r\nCHAPTER II")
    novel = novel.replacingOccurrences(of: "\r\n\r\nCHAPTER III", with: "\r\n\t\r\nCHAPTER III")
    let bytes = Array(novel.utf8)
    let path = try fixture.write("novel.txt", Data(bytes))
    let expected = expectedParagraphs(bytes)
    #expect(expected.count > 300)
    let read = try documents(path, ShardReaderOptions(format: .auto(textField: .text, idField: nil)))
    #expect(read.counts.problems.isEmpty)
    #expect(read.counts.documents == expected.count && read.docs.count == expected.count)
    #expect(read.docs.map(\.line) == expected.map(\.line), "a paragraph's line is its first line's")
    #expect(read.docs.map(\.offset) == expected.map(\.offset))
    #expect(read.docs.map(\.text) == expected.map(\.text), "the paragraph's bytes are the file's")
    for d in read.docs { #expect(Array(bytes[d.offset..<d.offset + d.text.count]) == d.text) }
    #expect(read.docs.contains { $0.text.count > 400 }, "wrapped lines are joined: \(read.docs.map(\.text.count).max() ?? 0)")
    // The same file a line a document, as auto read it before (and as `lines` reads it).
    var byLine = ShardReaderOptions(format: .auto(textField: .text, idField: nil))
    byLine.autoParagraphs = false
    let lines = try documents(path, byLine)
    let nonBlank = novel.split(separator: "\r\n", omittingEmptySubsequences: false).filter { !$0.allSatisfy(\.isWhitespace) }
    #expect(lines.docs.count == nonBlank.count && lines.docs.count > 3 * expected.count)
    #expect(try documents(path, ShardReaderOptions(format: .lines)).docs.count == nonBlank.count)
    #expect(try documents(path, ShardReaderOptions(format: .paragraphs)).docs.map(\.text) == expected.map(\.text))
  }

  @Test func longLinesWithoutABlankLineAreCutAtLineEndsIntoPiecesOfAboutAMebibyte() throws {
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
    let path = try fixture.write("one-per-line.txt", Data((lines.joined(separator: "\n") + "\n").utf8))
    let read = try documents(path, ShardReaderOptions(format: .auto(textField: .text, idField: nil)))
    #expect(read.counts.problems.isEmpty && read.counts.lines == lines.count)
    #expect(read.docs.count >= 3 && read.docs.count <= 5, "\(read.docs.count) pieces")
    let longest = lines.map(\.utf8.count).max()!
    #expect(read.docs.allSatisfy { $0.text.count <= ShardReaderOptions.paragraphBytes + longest })
    #expect(read.docs.dropLast().allSatisfy { $0.text.count >= ShardReaderOptions.paragraphBytes })
    // Cut at line ends: the pieces, a line break between, are the file, every line once.
    let joined = read.docs.map { String(decoding: $0.text, as: UTF8.self) }.joined(separator: "\n")
    #expect(joined == lines.joined(separator: "\n"))
    let firsts = read.docs.map(\.line)
    #expect(firsts.first == 1 && firsts == firsts.sorted())
    for d in read.docs { #expect(lines[d.line - 1].utf8.elementsEqual(d.text.prefix(lines[d.line - 1].utf8.count))) }
    // Under a smaller --max-line-bytes the pieces are cut at that size; a line longer than it
    // is skipped as ever, and the paragraph before it is handed on whole.
    var small = ShardReaderOptions(format: .paragraphs, maxLineBytes: 4096)
    small.policy = .skip
    let cut = try documents(path, small)
    let skipped = lines.filter { $0.utf8.count > 4096 }.count
    #expect(cut.counts.problems[.lineTooLong, default: 0] == skipped)
    #expect(cut.docs.allSatisfy { $0.text.count < 4096 + 4096 } && cut.docs.count > 3_500_000 / 8192)
    let kept = lines.filter { $0.utf8.count <= 4096 }.joined(separator: "\n")
    #expect(cut.docs.map { String(decoding: $0.text, as: UTF8.self) }.joined(separator: "\n") == kept)
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

  @Test func itemsCopiedIntoHardWrappedTextAreContaminatedAtTheirParagraphAndVerify() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let gsm8k = TestData.path("benchmarks/gsm8k/test.jsonl")
    let items = try BenchmarkLoader.load(name: "gsm8k", path: gsm8k, format: BenchmarkFormat.presets["gsm8k"]!)
    let novel = try TestData.gutenberg("155-0.txt.gz", bytes: 300_000).replacingOccurrences(of: "\r\n", with: "\n")
    let chunks = novel.components(separatedBy: "\n\n")
    // Eight items, question and worked solution, wrapped at 45 to 72 columns (LF and CRLF),
    // each between two paragraphs of the novel, the next paragraph right after its last line.
    var text = ""
    var planted: [Int] = []  // the line each item's paragraph starts at
    for k in 0..<8 {
      let lineEnd = k % 2 == 0 ? "\n" : "\r\n"
      text += chunks[10 + 12 * k ..< 20 + 12 * k].joined(separator: "\n\n").replacingOccurrences(of: "\n", with: lineEnd)
      text += lineEnd + lineEnd
      planted.append(text.filter { $0 == "\n" || $0 == "\r\n" }.count + 1)
      let item = items[k].parts.map(\.text).joined(separator: "\n")
      text += wrap(item, width: 45 + 4 * k, lineEnd: lineEnd) + lineEnd
      text += chunks[20 + 12 * k].replacingOccurrences(of: "\n", with: lineEnd) + lineEnd + lineEnd
    }
    let path = try fixture.write("book.txt", Data(text.utf8))
    let cert = fixture.url("c.json").path
    let run = try Tool.execute(contam, ["scan", "--fail-on", "never", "--out", cert, "--benchmark", "gsm8k=\(gsm8k)", path])
    #expect(run.status == 0, "\(run.stderr)")
    let certificate = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
    #expect(certificate.parameters.reader.plainText == .paragraphs)
    for k in 0..<8 {
      let item = certificate.items[k]
      #expect(item.verdict == .contaminated, "item \(k + 1): \(item.verdict) coverage \(item.coverage)")
      #expect(item.evidence.first?.line == planted[k], "item \(k + 1) at line \(planted[k])")
      #expect(item.nearDuplicate?.evidence.first?.answer?.agreement == .same, "the answer is read in the same paragraph")
    }
    #expect(certificate.items[8...].allSatisfy { $0.verdict == .clean || $0.verdict == .tooShort })
    let verified = try Tool.execute(contam, ["verify", "--full", "--corpus", fixture.directory.path, "--corpus", TestData.packageRoot.path, cert])
    #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
    // A line a document (`--format lines`): an n-gram never spans two wrapped lines, so the
    // copies are not found whole.
    let byLine = try Tool.execute(
      contam, ["scan", "--fail-on", "never", "--format", "lines", "--out", cert, "--benchmark", "gsm8k=\(gsm8k)", path])
    #expect(byLine.status == 0, "\(byLine.stderr)")
    let lines = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
    #expect(lines.items[0..<8].filter { $0.verdict == .contaminated }.count < 4)
  }

  @Test func certificatesWithoutPlainTextReadPlainTextALineADocumentAsTheyWereMade() throws {
    // Made before session 17: the reader parameters have no `plainText`.
    let old = try JSONDecoder().decode(ReaderParameters.self, from: Data(#"{"format":"auto","textField":"text","maxLineBytes":67108864}"#.utf8))
    #expect(old.plainText == nil)
    #expect(try old.options().autoParagraphs == false)
    #expect(old.summary.contains("a document per line"))
    let new = ReaderParameters()
    #expect(try new.options().autoParagraphs == true)
    let encoded = String(decoding: try JSONEncoder().encode(new), as: UTF8.self)
    #expect(encoded.contains(#""plainText":"paragraphs""#))
    #expect(try JSONDecoder().decode(ReaderParameters.self, from: Data(encoded.utf8)) == new)
  }
}
