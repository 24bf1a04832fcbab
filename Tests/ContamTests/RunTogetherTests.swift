@_spi(Testing) import Contam
import Foundation
import Testing
import _ContamTestSupport

/// Copies whose words run together (``ScanConfiguration/runTogether``): text from a PDF or an
/// OCR that lost its spaces (`Wheredoplantstakeinair?`).
@Suite("Run-together text: a copy without its spaces")
struct RunTogetherTests {
  /// Real items of five benchmarks, each long enough for an n-gram.
  static func items() throws -> [BenchmarkItem] {
    var items: [BenchmarkItem] = []
    for (name, path) in [
      ("gsm8k", "benchmarks/gsm8k/test.jsonl"), ("arc", "benchmarks/arc/ARC-Challenge-Test.jsonl"), ("mmlu", "benchmarks/mmlu/test"),
      ("truthfulqa", "benchmarks/truthfulqa/TruthfulQA.csv"), ("winogrande", "benchmarks/winogrande/dev.jsonl"),
    ] {
      let loaded = try HeadRunTests.load(name, path).filter { Tokenizer().tokens(of: ItemIndex.text(of: $0)).count >= 20 }
      items += loaded.prefix(8)
    }
    return items
  }

  static func spacesRemoved(_ text: String) -> String { text.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\t", with: "") }

  func scan(_ items: [BenchmarkItem], _ path: String, runTogether: Bool?, jobs: Int = 2) throws -> [ItemResult] {
    var configuration = ScanConfiguration()
    configuration.runTogether = runTogether
    let options = ShardReaderOptions(format: .jsonl(textField: try FieldPath("text"), idField: try FieldPath("id")))
    return try Scanner(items: items, configuration: configuration, readerOptions: options).scan(paths: [path], jobs: jobs).items
  }

  @Test func aCopyWithoutItsSpacesIsContaminated() throws {
    let items = try Self.items()
    try #require(items.count >= 30, "\(items.count) fixture items of 20 tokens or more")
    var plants: [Int: String] = [:]
    for i in items.indices { plants[2 * i + 1] = Self.spacesRemoved(ItemIndex.text(of: items[i])) }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "planted.jsonl.gz", plants: plants, documents: 2 * items.count + 1)
    let found = try scan(items, path, runTogether: true)
    let before = try scan(items, path, runTogether: nil)
    let contaminated = found.indices.filter { found[$0].verdict == .contaminated }
    #expect(contaminated.count == items.count, "\(contaminated.count) of \(items.count): \(found.filter { $0.verdict != .contaminated }.map(\.id))")
    #expect(before.filter { $0.verdict == .contaminated }.count <= items.count / 10, "without the rule, copies without spaces read clean")
    // The evidence is the copy: its bytes squeezed are a run of the item's squeezed text.
    let squeeze = { (text: String) in String(text.lowercased().unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }) }
    for i in contaminated {
      let evidence = try #require(found[i].evidence.first)
      #expect(evidence.snippet.count >= 20 && squeeze(ItemIndex.text(of: items[i])).contains(squeeze(evidence.snippet)), "\(items[i].id): \(evidence.snippet)")
    }
    // One worker or two: the index is made once, by whichever needs it first.
    #expect(try scan(items, path, runTogether: true, jobs: 1) == found)
    // In a labelled layout (`A.choice`), the labels the item has not are passed over: its
    // options are read with its question.
    let choices = items.indices.filter { i in
      items[i].parts.contains { $0.name == BenchmarkItem.choicesPartName && $0.text.split(separator: "\n").count >= 3 }
    }
    try #require(choices.count >= 10, "\(choices.count) multiple-choice items")
    var labelled: [Int: String] = [:]
    for (k, i) in choices.enumerated() {
      let lines = items[i].parts.flatMap { part in
        part.name == BenchmarkItem.choicesPartName
          ? part.text.split(separator: "\n").enumerated().map { "\(["A", "B", "C", "D", "E"][$0.offset % 5]).\($0.element)" }
          : [part.text]
      }
      labelled[2 * k + 1] = Self.spacesRemoved(lines.joined(separator: "\n"))
    }
    let labelledPath = try ScannerTests.shard(fixture, "labelled.jsonl.gz", plants: labelled, documents: 2 * choices.count + 1)
    let withLabels = try scan(items, labelledPath, runTogether: true)
    let missed = choices.filter { withLabels[$0].verdict != .contaminated }
    #expect(missed.count <= choices.count / 10, "labelled copies not contaminated: \(missed.map { items[$0].id })")
    var older = ScanConfiguration()
    older.runTogether = nil
    #expect(older.weakenings().contains { $0.contains("run-together text was not read") }, "\(older.weakenings())")
  }

  /// A copy that lost only some of its spaces (one in five, as a PDF's text may) or the marks
  /// inside its words (`dont`, `wellknown`) has few long tokens: its words written together
  /// (``RunTogetherIndex/merges``) start the search.
  @Test func aCopyWithSomeSpacesLostIsContaminated() throws {
    let items = try Self.items()
    var plants: [Int: String] = [:]
    for i in items.indices {
      var k = 0
      let text = ItemIndex.text(of: items[i]).split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
        k += 1
        return word + (k % 5 == 3 ? "" : " ")
      }.joined()
      plants[2 * i + 1] = i % 2 == 0 ? text : text.replacingOccurrences(of: "'", with: "").replacingOccurrences(of: "-", with: "")
    }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "planted.jsonl.gz", plants: plants, documents: 2 * items.count + 1)
    let found = try scan(items, path, runTogether: true)
    let before = try scan(items, path, runTogether: nil)
    let missed = found.indices.filter { found[$0].verdict != .contaminated }
    // A short item may have one pair of words written together, and the scan asks for two close
    // together (two of 40 here: `abstract_algebra/5`, `/8`).
    #expect(missed.count <= items.count / 10, "\(missed.count) of \(items.count) not contaminated: \(missed.map { items[$0].id })")
    #expect(before.filter { $0.verdict == .contaminated }.count <= items.count / 2, "without the rule most copies are not contaminated")
    #expect(try scan(items, path, runTogether: true, jobs: 1) == found)
  }

  /// A long copy whose words run together only in places (three short words joined every seven
  /// words, `willinflictpain`; two pairs joined near its end): the pairs open a window there,
  /// and the run grows from it over the whole copy, the window read again wider as far as the
  /// item goes (``ScanConfiguration/runTogetherWidens``). The exact pass finds little of it:
  /// no 13 of its tokens are the item's in a row.
  @Test func aRunGrowsPastTheWindowThatOpenedIt() throws {
    var items = try HeadRunTests.load("lambada", "benchmarks/lambada/lambada_test_plain_text.txt").prefix(60).filter {
      $0.parts.map(\.text).joined().split(separator: " ").count >= 50
    }
    items += try HeadRunTests.load("gsm8k", "benchmarks/gsm8k/test.jsonl").prefix(60).filter {
      $0.parts[0].text.split(separator: " ").count >= 50
    }
    try #require(items.count >= 20, "\(items.count) items of 50 words or more")
    var plants: [Int: String] = [:]
    for (k, item) in items.enumerated() {
      var words = ItemIndex.text(of: item).split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
      // Two pairs of words joined near the end (words of letters, 6 or more together), then
      // three joined every seven words before them (under the 16 bytes of a long token, which
      // opens a window itself).
      let plain = { (range: ClosedRange<Int>) in words[range].allSatisfy { $0.allSatisfy(\.isLetter) } }
      var pairs = 0
      var p = words.count - 3
      while pairs < 2 && p > words.count - 16 {
        if plain(p...p + 1) && words[p].count + words[p + 1].count >= 6 {
          words[p...p + 1] = [words[p] + words[p + 1]]
          pairs += 1
          p -= 3
        } else {
          p -= 1
        }
      }
      p = 3
      while p + 3 < words.count - 16 {
        if plain(p...p + 2) && words[p...p + 2].reduce(0, { $0 + $1.count }) < 16 { words[p...p + 2] = [words[p...p + 2].joined()] }
        p += 7
      }
      plants[2 * k + 1] = words.joined(separator: " ")
    }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "joined.jsonl.gz", plants: plants, documents: 2 * items.count + 1)
    let options = ShardReaderOptions(format: .jsonl(textField: try FieldPath("text"), idField: try FieldPath("id")))
    func scan(widens: Bool?) throws -> [ItemResult] {
      var configuration = ScanConfiguration()
      configuration.runTogetherWidens = widens
      return try Scanner(items: items, configuration: configuration, readerOptions: options).scan(paths: [path], jobs: 2).items
    }
    let found = try scan(widens: true)
    let fixed = try scan(widens: nil)
    let whole = found.filter { $0.verdict == .contaminated && $0.coverage >= 0.95 }
    #expect(whole.count >= items.count * 9 / 10, "\(found.filter { $0.coverage < 0.95 }.map { "\($0.id) \($0.coverage)" })")
    #expect(fixed.filter { $0.coverage >= 0.95 }.count <= items.count / 2, "fixed windows cover most copies in part only")
    #expect(zip(found, fixed).allSatisfy { $0.coverage >= $1.coverage })
    // The evidence is the whole copy: squeezed, most of the item's squeezed text.
    let squeeze = { (text: String) in text.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }.count }
    for (item, result) in zip(items, found) where result.coverage >= 0.95 {
      let longest = result.evidence.map { squeeze($0.snippet) }.max() ?? 0
      #expect(longest * 10 >= squeeze(ItemIndex.text(of: item)) * 9, "\(result.id): \(result.evidence.map(\.snippet))")
    }
    var older = ScanConfiguration()
    older.runTogetherWidens = nil
    #expect(older.weakenings().contains { $0.contains("run-together windows were fixed") })
  }

  /// The item's letters in order, but its words parted elsewhere (`Wheredoplantstak einair`):
  /// not the item's words, some joined, so not a copy the run-together search may claim (the
  /// squeezed text alone would match it whole).
  @Test func theSameLettersPartedElsewhereAreNotACopy() throws {
    let items = try Self.items()
    var plants: [Int: String] = [:]
    for i in items.indices {
      let squeezed = Array(Self.spacesRemoved(ItemIndex.text(of: items[i])))
      // Pieces of 7 characters, every fourth of 17 (a long token, so the text is searched).
      var pieces: [String] = []
      var at = 0
      while at < squeezed.count {
        let length = pieces.count % 4 == 0 ? 17 : 7
        pieces.append(String(squeezed[at..<min(at + length, squeezed.count)]))
        at += length
      }
      plants[2 * i + 1] = pieces.joined(separator: " ")
    }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "planted.jsonl.gz", plants: plants, documents: 2 * items.count + 1)
    let found = try scan(items, path, runTogether: true)
    let contaminated = found.filter { $0.verdict == .contaminated }.map(\.id)
    #expect(contaminated.isEmpty, "\(contaminated)")
  }

  /// A short multiple-choice item copied without its spaces in a labelled layout
  /// (`Whichisarenewableresource?\nA.oil\nB.coal`): the labels cut most of its windows, so its
  /// first window is an anchor too, and a label is passed over before an option shorter than the
  /// realignment check.
  @Test func aShortMultipleChoiceItemWithoutSpacesIsContaminated() throws {
    var items: [BenchmarkItem] = []
    for (name, path) in [("arc", "benchmarks/arc/ARC-Challenge-Test.jsonl"), ("mmlu", "benchmarks/mmlu/test")] {
      items += try HeadRunTests.load(name, path).filter { item in
        let count = Tokenizer().tokens(of: ItemIndex.text(of: item)).count
        let choices = item.parts.first { $0.name == BenchmarkItem.choicesPartName }?.text.split(separator: "\n") ?? []
        return count >= 9 && count < 13 && choices.count >= 3 && choices.contains { $0.count < 4 }
      }.prefix(10)
    }
    // And one whose question is its only stretch longer than an anchor (20 characters): without
    // its first window as an anchor it has none a copy keeps whole.
    items += try HeadRunTests.load("arc", "benchmarks/arc/ARC-Challenge-Test.jsonl").filter { $0.id == "Mercury_SC_401792" }
    try #require(items.count >= 7, "\(items.count) short multiple-choice items with a short option")
    var plants: [Int: String] = [:]
    for (k, item) in items.enumerated() {
      let lines = item.parts.flatMap { part in
        part.name == BenchmarkItem.choicesPartName
          ? part.text.split(separator: "\n").enumerated().map { "\(["A", "B", "C", "D", "E"][$0.offset % 5]).\($0.element)" }
          : [part.text]
      }
      plants[2 * k + 1] = Self.spacesRemoved(lines.joined(separator: "\n"))
    }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "planted.jsonl.gz", plants: plants, documents: 2 * items.count + 1)
    let found = try scan(items, path, runTogether: true)
    let missed = found.filter { $0.verdict != .contaminated }.map(\.id)
    // One of 7 (`abstract_algebra/17`, options of one or two digits) is missed.
    #expect(missed.count <= 1, "not contaminated: \(missed)")
  }

  /// The rule a run must meet, on squeezed characters' token classes (the token each is in, -1
  /// for none): the text parts only where the item parts, and joins at least one pair.
  @Test func aRunCountsOnlyWhereTheTextJoinsTheItemsWords() {
    func holds(_ text: [Int32], _ item: [Int32], skips: [Range<Int>] = [], characters: String = "abcdefgh") -> Bool {
      Array(characters.utf8).withUnsafeBufferPointer {
        RunTogetherIndex.partsOnlyWhereItemParts(text: text, $0, 0..<text.count, skipping: skips, item: item, from: 0)
      }
    }
    // Item words `ab cd ef gh`.
    let item: [Int32] = [0, 0, 1, 1, 2, 2, 3, 3]
    #expect(holds([5, 5, 5, 5, 6, 6, 7, 7], item), "ab and cd joined")
    #expect(!holds([5, 5, 6, 6, 7, 7, 8, 8], item), "the item's words, none joined: only marks can differ")
    #expect(!holds([5, 5, 5, 6, 6, 6, 7, 7], item), "a text word ends inside an item word")
    #expect(holds([5, 5, 5, 5, 6, 6, 6, 6], [0, 0, -1, -1, 1, 1, 2, 2]), "characters of the item in no token part from anything")
    // `e B.buil xy` against the item's `e buil xy` with `ui` `l` `xy`...: the run met the label
    // `b` as the option's first letter and skipped the option's own `b`; the text parts after
    // the label where the item does not, which is where the label could have been skipped.
    #expect(holds([5, 9, 6, 6, 6, 6, 6, 6], [0, 1, 1, 1, 1, 2, 2], skips: [2..<3], characters: "ebbuilxy"))
    #expect(!holds([5, 9, 9, 6, 6, 6, 6, 6], [0, 1, 1, 1, 1, 1, 2, 2], characters: "ebzuilxy"), "without a skip, no leeway")
  }

  /// The key of two words written together is the hash the tokenizer gives the written-together
  /// token.
  @Test func mergedWordsHashAsTheTokenizerDoes() {
    let text = "Plants take in air; don't forget well-known HEAT3 sources. Cannot, can not."
    var merged: [UInt64] = []
    text.utf8CString.withUnsafeBytes { bytes in
      RunTogetherIndex.mergedWords(UnsafeRawBufferPointer(rebasing: bytes.dropLast())) { merged.append($0) }
    }
    let hash = { (token: String) in Tokenizer().tokens(of: token).map(\.hash) }
    for pair in ["plantstake", "takein", "forgetwell", "tforget", "wellknown", "knownheat3", "heat3sources", "cannot"] {
      #expect(hash(pair).count == 1 && merged.contains(hash(pair)[0]), "\(pair)")
    }
    for pair in ["inair", "airdon", "sourcescannot", "dont"] {
      #expect(!merged.contains(hash(pair)[0]), "\(pair): under six characters, or apart by more than one mark")
    }
    #expect(merged.count == 8, "\(merged.count) pairs")
  }

  /// Text with long tokens of its own (hex digests, long words, a run-together paragraph of a
  /// novel) and items not in it: nothing is found; and copies with their spaces read as before.
  @Test func longTokensOfOtherTextFindNothingAndNormalCopiesAreUnchanged() throws {
    let items = try Self.items()
    let novel = try TestData.gutenberg("1342-0.txt.gz", bytes: 60_000)
    let paragraphs = novel.components(separatedBy: "\n\n").filter { $0.count > 300 }
    var plants: [Int: String] = [:]
    for k in 0..<12 {
      let digest = (0..<4).map { j in String(format: "%016llx", UInt64(k * 7 + j) &* 0x9E37_79B9_7F4A_7C15) }.joined()
      plants[2 * k + 1] = "sha256 \(digest) misunderstandingly disproportionately " + Self.spacesRemoved(paragraphs[k % paragraphs.count])
    }
    for (k, i) in items.indices.prefix(10).enumerated() { plants[2 * k + 30] = ItemIndex.text(of: items[i]) }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "planted.jsonl.gz", plants: plants, documents: 60)
    let with = try scan(items, path, runTogether: true)
    let without = try scan(items, path, runTogether: nil)
    #expect(with == without, "the rule changes nothing here: \(zip(with, without).filter { $0 != $1 }.map(\.0.id))")
    #expect(with.prefix(10).allSatisfy { $0.verdict == .contaminated } && with.dropFirst(10).allSatisfy { $0.verdict == .clean })
  }
}
