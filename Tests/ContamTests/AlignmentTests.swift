@_spi(Testing) import Contam
import Foundation
import Testing
import _ContamTestSupport

/// Alignment (NearDuplicateConfiguration.alignment): a short item copied with a few typos,
/// dropped or swapped words keeps nearly all its tokens in order, though it loses most of its
/// few shingles.
@Suite("Alignment: short items copied with a few words changed")
struct AlignmentTests {
  static let options = ShardReaderOptions(format: .jsonl(textField: try! FieldPath("text"), idField: try! FieldPath("id")))

  /// The near pass alone when `nearOnly`: exact matching finds some of these copies as
  /// `partial` by the n-gram runs the changes leave.
  func scan(_ items: [BenchmarkItem], _ path: String, alignment: Double?, nearOnly: Bool = false) throws -> [ItemResult] {
    var configuration = ScanConfiguration()
    configuration.near?.alignment = alignment
    configuration.exact = !nearOnly
    return try Scanner(items: items, configuration: configuration, readerOptions: Self.options).scan(paths: [path], jobs: 2).items
  }

  /// The longest common subsequence of `a` and `b`, by the textbook dynamic program.
  static func lcs(_ a: ArraySlice<UInt64>, _ b: ArraySlice<UInt64>) -> Int {
    var row = [Int](repeating: 0, count: b.count + 1)
    for x in a {
      var diagonal = 0
      for (j, y) in b.enumerated() {
        let above = row[j + 1]
        row[j + 1] = x == y ? diagonal + 1 : max(above, row[j])
        diagonal = above
      }
    }
    return row[b.count]
  }

  @Test func theBitParallelSearchAgreesWithTheDynamicProgramInEveryWindow() {
    var rng = SystemRandomNumberGenerator()
    for trial in 0..<300 {
      let alphabet = UInt64([2, 4, 8, 30][trial % 4])
      let n = Int.random(in: 1...64, using: &rng)
      let item = (0..<n).map { _ in UInt64.random(in: 1...alphabet, using: &rng) }
      var document = (0..<Int.random(in: 0...150, using: &rng)).map { _ in UInt64.random(in: 1...alphabet + 3, using: &rng) }
      if trial % 3 == 0, !document.isEmpty {
        // Half the time a noisy copy of the item inside.
        let at = Int.random(in: 0..<document.count, using: &rng)
        document.insert(contentsOf: item.filter { _ in Int.random(in: 0..<10, using: &rng) > 0 }, at: at)
      }
      let window = Int.random(in: 1...(n + n / 2 + 1), using: &rng)
      let found = NearDuplicateIndex.alignment(item: item, document: document, window: window)
      var expected = 0
      for start in document.indices { expected = max(expected, Self.lcs(item[...], document[start..<min(document.count, start + window)])) }
      #expect(found.matched == expected, "trial \(trial): n \(n), m \(document.count), window \(window)")
      if found.matched > 0 {
        // The window it names holds that many, and is no longer than asked.
        #expect(found.last - found.first < window)
        #expect(Self.lcs(item[...], document[found.first...found.last]) == found.matched)
      }
    }
  }

  /// ARC items of 20 to 26 tokens (too few shingles to survive three changes), each copied with
  /// three of its one-token words changed: two letters swapped inside a word, a word dropped,
  /// or two words swapped.
  @Test func shortItemsWithTyposDroppedOrSwappedWordsAreFound() throws {
    let items = try BenchmarkLoader.load(
      name: "arc", path: TestData.path("benchmarks/arc/ARC-Challenge-Test.jsonl"), format: BenchmarkFormat.presets["arc"]!)
    let tokenizer = Tokenizer()
    let chosen = items.indices.filter { (20...26).contains(tokenizer.tokens(of: ItemIndex.text(of: items[$0])).count) }
    try #require(chosen.count >= 20)
    var planted: [Int] = []
    var plants: [Int: String] = [:]
    for i in chosen where planted.count < 12 {
      var words = ItemIndex.text(of: items[i]).split(separator: " ").map(String.init)
      // Words of letters only, longer than 3, away from the ends, and the word after: each is one token.
      func plain(_ w: Int) -> Bool { w > 1 && w < words.count - 2 && words[w].count > 3 && words[w].allSatisfy(\.isLetter) }
      let plain = words.indices.filter { plain($0) && plain($0 + 1) }
      var edited: [Int] = []
      for w in plain where edited.count < 3 && w >= (edited.last ?? -2) + 2 { edited.append(w) }
      guard edited.count == 3 else { continue }
      let k = planted.count
      for (edit, w) in edited.enumerated() {
        switch (k + edit) % 3 {
        case 0:
          let c = Array(words[w])
          words[w] = String(c[0]) + String(c[2]) + String(c[1]) + String(c[3...])
        case 1: words[w] = ""
        default: words.swapAt(w, w + 1)
        }
      }
      plants[3 * k + 2] = words.filter { !$0.isEmpty }.joined(separator: " ")
      planted.append(i)
    }
    try #require(planted.count == 12)
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "noisy.jsonl.gz", plants: plants, documents: 40)
    let results = try scan(items, path, alignment: 0.85, nearOnly: true)
    // Every one flagged: where a part of the item is found whole beside it (its options) but is
    // too small to count, the aligned item is the document's finding.
    for i in planted {
      #expect(results[i].verdict != .clean, "\(items[i].id): \(String(describing: results[i].nearDuplicate?.evidence.first))")
    }
    // Found by their alignment (a part left whole may rank first where it holds more).
    let aligned = planted.filter { (results[$0].nearDuplicate?.evidence.first?.alignment ?? 0) >= 0.85 }
    #expect(aligned.count >= 6, "\(planted.map { String(describing: results[$0].nearDuplicate?.evidence.first) })")
    let others = Set(items.indices).subtracting(planted)
    #expect(others.filter { results[$0].verdict != .clean && results[$0].verdict != .tooShort }.isEmpty)
    // Without the rule (certificates made before it) most of them read clean.
    let before = try scan(items, path, alignment: nil, nearOnly: true)
    #expect(planted.filter { before[$0].verdict == .clean }.count >= 6)
    #expect(before.allSatisfy { $0.nearDuplicate?.evidence.allSatisfy { $0.alignment == nil } ?? true })
  }

  /// ARC items of 20 to 40 tokens copied whole, a word doubled every 6 words (an extraction's
  /// stutter; any inserted word does the same), and their answer stated: every doubled word
  /// breaks shingles, not the order, so the copy's alignment is 1 and its containment near 0.8.
  /// With ``NearDuplicateConfiguration/alignedContaminated`` such a copy is `contaminated`, as
  /// one at containment 0.95 is; without it (certificates made before) `partial`, which the
  /// default `--fail-on contaminated` passes.
  @Test func aShortItemCopiedWholeWithWordsInsertedIsContaminated() throws {
    let items = try BenchmarkLoader.load(
      name: "arc", path: TestData.path("benchmarks/arc/ARC-Challenge-Test.jsonl"), format: BenchmarkFormat.presets["arc"]!)
    let tokenizer = Tokenizer()
    let chosen = Array(
      items.indices.filter { items[$0].answer?.choice != nil && (20...40).contains(tokenizer.tokens(of: ItemIndex.text(of: items[$0])).count) }
        .prefix(12))
    try #require(chosen.count == 12)
    var plants: [Int: String] = [:]
    for (k, i) in chosen.enumerated() {
      let words = ItemIndex.text(of: items[i]).split(separator: " ", omittingEmptySubsequences: false)
      let stuttered = words.enumerated().map { w, word in w % 6 == 3 && word.allSatisfy(\.isLetter) ? "\(word) \(word)" : String(word) }
      plants[3 * k + 2] = stuttered.joined(separator: " ") + "\nAnswer: \(items[i].answer!.choice!)\n\n"
    }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "stutter.jsonl.gz", plants: plants, documents: 40)
    // The near rule alone: with repeatedWords the exact pass reads each doubled word once and
    // finds these copies whole (RepeatedWordTests).
    var configuration = ScanConfiguration()
    configuration.repeatedWords = nil
    let results = try Scanner(items: items, configuration: configuration, readerOptions: Self.options).scan(paths: [path], jobs: 2).items
    let contaminated = chosen.filter { results[$0].verdict == .contaminated }
    #expect(contaminated.count >= 10, "\(chosen.map { "\(items[$0].id) \(results[$0].verdict) \(String(describing: results[$0].nearDuplicate?.evidence.first))" })")
    configuration.near?.alignedContaminated = nil
    let before = try Scanner(items: items, configuration: configuration, readerOptions: Self.options).scan(paths: [path], jobs: 2).items
    // Those the rule made so were `partial`: the copy's containment is below 0.95, its alignment not.
    let upgraded = contaminated.filter { before[$0].verdict != .contaminated }
    #expect(upgraded.count >= 5, "\(upgraded.count) contaminated by their alignment")
    for i in upgraded {
      let best = try #require(results[i].nearDuplicate?.evidence.first)
      #expect(before[i].verdict == .partial && best.containment < 0.95 && (best.alignment ?? 0) >= 0.95, "\(items[i].id): \(before[i].verdict) \(best)")
    }
    // No other item moves: the rule upgrades a near copy, it finds none.
    #expect(items.indices.filter { !chosen.contains($0) }.allSatisfy { results[$0].verdict == before[$0].verdict })
  }

  /// What the alignment must not take for a copy: three short phrases of an item, and an
  /// item whose twin (the same sentence with one word changed) is the one copied.
  @Test func phrasesOfAnItemAndItsTwinsCopyAreNotNearCopies() throws {
    let items = try BenchmarkLoader.load(
      name: "winogrande", path: TestData.path("benchmarks/winogrande/dev.jsonl"), format: BenchmarkFormat.presets["winogrande"]!)
    let tokenizer = Tokenizer()
    // Twins: two items whose sentences start with the same 8 tokens.
    var byHead: [[UInt64]: [Int]] = [:]
    for i in items.indices {
      let hashes = tokenizer.tokens(of: ItemIndex.text(of: items[i])).map(\.hash)
      if (20...40).contains(hashes.count) { byHead[Array(hashes.prefix(8)), default: []].append(i) }
    }
    let twins = byHead.values.filter { $0.count == 2 }.sorted { $0[0] < $1[0] }.prefix(5)
    let single = byHead.values.filter { $0.count == 1 }.map { $0[0] }.sorted()
    try #require(twins.count >= 3 && single.count >= 5)
    var plants: [Int: String] = [:]
    for (k, pair) in twins.enumerated() { plants[2 * k + 1] = ItemIndex.text(of: items[pair[0]]) }
    // Three 4-word phrases of an item, in order, with gaps.
    let phrased = Array(single.prefix(5))
    for (k, i) in phrased.enumerated() {
      let words = ItemIndex.text(of: items[i]).split(separator: " ")
      let phrases = [0, words.count / 2 - 2, words.count - 4].map { words[max(0, $0)..<min(words.count, $0 + 4)].joined(separator: " ") }
      plants[2 * k + 20] = phrases.joined(separator: " ... ")
    }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "twins.jsonl.gz", plants: plants, documents: 40)
    let results = try scan(items, path, alignment: 0.85)
    for pair in twins {
      #expect(results[pair[0]].verdict == .contaminated, "\(items[pair[0]].id): \(results[pair[0]].verdict)")
      #expect(results[pair[1]].verdict == .clean, "twin \(items[pair[1]].id): \(results[pair[1]].verdict) \(String(describing: results[pair[1]].nearDuplicate))")
    }
    for i in phrased { #expect(results[i].verdict == .clean, "\(items[i].id): \(results[i].verdict)") }
  }
}
