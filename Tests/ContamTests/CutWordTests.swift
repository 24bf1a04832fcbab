@_spi(Testing) import Contam
import Foundation
import Testing
import _ContamTestSupport

/// Copies wrapped at a fixed width with no regard for words (``ScanConfiguration/cutWords``):
/// `fold -w`, a terminal's capture, OCR lines, where a line break cuts a word in two
/// (`experi` / `mental`) and no line holds an n-gram whole.
@Suite("Cut words: a copy wrapped at a fixed width through its words")
struct CutWordTests {
  /// `text` with a line break after every `width` characters of a line, inside words or not
  /// (as `fold -w` does), lines ending with `ending`.
  static func folded(_ text: String, width: Int, ending: String = "\n") -> String {
    var out = ""
    var column = 0
    for character in text {
      if character == "\n" {
        out += ending
        column = 0
        continue
      }
      if column == width {
        out += ending
        column = 0
      }
      out.append(character)
      column += 1
    }
    return out
  }

  /// The items' results in the JSONL shard at `path`, with the default configuration as
  /// `configure` changes it.
  static func scan(_ items: [BenchmarkItem], _ path: String, _ configure: (inout ScanConfiguration) -> Void) throws -> [ItemResult] {
    var configuration = ScanConfiguration()
    configure(&configuration)
    let options = ShardReaderOptions(format: .jsonl(textField: try FieldPath("text"), idField: try FieldPath("id")))
    return try Scanner(items: items, configuration: configuration, readerOptions: options).scan(paths: [path], jobs: 2).items
  }

  func scan(_ items: [BenchmarkItem], _ path: String, cutWords: Bool?) throws -> [ItemResult] {
    try Self.scan(items, path) { $0.cutWords = cutWords }
  }

  /// 40 real items of five benchmarks folded at 37 to 61 columns (`\n` or `\r\n`) in a novel's
  /// text: read with the cut words joined, they are `contaminated`; without, most are not.
  @Test func aCopyFoldedThroughItsWordsIsContaminated() throws {
    let items = try RunTogetherTests.items()
    try #require(items.count >= 30, "\(items.count) fixture items of 20 tokens or more")
    var plants: [Int: String] = [:]
    var cuts = 0
    for i in items.indices {
      let copy = Self.folded(ItemIndex.text(of: items[i]), width: 37 + 3 * (i % 9), ending: i % 4 == 3 ? "\r\n" : "\n")
      cuts += copy.split(whereSeparator: \.isNewline).count
      plants[2 * i + 1] = copy
    }
    try #require(cuts >= 3 * items.count, "the copies are cut: \(cuts) lines")
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "folded.jsonl.gz", plants: plants, documents: 2 * items.count + 1)
    let joined = try scan(items, path, cutWords: true)
    let apart = try scan(items, path, cutWords: nil)
    let found = joined.filter { $0.verdict == .contaminated }
    #expect(found.count >= items.count - 2, "\(found.count) of \(items.count): \(joined.filter { $0.verdict != .contaminated }.map { "\($0.id) \($0.verdict) \($0.coverage)" })")
    #expect(apart.filter { $0.verdict == .contaminated }.count <= items.count / 2, "without the rule, most folded copies are not contaminated")
    // The evidence is the copy's bytes, line breaks and all.
    for result in found {
      let evidence = try #require(result.evidence.first)
      #expect(evidence.documentID.map { $0.hasPrefix("doc-") } == true)
      #expect(evidence.snippet.contains("\n"), "\(result.id): \(evidence.snippet)")
    }
  }

  /// A cut that leaves one letter on a line's end or start (`l` / `ength`, `wa` / `s`): a lone
  /// letter is no token (it reads as an option label), so the joined word replaces one token.
  /// Every fourth word of 5+ letters is cut after its first letter or before its last, in turn.
  @Test func aCutThatLeavesALoneLetterIsJoinedToo() throws {
    let items = try RunTogetherTests.items()
    var plants: [Int: String] = [:]
    for i in items.indices {
      var cut = 0
      let words = ItemIndex.text(of: items[i]).split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
        guard word.count >= 5, word.allSatisfy({ $0.isASCII && $0.isLetter }) else { return String(word) }
        cut += 1
        guard cut % 4 == 0 else { return String(word) }
        return cut % 8 == 0 ? "\(word.prefix(1))\n\(word.dropFirst())" : "\(word.dropLast())\n\(word.suffix(1))"
      }
      plants[2 * i + 1] = words.joined(separator: " ")
    }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "lone.jsonl.gz", plants: plants, documents: 2 * items.count + 1)
    let joined = try scan(items, path, cutWords: true)
    let apart = try scan(items, path, cutWords: nil)
    // Only copies whose cuts decide: without the rule they are not contaminated.
    let decided = items.indices.filter { apart[$0].verdict != .contaminated }
    try #require(decided.count >= 10, "\(decided.count) copies whose lone-letter cuts break every n-gram run enough")
    let found = decided.filter { joined[$0].verdict == .contaminated }
    #expect(found.count >= decided.count - 1, "\(found.count) of \(decided.count): \(decided.filter { joined[$0].verdict != .contaminated }.map { "\(items[$0].id) \(joined[$0].coverage)" })")
  }

  /// The same items wrapped at spaces (`fold -s`, every word whole, a line break for a space):
  /// the rule changes nothing.
  @Test func wordsWrappedWholeReadAsBefore() throws {
    let items = try RunTogetherTests.items()
    var plants: [Int: String] = [:]
    for i in items.indices {
      var lines: [String] = []
      var line = ""
      for word in ItemIndex.text(of: items[i]).split(separator: " ", omittingEmptySubsequences: false) {
        if !line.isEmpty && line.count + word.count >= 40 {
          lines.append(line)
          line = ""
        }
        line += line.isEmpty ? String(word) : " " + word
      }
      lines.append(line)
      plants[2 * i + 1] = lines.joined(separator: "\n")
    }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "wrapped.jsonl.gz", plants: plants, documents: 2 * items.count + 1)
    #expect(try scan(items, path, cutWords: true) == (try scan(items, path, cutWords: nil)))
  }
}

/// Words cut by a single space (``ScanConfiguration/spacedWords``): OCR and PDF text that splits
/// words (`experi mental`), a capital set apart from its word at a sentence's start (`T he`).
@Suite("Spaced words: a copy with spaces inside its words")
struct SpacedWordTests {
  func scan(_ items: [BenchmarkItem], _ path: String, spacedWords: Bool?) throws -> [ItemResult] {
    try CutWordTests.scan(items, path) { $0.spacedWords = spacedWords }
  }

  /// 40 real items of five benchmarks, one word in four of 5+ letters split by a space (at a
  /// place that varies), and every sentence's first capital set apart from its word: with the
  /// rule most are `contaminated`, without it most are not, and no item's coverage is lower.
  @Test func aCopyWithSpacesInsideItsWordsIsContaminated() throws {
    let items = try RunTogetherTests.items()
    try #require(items.count >= 30)
    var plants: [Int: String] = [:]
    var splits = 0
    for (i, item) in items.enumerated() {
      var k = 0
      let words = ItemIndex.text(of: item).split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
        guard word.count >= 5, word.allSatisfy(\.isLetter) else { return String(word) }
        k += 1
        guard (k + i) % 4 == 0 else { return String(word) }
        splits += 1
        let cut = 1 + (k + i) % (word.count - 1)
        return String(word.prefix(cut)) + " " + String(word.dropFirst(cut))
      }
      let sentences = words.joined(separator: " ").replacingOccurrences(
        of: #"(^|[.?!] )([B-HJ-Z])([a-z])"#, with: "$1$2 $3", options: .regularExpression)
      plants[2 * i + 1] = sentences
    }
    try #require(splits >= 2 * items.count, "\(splits) words split")
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "spaced.jsonl.gz", plants: plants, documents: 2 * items.count + 1)
    let joined = try scan(items, path, spacedWords: true)
    let apart = try scan(items, path, spacedWords: nil)
    let found = joined.filter { $0.verdict == .contaminated }
    #expect(found.count >= items.count * 9 / 10, "\(joined.filter { $0.verdict != .contaminated }.map { "\($0.id) \($0.verdict) \($0.coverage)" })")
    #expect(apart.filter { $0.verdict == .contaminated }.count <= found.count - 8, "without the rule fewer are contaminated")
    #expect(zip(joined, apart).allSatisfy { $0.coverage >= $1.coverage })
    var older = ScanConfiguration()
    older.spacedWords = nil
    #expect(older.weakenings().contains { $0.contains("words cut by a space were not joined") })
  }

  /// A word after `a` or `I` is not joined to it (`a part` is no `apart`), nor are two words of
  /// the items' (`can not`); and a space's join never costs a copy folded through its words
  /// what the line breaks' joins find (`Mark's car … radia\ntor`: `s car` joins as `scar`, an
  /// item's word, within an n-gram of `radiator`).
  @Test func joinsAtSpacesNeverLoseWhatTheLineBreaksFind() throws {
    let items = try RunTogetherTests.items()
    var plants: [Int: String] = [:]
    for i in items.indices {
      plants[2 * i + 1] = CutWordTests.folded(ItemIndex.text(of: items[i]), width: 37 + 3 * (i % 9))
    }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "folded.jsonl.gz", plants: plants, documents: 2 * items.count + 1)
    let joined = try scan(items, path, spacedWords: true)
    let apart = try scan(items, path, spacedWords: nil)
    #expect(zip(joined, apart).allSatisfy { $0.coverage >= $1.coverage && $0.verdict == $1.verdict })
    // Whole copies: nothing is joined, nothing moves.
    var whole: [Int: String] = [:]
    for i in items.indices { whole[2 * i + 1] = "It was a part of it. " + ItemIndex.text(of: items[i]) + " I can not say." }
    let wholePath = try ScannerTests.shard(fixture, "whole.jsonl.gz", plants: whole, documents: 2 * items.count + 1)
    #expect(try scan(items, wholePath, spacedWords: true) == scan(items, wholePath, spacedWords: nil))
  }
}

/// Words written twice in a row (``ScanConfiguration/repeatedWords``): speech transcripts and
/// OCR double words (`the the`), and so does text made to dodge a check.
@Suite("Repeated words: a copy with words doubled every few words")
struct RepeatedWordTests {
  func scan(_ items: [BenchmarkItem], _ path: String, repeatedWords: Bool?) throws -> [ItemResult] {
    try CutWordTests.scan(items, path) { $0.repeatedWords = repeatedWords }
  }

  /// 40 real items of five benchmarks with one word in eight (from the fourth, at a place that
  /// varies) written twice: no 13 of a copy's tokens are the item's in a row, so without the
  /// rule few are `contaminated`; read once, nearly all are, and no coverage is lower.
  @Test func aCopyWithWordsDoubledIsContaminated() throws {
    let items = try RunTogetherTests.items()
    try #require(items.count >= 30)
    var plants: [Int: String] = [:]
    for (i, item) in items.enumerated() {
      let words = ItemIndex.text(of: item).split(separator: " ", omittingEmptySubsequences: false).map(String.init)
      plants[2 * i + 1] = words.enumerated().map { k, word in (k + i) % 8 == 3 ? word + " " + word : word }.joined(separator: " ")
    }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "doubled.jsonl.gz", plants: plants, documents: 2 * items.count + 1)
    let once = try scan(items, path, repeatedWords: true)
    let twice = try scan(items, path, repeatedWords: nil)
    let found = once.filter { $0.verdict == .contaminated }
    #expect(found.count >= items.count * 9 / 10, "\(once.filter { $0.verdict != .contaminated }.map { "\($0.id) \($0.verdict) \($0.coverage)" })")
    #expect(twice.filter { $0.verdict == .contaminated }.count <= found.count - 10, "without the rule fewer are contaminated")
    #expect(zip(once, twice).allSatisfy { $0.coverage >= $1.coverage })
    // Copies as written (an item's own doubled words among them) read the same either way.
    var whole: [Int: String] = [:]
    for i in items.indices { whole[2 * i + 1] = "It was very very late. " + ItemIndex.text(of: items[i]) }
    let wholePath = try ScannerTests.shard(fixture, "whole.jsonl.gz", plants: whole, documents: 2 * items.count + 1)
    let asWritten = (try scan(items, wholePath, repeatedWords: true), try scan(items, wholePath, repeatedWords: nil))
    #expect(zip(asWritten.0, asWritten.1).allSatisfy { $0.verdict == $1.verdict && $0.coverage == $1.coverage })
    var older = ScanConfiguration()
    older.repeatedWords = nil
    #expect(older.weakenings().contains { $0.contains("repeated words were not read once") })
  }
}
