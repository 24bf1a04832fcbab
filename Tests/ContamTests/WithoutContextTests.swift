@_spi(Testing) import Contam
import Foundation
import Testing
import _ContamTestSupport

/// The item without its context (NearDuplicateConfiguration.withoutContext): a SciQ item is its
/// question and options, then a long supporting passage; a copy usually holds the question and
/// options alone. Searched as those parts together and judged as a whole item is, such a copy
/// with a few words changed is found; measured against the whole item (passage included) or
/// one part at a time, it is too small a share to count.
@Suite("Without context: a question and its options copied without their passage")
struct WithoutContextTests {
  static let options = ShardReaderOptions(format: .jsonl(textField: try! FieldPath("text"), idField: try! FieldPath("id")))

  func scan(_ items: [BenchmarkItem], _ path: String, withoutContext: Bool?) throws -> [ItemResult] {
    var configuration = ScanConfiguration()
    configuration.near?.withoutContext = withoutContext
    return try Scanner(items: items, configuration: configuration, readerOptions: Self.options).scan(paths: [path], jobs: 2).items
  }

  /// Real SciQ items with a passage of 40+ tokens, each copied as a quiz page gives it (the
  /// question, its four options lettered, the answer's letter), with two of the question's
  /// words changed: two letters swapped inside one, another dropped. As the preset maps them
  /// (the passage last) and as a mapping that puts the passage first (a reading test's
  /// `--fields passage=...,question=...,choices=...`) gives them.
  @Test(arguments: [false, true]) func aQuestionAndItsOptionsCopiedWithTyposWithoutThePassageAreFound(passageFirst: Bool) throws {
    var items = try BenchmarkLoader.load(
      name: "sciq", path: TestData.path("benchmarks/sciq/test.json"), format: BenchmarkFormat.presets["sciq"]!)
    if passageFirst {
      for i in items.indices where items[i].parts.count == 3 { items[i].parts = [items[i].parts[2], items[i].parts[0], items[i].parts[1]] }
    }
    let tokenizer = Tokenizer()
    var plants: [Int: String] = [:]
    var planted: [Int] = []
    for i in items.indices where planted.count < 14 {
      var parts = items[i].parts
      if passageFirst, parts.count == 3 { parts = [parts[1], parts[2], parts[0]] }
      guard parts.map(\.name) == ["question", "choices", "support"], tokenizer.tokens(of: parts[2].text).count >= 40 else { continue }
      var words = parts[0].text.split(separator: " ").map(String.init)
      // Two words of 5+ letters, not the first or last and not side by side.
      let plain = words.indices.filter { $0 > 0 && $0 < words.count - 1 && words[$0].count >= 5 && words[$0].allSatisfy(\.isLetter) }
      guard let first = plain.first, let second = plain.first(where: { $0 >= first + 2 }) else { continue }
      let c = Array(words[first])
      words[first] = String(c[0]) + String(c[2]) + String(c[1]) + String(c[3...])
      words.remove(at: second)
      let options = parts[1].text.split(separator: "\n").enumerated().map { "\(["A", "B", "C", "D"][$0.offset]). \($0.element)" }
      try #require(options.count == 4)
      plants[3 * planted.count + 2] = ([words.joined(separator: " ")] + options + ["Answer: D"]).joined(separator: "\n") + "\n\n"
      planted.append(i)
    }
    try #require(planted.count == 14)
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "quiz.jsonl.gz", plants: plants, documents: 50)
    let results = try scan(items, path, withoutContext: true)
    let found = planted.filter { results[$0].verdict != .clean && results[$0].verdict != .tooShort }
    #expect(
      found.count >= 12,
      "\(planted.filter { !found.contains($0) }.map { "\(items[$0].id) \(results[$0].verdict) \(String(describing: results[$0].nearDuplicate?.evidence.first))" })")
    // Found by the parts together, named as such, and with the answer stated the same.
    let byOwnParts = found.filter { results[$0].nearDuplicate?.evidence.first?.withoutContext == true }
    #expect(byOwnParts.count >= 8)
    for i in byOwnParts {
      let best = try #require(results[i].nearDuplicate?.evidence.first)
      #expect(best.part == "question+choices" && best.answer?.agreement == .same, "\(items[i].id): \(best)")
    }
    // Without the rule (certificates made before it) most of them read clean; no other item moves.
    let before = try scan(items, path, withoutContext: nil)
    #expect(planted.filter { before[$0].verdict == .clean }.count >= 6, "\(planted.map { before[$0].verdict })")
    #expect(before.allSatisfy { $0.nearDuplicate?.evidence.allSatisfy { $0.withoutContext == nil } ?? true })
    #expect(items.indices.filter { !planted.contains($0) }.allSatisfy { results[$0].verdict == before[$0].verdict })
  }

  /// The passage alone, copied whole (a textbook page SciQ's passages come from), is context:
  /// it names the item's passage as found, and the item without it has no copy there.
  @Test func thePassageAloneIsNoCopyOfTheItemWithoutIt() throws {
    let items = try BenchmarkLoader.load(
      name: "sciq", path: TestData.path("benchmarks/sciq/test.json"), format: BenchmarkFormat.presets["sciq"]!)
    let chosen = Array(items.indices.filter { items[$0].parts.count == 3 && items[$0].parts[2].text.count > 400 }.prefix(6))
    try #require(chosen.count == 6)
    var plants: [Int: String] = [:]
    for (k, i) in chosen.enumerated() { plants[3 * k + 1] = items[i].parts[2].text }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "passages.jsonl.gz", plants: plants, documents: 30)
    let results = try scan(items, path, withoutContext: true)
    for i in chosen {
      #expect(results[i].nearDuplicate?.evidence.contains { $0.withoutContext == true } != true, "\(items[i].id): \(results[i])")
    }
  }

  /// A copy of an item's passage alone (a textbook or Wikipedia page, which a web corpus holds
  /// without the test) leaves the item `partial`, exact or near: the test is its own parts
  /// (ScanConfiguration.contextAloneIsPartial). Real SciQ items with passages of 400+
  /// characters; without the rule (certificates made before it) the passage's share of the
  /// item's tokens made most of them `contaminated`. The same items with their question and
  /// options copied (no passage) stay `contaminated` under the rule.
  @Test func thePassageAloneLeavesTheItemPartial() throws {
    let items = try BenchmarkLoader.load(
      name: "sciq", path: TestData.path("benchmarks/sciq/test.json"), format: BenchmarkFormat.presets["sciq"]!)
    let chosen = Array(items.indices.filter { items[$0].parts.count == 3 && items[$0].parts[2].text.count > 400 }.prefix(6))
    try #require(chosen.count == 6)
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    var passages: [Int: String] = [:]
    var quizzes: [Int: String] = [:]
    for (k, i) in chosen.enumerated() {
      passages[3 * k + 1] = items[i].parts[2].text
      quizzes[3 * k + 1] = items[i].parts[0].text + "\n" + items[i].parts[1].text
    }
    func scan(_ plants: [Int: String], _ name: String, rule: Bool?) throws -> [ItemResult] {
      let path = try ScannerTests.shard(fixture, name, plants: plants, documents: 30)
      var configuration = ScanConfiguration()
      configuration.contextAloneIsPartial = rule
      return try Scanner(items: items, configuration: configuration, readerOptions: Self.options).scan(paths: [path], jobs: 2).items
    }
    let results = try scan(passages, "passages.jsonl.gz", rule: true)
    #expect(chosen.allSatisfy { results[$0].verdict == .partial }, "\(chosen.map { results[$0].verdict })")
    #expect(chosen.allSatisfy { results[$0].coverage >= 0.5 && results[$0].parts[2].coverage == 1 })
    let before = try scan(passages, "passages-before.jsonl.gz", rule: nil)
    #expect(chosen.filter { before[$0].verdict == .contaminated }.count >= 3, "\(chosen.map { before[$0].verdict })")
    // No item without a passage found moves.
    #expect(items.indices.filter { !chosen.contains($0) }.allSatisfy { results[$0].verdict == before[$0].verdict })
    let copies = try scan(quizzes, "quizzes.jsonl.gz", rule: true)
    #expect(chosen.allSatisfy { copies[$0].verdict == .contaminated }, "\(chosen.map { copies[$0].verdict })")
  }

  /// A reading test mapped with a passage (`--fields question=question,passage=passage`, BoolQ's
  /// layout), on real prose: the passage alone is `partial`; the question with it, or alone
  /// (the test without its context), is `contaminated`.
  @Test func aReadingTestsPassageAloneIsPartialAndItsQuestionIsTheCopy() throws {
    let novel = try TestData.gutenberg("1342-0.txt.gz", bytes: 400_000)
    let paragraphs = novel.components(separatedBy: "\r\n\r\n").map { $0.replacingOccurrences(of: "\r\n", with: " ") }.filter { $0.count > 600 }
    try #require(paragraphs.count >= 12)
    let items = (0..<12).map { k in
      BenchmarkItem(
        benchmark: "reading", id: "r\(k)",
        parts: [
          .init(name: "question", text: "does the letter written by the \(k + 2)th guest arrive before the ball at netherfield"),
          .init(name: "passage", text: paragraphs[k]),
        ])
    }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let plants: [Int: String] = [
      2: items[0].parts[1].text, 5: items[1].parts[1].text,
      8: items[2].parts[1].text + "\n" + items[2].parts[0].text, 11: items[3].parts[0].text + "? yes",
    ]
    let path = try ScannerTests.shard(fixture, "pages.jsonl.gz", plants: plants, documents: 20)
    let results = try Scanner(items: items, configuration: ScanConfiguration(), readerOptions: Self.options).scan(paths: [path], jobs: 2).items
    #expect(results.prefix(4).map(\.verdict) == [.partial, .partial, .contaminated, .contaminated], "\(results.prefix(4).map(\.verdict))")
    #expect(results[0].parts[1].coverage == 1 && results[0].parts[0].coverage == 0)
  }
}
