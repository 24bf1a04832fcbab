import Contam
import Foundation
import Testing
import _ContamTestSupport

/// Near a match of an item, its lines are looked for one by one (_ScanWorker anchored search):
/// the choices of a multiple-choice item copied in another order, an answer after a layout
/// word. Real ARC items from the fixtures, planted in real prose.
@Suite("Anchored search: an item's lines near its match")
struct AnchoredSegmentsTests {
  func arc(_ count: Int) throws -> [BenchmarkItem] {
    Array(
      try BenchmarkLoader.load(
        name: "arc", path: TestData.path("benchmarks/arc/ARC-Challenge-Test.jsonl"), format: BenchmarkFormat.presets["arc"]!
      ).prefix(count))
  }

  func scan(_ items: [BenchmarkItem], plants: [Int: String]) throws -> [ItemResult] {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "a.jsonl.gz", plants: plants, documents: 90)
    let options = ShardReaderOptions(format: .jsonl(textField: try FieldPath("text"), idField: try FieldPath("id")))
    return try Scanner(items: items, configuration: ScanConfiguration(), readerOptions: options).scan(paths: [path], jobs: 1).items
  }

  func choices(_ item: BenchmarkItem) -> [String] {
    item.parts.first { $0.name == "choices" }.map { $0.text.split(separator: "\n").map(String.init) } ?? []
  }

  @Test func choicesInAnotherOrderStillMakeTheCopyContaminated() throws {
    let items = try arc(60)
    var plants: [Int: String] = [:]
    for (k, item) in items.enumerated() {
      let reversed = choices(item).reversed().enumerated().map { "(\(["A", "B", "C", "D", "E"][$0.offset])) \($0.element)" }
      plants[k + 1] = ([item.parts[0].text] + reversed + ["Answer: (A)"]).joined(separator: "\n")
    }
    let results = try scan(items, plants: plants)
    let contaminated = results.filter { $0.verdict == .contaminated }.count
    #expect(contaminated * 100 >= 90 * items.count, "\(contaminated) of \(items.count) contaminated")
  }

  @Test func aChanceWordNearACopiedQuestionAddsNothing() throws {
    // The question copied, and one short choice (one or two tokens) a line below it: a line
    // under 3 tokens counts only when all the item's choices are found, so the coverage is the
    // question's alone, as with the question planted by itself.
    // (Not the first choice: in the item it follows the question, so n-grams across the two
    // would match.)
    let tokenizer = Tokenizer()
    func short(_ choice: String) -> Bool { tokenizer.tokens(of: choice).count <= 2 }
    let items = try arc(150).filter { item in choices(item).dropFirst().contains(where: short) }
    #expect(items.count >= 20)
    func plants(_ withChoice: Bool) -> [Int: String] {
      Dictionary(uniqueKeysWithValues: items.enumerated().map { k, item in
        let choice = choices(item).dropFirst().first(where: short)!
        // A sentence between, so no n-gram of the question's end reaches the choice.
        let between = "\nIt was a fine day, and the walk to the village was pleasant.\n"
        return (k + 1, item.parts[0].text + between + (withChoice ? choice : ""))
      })
    }
    let alone = try scan(items, plants: plants(false))
    let withChoice = try scan(items, plants: plants(true))
    for (a, b) in zip(alone, withChoice) { #expect(a.coverage == b.coverage, "\(a.id): \(a.coverage) vs \(b.coverage)") }
  }
}
