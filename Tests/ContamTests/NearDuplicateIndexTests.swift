@_spi(Testing) import Contam
import Foundation
import Testing
import _ContamTestSupport

/// The near-duplicate index keeps one key array per item; a part target is a bit mask over its
/// item's keys. These tests hold the masks to the part's own text, tokenized on its own.
@Suite("Near-duplicate index: part targets as masks over their item's shingles")
struct NearDuplicateIndexTests {
  static func items() throws -> [BenchmarkItem] {
    var items: [BenchmarkItem] = []
    for (name, path) in [("gsm8k", "benchmarks/gsm8k/test.jsonl"), ("mmlu", "benchmarks/mmlu/test")] {
      items += try BenchmarkLoader.load(name: name, path: TestData.path(path), format: BenchmarkFormat.presets[name]!)
    }
    return items
  }

  @Test func everyPartTargetHoldsExactlyTheShinglesOfItsOwnText() throws {
    let items = try Self.items()
    let configuration = NearDuplicateConfiguration()
    // No boilerplate: a target's informative shingles are then all the distinct shingles of its text.
    let near = NearDuplicateIndex(
      TokenizedItems(items, version: .current), configuration: configuration, maximumItemsPerShingle: Int.max)
    var parts = 0
    for (target, (item, part)) in near.targets.enumerated() {
      guard let part else { continue }
      parts += 1
      let text = try #require(items[item].parts.first { $0.name == part }).text
      let expected = Array(Set(MinHasher.shingles(of: text, k: configuration.k))).sorted()
      #expect(near.informativeShingles(ofTarget: target) == expected, "item \(item) part \(part)")
      // The other parts' shingles are not this part's, though they are in the item's keys.
      let others = items[item].parts.filter { $0.name != part }.flatMap { MinHasher.shingles(of: $0.text, k: configuration.k) }
      let foreign = Set(others).subtracting(expected)
      #expect(near.intersection(ofTarget: target, with: expected + others + others).shared == expected.count)
      #expect(near.intersection(ofTarget: target, with: Array(foreign)).shared == 0, "item \(item) part \(part)")
    }
    #expect(parts > 1000, "GSM8K and MMLU items have several parts")
  }

  /// The text index keeps no key arrays: a whole target's keys are made from its item's tokens
  /// when asked for, and are exactly its distinct shingles less the boilerplate (those in more
  /// than `maximumItemsPerShingle` items), as many as the index counts; the math index, whose
  /// token streams are not kept, keeps its keys.
  @Test func textKeysAreMadeFromTheItemsTokensAsTheBuildMadeThem() throws {
    let items = try Self.items()
    let limit = 10
    let tokenized = TokenizedItems(items, version: .current)
    let near = NearDuplicateIndex(tokenized, configuration: .init(), maximumItemsPerShingle: limit)
    #expect(near.keptKeys == 0)
    let math = try #require(near.math)
    #expect(math.keptKeys > 0)
    let shingler = NGramHasher(n: NearDuplicateConfiguration().k)
    let distinct = tokenized.hashes.map { Set(shingler.hashes(of: $0)) }
    var holders: [UInt64: Int] = [:]
    for keys in distinct { for key in keys { holders[key, default: 0] += 1 } }
    var wholes = 0
    var withBoilerplate = 0
    for (target, (item, part)) in near.targets.enumerated() where part == nil {
      wholes += 1
      let expected = distinct[item].filter { holders[$0]! <= limit }.sorted()
      if expected.count < distinct[item].count { withBoilerplate += 1 }
      #expect(near.informativeShingles(ofTarget: target) == expected, "item \(item)")
      #expect(near.intersection(ofTarget: target, with: expected).shared == expected.count)
    }
    #expect(wholes > 1000 && withBoilerplate > 100, "\(wholes) whole targets, \(withBoilerplate) with boilerplate left out")
  }

  @Test func ownShinglesExcludeWhatSiblingsShare() throws {
    let items = try Self.items()
    let near = NearDuplicateIndex(TokenizedItems(items, version: .current), configuration: .init(), maximumItemsPerShingle: 40)
    // MMLU items of one subject share their options' wording now and then: those items have
    // own shingles, fewer than all, and a span of only the shared ones holds none of them.
    var checked: [(item: Int, shared: Set<UInt64>)] = []
    for (target, (item, _)) in near.targets.enumerated() where checked.count < 5 {
      let keys = near.informativeShingles(ofTarget: target)
      let all = near.intersection(ofTarget: target, with: keys)
      #expect(all.shared == keys.count)
      guard all.own > 0, all.own < keys.count else { continue }
      let mine = keys.filter { near.intersection(ofTarget: target, with: [$0]).own == 1 }
      #expect(mine.count == all.own)
      let shared = Set(keys).subtracting(mine)
      #expect(near.intersection(ofTarget: target, with: Array(shared)).own == 0, "item \(item)")
      checked.append((item, shared))
    }
    // Each shared key is in some other item of the benchmark.
    var holders: [UInt64: Set<Int>] = [:]
    let wanted = checked.reduce(into: Set<UInt64>()) { $0.formUnion($1.shared) }
    for (target, (item, part)) in near.targets.enumerated() where part == nil {
      for key in near.informativeShingles(ofTarget: target) where wanted.contains(key) { holders[key, default: []].insert(item) }
    }
    for (item, shared) in checked {
      #expect(shared.allSatisfy { holders[$0, default: []].subtracting([item]).contains { items[$0].benchmark == items[item].benchmark } })
    }
    #expect(!checked.isEmpty, "some items have shared shingles")
  }
}
