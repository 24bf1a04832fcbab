@_spi(Testing) import Contam
import Foundation
import Testing
import _ContamTestSupport

/// Arrow IPC shards (a Hugging Face `datasets` cache, `save_to_disk`, `pyarrow.ipc`): every row's
/// text as written, in both forms, with 32- and 64-bit offsets, nulls and empty strings, ZSTD
/// buffers; LZ4 and dictionary-encoded text refused by name with their rows counted; damaged and
/// cut files named, never read as text or as fewer rows in silence. Fixtures: `Tests/Fixtures/arrow`,
/// made by `scripts/make-arrow-fixtures.py` from the committed Gutenberg and GSM8K fixtures.
@Suite("Arrow IPC shards")
struct ArrowReaderTests {
  static let directory = TestData.packageRoot.appendingPathComponent("Tests/Fixtures/arrow").path

  /// The rows the fixture script writes: paragraphs of the novel, GSM8K items 1-3 after rows 5, 17 and 33.
  static func expectedTexts() throws -> [String] {
    let book = try TestData.gutenberg(bytes: 700_000)
    // Universal newlines, as Python reads the book.
    var texts = book.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n").map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
      .filter { $0.split(separator: " ").count >= 40 }.prefix(40).map { $0 }
    let items = try String(contentsOfFile: TestData.path("benchmarks/gsm8k/test.jsonl"), encoding: .utf8).split(separator: "\n").prefix(3)
      .map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String]) }
    for (row, item) in zip([5, 17, 33], items) { texts[row] += "\n\n" + item["question"]! + "\n" + item["answer"]! }
    return texts
  }

  static func read(_ name: String, text: String = "text", id: String? = "id") throws -> ReadResult {
    try readAll(
      directory + "/" + name,
      options: ShardReaderOptions(format: .auto(textField: try FieldPath(text), idField: try id.map { try FieldPath($0) })))
  }

  @Test(arguments: ["stream.arrow", "zstd.arrow"])
  func everyRowIsReadAsWritten(_ name: String) throws {
    let expected = try Self.expectedTexts()
    let result = try Self.read(name)
    #expect(result.problems.isEmpty, "\(result.problems)")
    #expect(result.counts.codec == .arrow && result.counts.lines == 40 && result.counts.documents == 40)
    #expect(result.documents.map(\.text) == expected)
    #expect(result.documents.map(\.line) == Array(1...40))
    #expect(result.documents.map(\.id) == (0..<40).map { String(format: "row-%02d", $0) })
    // The file is hashed whole, as any shard is.
    #expect(result.counts.sha256 == (try Tool.run("sha256sum", [Self.directory + "/" + name])).prefix(64).map { String(UnicodeScalar($0)) }.joined())
  }

  /// The file form (`ARROW1`), `large_string` columns: row 10 null and row 11 empty are named, the
  /// rest read; the text inside a struct (`meta.content`) and an id column of numbers read too.
  @Test func theFileFormWithLargeStringsNullsAndEmptyText() throws {
    var expected = try Self.expectedTexts()
    let result = try Self.read("file-large.arrow")
    #expect(result.counts.lines == 40 && result.counts.documents == 38)
    #expect(result.problems.map(\.code) == [.missingField, .emptyText] && result.problems.map(\.line) == [10, 11])
    expected[9] = ""
    expected[10] = ""
    #expect(result.documents.map(\.text) == expected.filter { !$0.isEmpty })
    #expect(!result.documents.contains { $0.line == 10 || $0.line == 11 })
    let nested = try Self.read("stream.arrow", text: "meta.content", id: "n")
    #expect(nested.documents.map(\.text) == (try Self.expectedTexts()) && nested.documents.map(\.id) == (0..<40).map { String($0) })
  }

  /// Chat records: the turns of `messages` (a list of {role, content} structs) read through
  /// `messages[].content`, and a list of strings through `texts[]`, each row's values joined by
  /// line breaks as in Parquet and JSONL; a null list is `missing_field`, a list without text
  /// `empty_text`; without `--text-field` the error names the path that reads them.
  @Test func chatTurnsAreReadThroughTheirList() throws {
    let paragraphs = try Self.expectedTexts()
    for field in ["messages[].content", "texts[]"] {
      let result = try Self.read("chat.arrow", text: field)
      #expect(result.counts.lines == 40 && result.counts.documents == 37, "\(field)")
      #expect(result.problems.map(\.code) == [.missingField, .emptyText, .emptyText] && result.problems.map(\.line) == [13, 14, 15])
      let read = Dictionary(uniqueKeysWithValues: result.documents.map { ($0.line, $0.text) })
      for row in 0..<40 where ![12, 13, 14].contains(row) {
        let text = try #require(read[row + 1], "row \(row + 1)")
        if [5, 17, 33].contains(row) {
          // The paragraph and the question a turn, the answer the next.
          #expect(text == paragraphs[row], "row \(row + 1)")
        } else {
          // The paragraph's two halves, one a turn.
          #expect(text.replacingOccurrences(of: "\n", with: " ") == paragraphs[row] && text.contains("\n"), "row \(row + 1)")
        }
      }
    }
    let unnamed = try Self.read("chat.arrow")
    #expect(unnamed.documents.isEmpty && unnamed.problems.first?.message.contains("--text-field 'messages[].content'") == true, "\(unnamed.problems)")
  }

  /// `text` a title and the page in `content`: read as asked, and said once (`unread_field`).
  @Test func moreTextInAnotherColumnIsSaid() throws {
    let result = try Self.read("titled.arrow")
    #expect(result.documents.count == 40 && result.documents.first?.text == "Part 1")
    #expect(result.problems.map(\.code) == [.unreadField] && result.problems[0].message.contains("--text-field 'content'"), "\(result.problems)")
  }

  /// What is not read is said, with every row counted, and nothing is called read.
  @Test func lz4DictionaryTextAndAMissingColumnAreRefusedWithTheirRows() throws {
    for (name, text, says) in [
      ("lz4.arrow", "text", "LZ4-compressed"), ("dictionary.arrow", "text", "column 'text' is dictionary-encoded"),
      ("stream.arrow", "body", "no column 'body' (the file has: id, text, n, meta)"),
      // Two columns named `text` (the planted items in the second): which one is meant is no guess.
      ("twice.arrow", "text", "the schema has two columns 'text'"),
    ] {
      let result = try Self.read(name, text: text)
      #expect(result.documents.isEmpty && result.counts.lines == 40, "\(name)")
      #expect(result.problems.count == 1 && result.problems[0].message.contains(says) && result.problems[0].message.contains("its 40 rows are skipped"), "\(result.problems)")
      let code: ContamError.Code = text == "body" ? .missingField : .unsupported
      #expect(result.counts.problems == [code: 40], "\(name): \(result.counts.problems)")
    }
  }

  /// A file cut anywhere, or with a byte of its metadata changed, never crashes and never reads as
  /// a whole file: the rows before the damage are read, the damage named, the shard marked cut short
  /// (its clean verdicts cover only part of it).
  @Test func cutAndDamagedFilesAreNamedAndMarkedCutShort() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let whole = try Data(contentsOf: URL(fileURLWithPath: Self.directory + "/stream.arrow"))
    let expected = try Self.expectedTexts()
    for cut in stride(from: 9, to: whole.count - 8, by: 997) {
      let path = try fixture.write("cut.arrow", whole.prefix(cut))
      let result = try readAll(path)
      #expect(result.counts.cutShort, "cut at \(cut)")
      #expect(result.problems.contains { $0.code == .corruptData }, "cut at \(cut)")
      #expect(result.documents.count < 40 && result.documents.map(\.text) == Array(expected.prefix(result.documents.count)), "cut at \(cut)")
    }
    // Every byte of the schema message and of the first batch's metadata, flipped in turn.
    for k in 8..<600 {
      var bytes = whole
      bytes[k] ^= 0x5A
      let result = try readAll(try fixture.write("flip.arrow", bytes))
      #expect(result.documents.count <= 40)
      if result.documents.count == 40 { #expect(result.problems.isEmpty || result.counts.cutShort) }
    }
    // The same through a list (chat turns): list offsets, list and struct validity, node counts.
    let chat = try Data(contentsOf: URL(fileURLWithPath: Self.directory + "/chat.arrow"))
    let options = ShardReaderOptions(format: .auto(textField: try FieldPath("messages[].content"), idField: nil))
    for k in 8..<900 {
      var bytes = chat
      bytes[k] ^= 0x5A
      let result = try readAll(try fixture.write("flip-chat.arrow", bytes), options: options)
      #expect(result.documents.count <= 40)
    }
  }

  /// A list's validity bitmap declared shorter than its rows need (`chat-short-validity.arrow`:
  /// 1 byte for 40 rows, one of them null) is a damaged file, never a read past the bitmap.
  @Test func aValidityBitmapShorterThanItsRowsIsDamage() throws {
    let result = try Self.read("chat-short-validity.arrow", text: "messages[].content")
    #expect(result.documents.isEmpty && result.counts.cutShort)
    #expect(result.problems.map(\.code) == [.corruptData] && result.problems[0].message.contains("the validity bitmap of 'messages' is too short"), "\(result.problems)")
  }

  /// Through the CLI: the planted items found at their rows, named by the id column, and the
  /// certificate verified by reading the file again.
  @Test func plantedItemsAreFoundAndVerified() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let cert = fixture.url("cert.json").path
    let gsm = "gsm8k=\(TestData.path("benchmarks/gsm8k/test.jsonl"))"
    let run = try Tool.execute(TestData.contamExecutable, ["scan", "--fail-on", "never", "--id-field", "id", "--benchmark", gsm, "--out", cert, Self.directory + "/stream.arrow"])
    #expect(run.status == 0, "\(run.stderr)")
    let certificate = try Certificate(contentsOfFile: cert)
    let flagged = certificate.items.filter { $0.verdict == .contaminated }
    #expect(flagged.map(\.id) == ["test/1", "test/2", "test/3"])
    #expect(flagged.map { $0.evidence.first?.line } == [6, 18, 34] && flagged.map { $0.evidence.first?.documentID } == ["row-05", "row-17", "row-33"])
    let verified = try Tool.execute(TestData.contamExecutable, ["verify", "--full", cert, "--corpus", TestData.packageRoot.path])
    #expect(verified.status == 0 && verified.stdout.contains("PASS"), "\(verified.stdout)")
  }
}
