import Contam
import Foundation
import Testing
import _ContamTestSupport

/// Text an item shares with other items of its benchmark (ItemIndex, NearDuplicateIndex) is
/// shared context: a sibling's copy does not make an item partial, while its own copy is
/// still contaminated. Real items from the fixtures, planted in real prose.
@Suite("Shared context: siblings in a test set")
struct SharedContextTests {
  func load(_ preset: String, _ relative: String) throws -> [BenchmarkItem] {
    try BenchmarkLoader.load(name: preset, path: TestData.path(relative), format: BenchmarkFormat.presets[preset]!)
  }

  func scan(_ items: [BenchmarkItem], plants: [Int: String]) throws -> (items: [ItemResult], shards: [CorpusStatistics.ShardFigures]) {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "a.jsonl.gz", plants: plants)
    let options = ShardReaderOptions(format: .jsonl(textField: try FieldPath("text"), idField: try FieldPath("id")))
    return try Scanner(items: items, configuration: ScanConfiguration(), readerOptions: options).scan(paths: [path], jobs: 1)
  }

  /// An item as a web page shows it: question, labelled options, the answer's letter.
  func page(_ item: BenchmarkItem) -> String {
    let choices = item.parts.first { $0.name == "choices" }.map { $0.text.split(separator: "\n").map(String.init) } ?? []
    let options = choices.enumerated().map { "\(["A", "B", "C", "D", "E"][$0.offset]). \($0.element)" }
    return ([item.parts[0].text] + options + ["Answer: A"]).joined(separator: "\n")
  }

  @Test func moralScenariosSiblingsOfAPlantedItemStayClean() throws {
    // MMLU moral scenarios share their preamble (boilerplate: more than 10 items) and their
    // options block, which with the end of the second scenario makes 13-grams a few items share.
    let items = Array(try load("mmlu", "benchmarks/mmlu/test/moral_scenarios_test.csv").prefix(60))
    let planted = Array(stride(from: 1, to: 60, by: 3))
    let result = try scan(items, plants: Dictionary(uniqueKeysWithValues: planted.map { ($0 + 1, page(items[$0])) }))
    for k in planted { #expect(result.items[k].verdict == .contaminated, "planted \(k): \(result.items[k].coverage)") }
    let siblings = result.items.indices.filter { !planted.contains($0) }
    let flagged = siblings.filter { result.items[$0].verdict != .clean }
    #expect(flagged.isEmpty, "siblings flagged: \(flagged.map { "\($0) \(result.items[$0].verdict) \(result.items[$0].coverage)" })")
    #expect(result.items.contains { $0.sharedTokens > 0 }, "the options block is shared context")
  }

  @Test func aWinograndeTwinOfAPlantedSentenceStaysClean() throws {
    // Twins: the same sentence with one or two words changed, ids ending -1 and -2.
    let items = try load("winogrande", "benchmarks/winogrande/dev.jsonl")
    let ids = items.map(\.id)
    let pairs = ids.indices.compactMap { i -> (Int, Int)? in
      guard ids[i].hasSuffix("-1"), let j = ids.firstIndex(of: String(ids[i].dropLast()) + "2") else { return nil }
      return (i, j)
    }.prefix(12)
    #expect(pairs.count == 12)
    let plants = Dictionary(uniqueKeysWithValues: pairs.enumerated().map { ($0.offset * 4 + 3, ItemIndex.text(of: items[$0.element.0])) })
    let result = try scan(items, plants: plants)
    for (planted, twin) in pairs {
      #expect(result.items[planted].verdict == .contaminated, "\(ids[planted]): \(result.items[planted].coverage)")
      #expect(result.items[twin].verdict == .clean, "twin \(ids[twin]): \(result.items[twin].verdict) \(result.items[twin].coverage)")
    }
    // Long twins share n-grams away from the changed word; short ones share none.
    #expect(pairs.contains { result.items[$0.1].sharedTokens > 0 })
  }

  @Test func anItemDuplicatedInItsTestSetIsStillJudgedOnItsText() throws {
    // With no token of its own, an item keeps all its n-grams: a copy is contaminated.
    var items = Array(try ScannerTests.gsm8k(6))
    var copy = items[2]
    copy.id = "duplicate-of-2"
    items.append(copy)
    let result = try scan(items, plants: [7: ItemIndex.text(of: items[2])])
    #expect(result.items[2].verdict == .contaminated && result.items[6].verdict == .contaminated)
    #expect(result.items[2].sharedTokens == 0 && result.items[2].coverage == 1)
    for k in [0, 1, 3, 4, 5] { #expect(result.items[k].verdict == .clean) }
  }

  @Test func aSciQCopyWithoutItsSupportingPassageIsContaminated() throws {
    // The passage is context; question, choices and answer are the item.
    let items = Array(try load("sciq", "benchmarks/sciq/test.json").prefix(40))
    let targets = items.indices.filter { k in items[k].parts.contains { $0.name == "support" && $0.text.count > 300 } }.prefix(3)
    #expect(targets.count == 3)
    var plants: [Int: String] = [:]
    for (n, k) in targets.enumerated() {
      plants[n * 15 + 4] = items[k].parts.filter { $0.name != "support" }.map(\.text).joined(separator: "\n")
    }
    let result = try scan(items, plants: plants)
    for k in targets {
      let item = result.items[k]
      #expect(item.coverage < 0.8, "the passage is most of the item")
      #expect(item.verdict == .contaminated, "\(item.id): \(item.coverage) \(item.parts.map { "\($0.part) \($0.coverage)" })")
    }
  }
}
