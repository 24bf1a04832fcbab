import Contam
import Foundation
import Testing
import _ContamTestSupport

/// The Parquet reader on files written by pyarrow (scripts/make-parquet-fixtures.py): every
/// codec, encoding and page version gives the rows the same JSONL gives.
@Suite("Parquet shards written by pyarrow")
struct ParquetReaderTests {
  static let directory = TestData.packageRoot.appendingPathComponent("Tests/Fixtures/parquet").path
  static let variants = [
    "snappy-dictionary-v1", "snappy-plain-v2", "zstd-dictionary-v2", "gzip-plain-v1", "uncompressed-plain-v1",
    "delta-length-byte-array", "delta-byte-array", "large-string", "binary", "many-pages",
  ]

  /// (id, text) of every document of `path`, with the problems.
  func documents(_ path: String, text: String = "text") throws -> (docs: [(String?, String)], counts: ShardReadCounts) {
    let reader = ShardReader(options: ShardReaderOptions(format: .auto(textField: try FieldPath(text), idField: try FieldPath("id"))))
    var docs: [(String?, String)] = []
    let counts = try reader.read(path: path) { docs.append(($0.id, $0.textString)) } onProblem: { _ in }
    return (docs, counts)
  }

  @Test(arguments: variants)
  func everyVariantGivesTheRowsOfTheSameJSONL(_ name: String) throws {
    let (expected, _) = try documents(Self.directory + "/same.jsonl.zst")
    let (got, counts) = try documents(Self.directory + "/\(name).parquet")
    #expect(expected.count == 104)
    #expect(got.map(\.0) == expected.map(\.0) && got.map(\.1) == expected.map(\.1), "\(name)")
    #expect(counts.codec == .parquet && counts.lines == 120)
    #expect(counts.problems == [.missingField: 16], "every 7th row's text is null: \(counts.problems)")
    // A document's line is its row number: row 4 is the first null.
    let reader = ShardReader(options: ShardReaderOptions(format: .auto(textField: .text, idField: nil)))
    var lines: [Int] = []
    _ = try reader.read(path: Self.directory + "/\(name).parquet") { lines.append($0.line) } onProblem: { _ in }
    #expect(lines.prefix(4) == [1, 2, 3, 5])
  }

  /// An id column of numbers (INT64, INT32 dictionary-coded) names each document by its
  /// decimal value, as the same rows' JSONL does; it used to fail the row group ("not text").
  @Test(arguments: ["i64", "i32", "delta"])
  func anIdColumnOfNumbersNamesTheDocuments(_ idColumn: String) throws {
    let types = TestData.packageRoot.appendingPathComponent("Tests/Fixtures/benchmarks-hf").path
    func read(_ path: String) throws -> (docs: [(String?, String)], counts: ShardReadCounts) {
      let reader = ShardReader(options: ShardReaderOptions(format: .auto(textField: try FieldPath("q"), idField: try FieldPath(idColumn))))
      var docs: [(String?, String)] = []
      let counts = try reader.read(path: path) { docs.append(($0.id, $0.textString)) } onProblem: { _ in }
      return (docs, counts)
    }
    let (parquet, counts) = try read(types + "/types.parquet")
    let (jsonl, _) = try read(types + "/types.jsonl")
    #expect(parquet.count == 40 && counts.problems.isEmpty, "\(counts.problems)")
    #expect(parquet.map(\.0) == jsonl.map(\.0) && parquet.map(\.1) == jsonl.map(\.1))
    #expect(parquet.allSatisfy { $0.0.flatMap { Int($0) } != nil })
  }

  /// Chat records whose `messages` is a list of {role, content} structs (the column
  /// `messages.list.element.content`), read through `messages[].content`: every row's turns,
  /// joined, as the same records in JSONL give them. Rows without text (no turns, a null list,
  /// only an empty content) are `empty_text`; a null content inside a row is left out.
  @Test(arguments: ["chat-snappy-dictionary-v1", "chat-zstd-plain-v2"])
  func chatRecordsReadThroughTheirTurnsAsInJSONL(_ name: String) throws {
    let (expected, jsonl) = try documents(Self.directory + "/chat.jsonl.zst", text: "messages[].content")
    let (got, counts) = try documents(Self.directory + "/\(name).parquet", text: "messages[].content")
    #expect(expected.count == 57 && jsonl.problems == [.emptyText: 2, .fieldNotString: 1], "\(jsonl.problems)")
    #expect(got.map(\.0) == expected.map(\.0) && got.map(\.1) == expected.map(\.1), "\(name)")
    #expect(counts.lines == 60 && counts.problems == [.emptyText: 3], "\(counts.problems)")
    #expect(got.first { $0.0 == "chat-8" }?.1.hasPrefix("You are a helpful tutor.\nJanet’s ducks lay 16 eggs per day.") == true)
    // `messages[]` would join two columns (role and content): no one column fits, and the
    // message lists what the file has.
    let reader = ShardReader(options: ShardReaderOptions(format: .auto(textField: try FieldPath("messages[]"), idField: nil)))
    var problems: [ContamError] = []
    let both = try reader.read(path: Self.directory + "/\(name).parquet") { _ in } onProblem: { problems.append($0) }
    #expect(both.documents == 0 && problems.first?.code == .missingField)
    #expect(problems.first?.description.contains("messages.list.element.content") == true, "\(problems)")
  }

  /// An empty string is `empty_text`, not a document: a text column that is empty in most rows
  /// (the prose in another column) is what the scan refuses (`TrustTests`). The column with more
  /// text than the one read is named once (`unread_field`, from the footer's sizes); read
  /// through it, nothing is said.
  @Test func anEmptyTextIsReportedNotADocument() throws {
    var problems: [ContamError] = []
    let counts = try ShardReader(options: ShardReaderOptions()).read(path: Self.directory + "/empty-text.parquet") { _ in } onProblem: {
      problems.append($0)
    }
    #expect(counts.documents == 4 && counts.problems == [.emptyText: 16, .unreadField: 1], "\(counts.problems)")
    #expect(problems.first { $0.code == .unreadField }?.message.contains("column 'content' holds more text than 'text'") == true, "\(problems)")
    let (content, right) = try documents(Self.directory + "/empty-text.parquet", text: "content")
    #expect(content.count == 20 && right.problems.isEmpty)
  }

  /// Two columns named `text` (`twice.parquet`: titles, then the rows with three GSM8K questions):
  /// the footer's second column replaced the first by name, so the titles' metadata read the
  /// rows' chunk or the other way round, and a copy in one of them read clean. Refused, with
  /// every row counted.
  @Test func twoColumnsOfTheTextFieldsNameAreRefused() throws {
    var problems: [ContamError] = []
    var documents = 0
    let counts = try ShardReader(options: ShardReaderOptions()).read(path: Self.directory + "/twice.parquet") { _ in documents += 1 } onProblem: {
      problems.append($0)
    }
    #expect(documents == 0 && counts.lines == 120 && counts.problems == [.unsupported: 120], "\(counts.problems)")
    #expect(problems.first?.message.contains("the schema has two columns 'text'") == true, "\(problems)")
  }

  /// A binary column whose rows hold compressed text (`gzipped-rows.parquet`: three GSM8K
  /// questions gzip-compressed among rows of prose): those rows are `unsupported`, named by row,
  /// not read as bytes that match nothing; the prose rows (a binary column of text) are read.
  @Test func rowsOfCompressedBytesAreNamedNotRead() throws {
    let reader = ShardReader(options: ShardReaderOptions(format: .auto(textField: .text, idField: nil)))
    var lines: [Int] = []
    var problems: [ContamError] = []
    let counts = try reader.read(path: Self.directory + "/gzipped-rows.parquet") { lines.append($0.line) } onProblem: { problems.append($0) }
    #expect(problems.map(\.code) == [.unsupported, .unsupported, .unsupported] && problems.map(\.line) == [5, 15, 25], "\(problems)")
    #expect(problems.first?.message.contains("binary data") == true)
    #expect(lines == (1...30).filter { ![5, 15, 25].contains($0) } && counts.documents == 27 && counts.lines == 30)
  }

  @Test func aNestedColumnIsReadByItsDottedPathAndAMissingOneIsReported() throws {
    let (nested, counts) = try documents(Self.directory + "/delta-byte-array.parquet", text: "meta.content")
    let (plain, _) = try documents(Self.directory + "/delta-byte-array.parquet")
    #expect(nested.map(\.1) == plain.map(\.1) && counts.problems == [.missingField: 16])
    let (none, missing) = try documents(Self.directory + "/snappy-dictionary-v1.parquet", text: "content")
    #expect(none.isEmpty && missing.problems == [.missingField: 120])
  }

  @Test func damagedFilesAreErrorsNamingFileAndRowGroup() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let original = try Data(contentsOf: URL(fileURLWithPath: Self.directory + "/snappy-plain-v2.parquet"))
    var problems: [ContamError] = []
    func read(_ data: Data, _ name: String) throws -> ShardReadCounts {
      let path = try fixture.write(name, data)
      problems = []
      let reader = ShardReader(options: ShardReaderOptions(format: .auto(textField: .text, idField: nil)))
      return try reader.read(path: path) { _ in } onProblem: { problems.append($0) }
    }
    // Cut short: the footer is gone.
    _ = try read(original.prefix(original.count / 2), "cut.parquet")
    #expect(problems.first?.code == .corruptData && problems.first?.message.contains("no PAR1 magic at the end") == true)
    // A byte flipped in every page of the text column's second row group.
    var flipped = original
    let middle = original.count / 2
    for k in stride(from: middle - 2000, to: middle + 2000, by: 97) { flipped[k] ^= 0x5A }
    let counts = try read(flipped, "flipped.parquet")
    #expect(problems.contains { $0.code == .corruptData && $0.message.contains("row group") }, "\(problems)")
    #expect(counts.documents < 104)
    // Every row of a damaged group counts as skipped (one message per group): the rows read and
    // the rows lost add up to the file's, so the skipped-records gate weighs the loss as it is.
    // (The file's 16 rows with a null text are `missing_field`.)
    let lost = counts.problems[.corruptData, default: 0] + counts.problems[.missingField, default: 0]
    #expect(counts.documents + lost == counts.lines && counts.lines == 120, "\(counts)")
    #expect(counts.problems[.corruptData, default: 0] > problems.filter { $0.code == .corruptData }.count)
    // Footer bytes garbled: a clear error, no crash.
    var garbled = original
    let footerLength = Int(original[original.count - 8]) | Int(original[original.count - 7]) << 8
    for k in (original.count - 8 - footerLength)..<(original.count - 8) where k % 3 == 0 { garbled[k] = 0xFF }
    _ = try read(garbled, "garbled.parquet")
    #expect(problems.first?.code == .corruptData, "\(problems)")
  }
}

@Suite("One Parquet file on several jobs")
struct ParquetOnSeveralJobsTests {
  @Test(arguments: ["snappy-dictionary-v1", "many-pages", "delta-byte-array"])
  func oneFileOnSeveralJobsGivesTheResultOfOne(_ name: String) throws {
    let path = ParquetReaderTests.directory + "/\(name).parquet"
    let items = try BenchmarkLoader.load(name: "gsm8k", path: TestData.path("benchmarks/gsm8k/test.jsonl"), format: BenchmarkFormat.presets["gsm8k"]!)
    let scanner = try Scanner(
      items: Array(items.prefix(200)), configuration: ScanConfiguration(),
      readerOptions: ShardReaderOptions(format: .auto(textField: .text, idField: try FieldPath("id"))))
    let one = try scanner.scan(paths: [path], jobs: 1)
    #expect(one.items.prefix(3).filter { $0.verdict != .clean }.count == 3, "the planted questions")
    for jobs in [2, 3, 4] {
      let many = try scanner.scan(paths: [path], jobs: jobs)
      var a = one.shards
      var b = many.shards
      for k in a.indices { a[k].seconds = 0 }
      for k in b.indices { b[k].seconds = 0 }
      #expect(a == b, "\(name), \(jobs) jobs: one shard, the same figures and digest")
      #expect(many.items == one.items, "\(name), \(jobs) jobs")
    }
  }
}
