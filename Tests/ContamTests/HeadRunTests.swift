import Contam
import Foundation
import Testing
import _ContamTestSupport

/// Head runs (ItemIndex): the first half of a short question, where no 13-gram of the item
/// survives, is found by a run of at least `minimumTokens` tokens from the item's start.
@Suite("Head runs: the first half of a short item")
struct HeadRunTests {
  static let options = ShardReaderOptions(format: .jsonl(textField: try! FieldPath("text"), idField: try! FieldPath("id")))

  static func load(_ name: String, _ path: String) throws -> [BenchmarkItem] {
    try BenchmarkLoader.load(name: name, path: TestData.path(path), format: BenchmarkFormat.presets[name]!)
  }

  /// Exact evidence only: near duplicates judge short copies by rules of their own.
  func scan(_ items: [BenchmarkItem], _ path: String, headRuns: Bool?, pastOpening: Int? = 3, questionWithAnswer: Bool? = true) throws
    -> [ItemResult]
  {
    var configuration = ScanConfiguration()
    configuration.headRuns = headRuns
    configuration.questionWithAnswer = questionWithAnswer
    configuration.headRunPastOpening = pastOpening
    configuration.near = nil
    return try Scanner(items: items, configuration: configuration, readerOptions: Self.options).scan(paths: [path], jobs: 2).items
  }

  /// The words of an item's text up to (not past) its `count`-th token, as a prefix of the text.
  static func prefix(_ text: String, tokens count: Int) -> String {
    let tokens = Tokenizer().tokens(of: text)
    let end = tokens[min(count, tokens.count) - 1].end
    return String(decoding: Array(text.utf8)[..<end], as: UTF8.self)
  }

  @Test func theFirstHalfOfAShortMultipleChoiceItemIsPartial() throws {
    let items = try Self.load("arc", "benchmarks/arc/ARC-Challenge-Test.jsonl")
    let tokenizer = Tokenizer()
    // Items of 16 to 24 tokens: half of one holds no 13-gram, and at least 8 tokens.
    let chosen = items.indices.filter { (16..<25).contains(tokenizer.tokens(of: ItemIndex.text(of: items[$0])).count) }
    try #require(chosen.count >= 20)
    let planted = Array(chosen.prefix(10))
    var plants: [Int: String] = [:]
    for (k, i) in planted.enumerated() {
      let text = ItemIndex.text(of: items[i])
      plants[2 * k + 1] = Self.prefix(text, tokens: (tokenizer.tokens(of: text).count + 1) / 2)
    }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "halves.jsonl.gz", plants: plants, documents: 40)
    let results = try scan(items, path, headRuns: true)
    for i in planted {
      // A half that ends just after a correct first option holds the question and its answer
      // and nothing of the other options: the answer is stated (ItemIndex.givesCorrectOptionAlone).
      let text = ItemIndex.text(of: items[i])
      let half = (tokenizer.tokens(of: text).count + 1) / 2
      let question = tokenizer.tokens(of: items[i].parts[0].text).count
      let lines = items[i].parts.first { $0.name == BenchmarkItem.choicesPartName }!.text.split(separator: "\n")
      let answered = lines.first == Substring(items[i].answer!.value) && half == question + tokenizer.tokens(of: String(lines[0])).count
      #expect(results[i].verdict == (answered ? .contaminated : .partial), "\(items[i].id): \(results[i].verdict) coverage \(results[i].coverage)")
      #expect((results[i].evidence.first?.answer?.agreement == .same) == answered, "\(items[i].id)")
      #expect(results[i].coverage >= 0.4 && results[i].coverage < 0.8, "\(items[i].id): coverage \(results[i].coverage)")
    }
    let others = Set(items.indices).subtracting(planted)
    #expect(others.filter { results[$0].verdict != .clean && results[$0].verdict != .tooShort }.isEmpty)
    // Without the rule (certificates made before it, and before the question-with-answer rule,
    // which finds a half that holds the question and a correct first option) the halves are not
    // found.
    let before = try scan(items, path, headRuns: nil, questionWithAnswer: nil)
    #expect(planted.filter { before[$0].verdict != .clean }.count <= 2, "the halves hold no 13-gram")
  }

  @Test func aRunShorterThanTheMinimumOrAHeadTwinsShareIsNotEvidence() throws {
    let items = try Self.load("winogrande", "benchmarks/winogrande/dev.jsonl")
    let tokenizer = Tokenizer()
    // Items of 13 to 25 tokens (a head is kept for them); twins: two whose sentences start
    // with the same 8 tokens (they differ in one word).
    // Chosen in the items' order (a dictionary's order changes from run to run). A single's
    // opening shared with any other item is at most 5 tokens, so a run of 8 goes 3 past it.
    var byHead: [[UInt64]: [Int]] = [:]
    var byOpening: [[UInt64]: Int] = [:]
    for i in items.indices {
      let hashes = tokenizer.tokens(of: ItemIndex.text(of: items[i])).map(\.hash)
      byOpening[Array(hashes.prefix(6)), default: 0] += 1
      if (13..<26).contains(hashes.count) { byHead[Array(hashes.prefix(8)), default: []].append(i) }
    }
    let heads = byHead.values.sorted { $0[0] < $1[0] }
    let twins = heads.filter { $0.count == 2 }.prefix(5)
    let single = heads.filter {
      $0.count == 1 && byOpening[Array(tokenizer.tokens(of: ItemIndex.text(of: items[$0[0]])).map(\.hash).prefix(6))] == 1
    }.map { $0[0] }
    try #require(twins.count >= 3 && single.count >= 3)
    var plants: [Int: String] = [:]
    for (k, pair) in twins.enumerated() { plants[2 * k + 1] = Self.prefix(ItemIndex.text(of: items[pair[0]]), tokens: 11) }
    // One token short of the run a head needs.
    let short = Array(single.prefix(3))
    for (k, i) in short.enumerated() { plants[2 * k + 20] = Self.prefix(ItemIndex.text(of: items[i]), tokens: 7) }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "twins.jsonl.gz", plants: plants, documents: 40)
    let results = try scan(items, path, headRuns: true)
    for i in twins.flatMap({ $0 }) + short {
      #expect(results[i].verdict == .clean, "\(items[i].id): \(results[i].verdict) coverage \(results[i].coverage)")
    }
    // The same single items' heads one token longer are found.
    var found: [Int: String] = [:]
    for (k, i) in short.enumerated() { found[2 * k + 20] = Self.prefix(ItemIndex.text(of: items[i]), tokens: 8) }
    let longer = try ScannerTests.shard(fixture, "heads.jsonl.gz", plants: found, documents: 40)
    let again = try scan(items, longer, headRuns: true)
    for i in short { #expect(again[i].verdict == .partial, "\(items[i].id): \(again[i].verdict)") }
  }

  @Test func aHeadOfTheBenchmarksCommonWordsOnlyIsNotEvidence() throws {
    let items = try Self.load("math-perturb", "benchmarks/math_perturb/math_perturb_simple.jsonl")
    let tokenizer = Tokenizer()
    // A template opening of MATH problems: every word of it is in dozens of the items.
    let opening = items.indices.filter {
      items[$0].parts[0].text.hasPrefix("Let $a,$ $b,$ and $c$ be positive real numbers.")
        && (13..<26).contains(tokenizer.tokens(of: ItemIndex.text(of: items[$0])).count)
    }
    try #require(!opening.isEmpty)
    var plants: [Int: String] = [:]
    for (k, i) in opening.enumerated() { plants[2 * k + 1] = Self.prefix(ItemIndex.text(of: items[i]), tokens: 11) }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "openings.jsonl.gz", plants: plants, documents: 20)
    let results = try scan(items, path, headRuns: true)
    for i in opening { #expect(results[i].verdict == .clean, "\(items[i].id): \(results[i].verdict) coverage \(results[i].coverage)") }
  }

  /// A head run must go 3 tokens past the longest opening its item shares with another item of
  /// its benchmark: "Which of the following is the strongest argument" is 6 tokens of a
  /// template MMLU questions share and 2 of this item, and a page that opens the same way is
  /// not half of this item. Past the opening, the item's half is still found.
  @Test func aHeadRunMustGoPastTheOpeningItSharesWithOtherItems() throws {
    let items = try Self.load("mmlu", "benchmarks/mmlu/test")
    let tokenizer = Tokenizer()
    let hashes = items.map { tokenizer.tokens(of: ItemIndex.text(of: $0)).map(\.hash) }
    // Items of 16 to 25 tokens with a question of at least 12, whose longest opening shared
    // with another item is 6 or 7 tokens: 8 tokens of them hold 1 or 2 of the item's own.
    func common(_ a: [UInt64], _ b: [UInt64]) -> Int { zip(a, b).prefix { $0 == $1 }.count }
    let candidates = items.indices.filter {
      (16...25).contains(hashes[$0].count) && items[$0].parts.count == 2
        && tokenizer.tokens(of: items[$0].parts[0].text).count >= 12
    }
    var templated: [Int] = []
    for i in candidates {
      let shared = items.indices.filter { $0 != i }.map { common(hashes[i], hashes[$0]) }.max() ?? 0
      if (6...7).contains(shared) { templated.append(i) }
    }
    try #require(templated.count >= 4, "\(templated.count)")
    let chosen = Array(templated.prefix(6))
    var plants: [Int: String] = [:]
    for (k, i) in chosen.enumerated() {
      // The item's first 8 tokens, then other words: the opening and 1 or 2 tokens of its own.
      plants[2 * k + 1] = Self.prefix(ItemIndex.text(of: items[i]), tokens: 8) + " lorem ipsum dolor sit amet consectetur"
    }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "openings.jsonl.gz", plants: plants, documents: 20)
    let results = try scan(items, path, headRuns: true)
    for i in chosen { #expect(results[i].verdict == .clean, "\(items[i].id): \(results[i].verdict) coverage \(results[i].coverage)") }
    // Without the rule, those 8 tokens were a head run.
    let before = try scan(items, path, headRuns: true, pastOpening: nil)
    #expect(chosen.filter { before[$0].verdict == .partial }.count >= 3, "\(chosen.map { before[$0].verdict })")
    // The first 11 tokens of each (past the opening by 4 or more) are found.
    var halves: [Int: String] = [:]
    for (k, i) in chosen.enumerated() { halves[2 * k + 1] = Self.prefix(ItemIndex.text(of: items[i]), tokens: 11) }
    let longer = try ScannerTests.shard(fixture, "halves.jsonl.gz", plants: halves, documents: 20)
    let again = try scan(items, longer, headRuns: true)
    #expect(chosen.filter { again[$0].verdict == .partial }.count >= 3, "\(chosen.map { again[$0].verdict })")
  }
}
