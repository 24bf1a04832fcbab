import Contam
import Foundation
import Testing
import _ContamTestSupport

/// Parts apart (ItemIndex): an item of short parts, its first under `minimumTokens` tokens
/// (a TruthfulQA question and its best answer), copied with layout words between the parts.
@Suite("Parts apart: a short question and its answer with layout between them")
struct PartsApartTests {
  static let options = ShardReaderOptions(format: .jsonl(textField: try! FieldPath("text"), idField: try! FieldPath("id")))

  /// Exact evidence only, as the rule is an exact one.
  func scan(_ items: [BenchmarkItem], _ path: String, partsApart: Bool?) throws -> [ItemResult] {
    var configuration = ScanConfiguration()
    configuration.partsApart = partsApart
    configuration.near = nil
    return try Scanner(items: items, configuration: configuration, readerOptions: Self.options).scan(paths: [path], jobs: 2).items
  }

  /// TruthfulQA items whose question and best answer have 3 to 7 tokens each and 8 or more
  /// together: neither part is found alone, nor near the other by the anchored search.
  static func shortPairs() throws -> (items: [BenchmarkItem], chosen: [Int]) {
    let items = try BenchmarkLoader.load(
      name: "truthfulqa", path: TestData.path("benchmarks/truthfulqa/TruthfulQA.csv"), format: BenchmarkFormat.presets["truthfulqa"]!)
    let tokenizer = Tokenizer()
    let chosen = items.indices.filter { i in
      let parts = items[i].parts.map { tokenizer.tokens(of: $0.text).count }
      return parts.count == 2 && parts.allSatisfy { (3..<8).contains($0) } && parts[0] + parts[1] >= 8
    }
    return (items, chosen)
  }

  static func chatJSON(_ question: String, _ answer: String) throws -> String {
    let record = ["messages": [["role": "user", "content": question], ["role": "assistant", "content": answer]]]
    return String(decoding: try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]), as: UTF8.self)
  }

  @Test func aQuestionAndAnswerInChatOrPromptLayoutsAreContaminated() throws {
    let (items, chosen) = try Self.shortPairs()
    try #require(chosen.count >= 12, "\(chosen.count) items")
    let planted = Array(chosen.prefix(12))
    var plants: [Int: String] = [:]
    for (k, i) in planted.enumerated() {
      let (q, a) = (items[i].parts[0].text, items[i].parts[1].text)
      plants[2 * k + 1] = [try Self.chatJSON(q, a), "Question: \(q)\nAnswer: \(a)", "User: \(q)\nAssistant: \(a)"][k % 3]
    }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "chats.jsonl.gz", plants: plants, documents: 30)
    let results = try scan(items, path, partsApart: true)
    for i in planted {
      #expect(results[i].verdict == .contaminated, "\(items[i].id): \(results[i].verdict) coverage \(results[i].coverage)")
    }
    let others = Set(items.indices).subtracting(planted)
    #expect(others.filter { results[$0].verdict != .clean && results[$0].verdict != .tooShort }.isEmpty)
    // Before the rule (certificates without it) the layout words between the parts hid these
    // copies: no 8 tokens of the item stood together.
    let before = try scan(items, path, partsApart: nil)
    for i in planted { #expect(before[i].verdict == .clean, "\(items[i].id): \(before[i].verdict)") }
  }

  @Test func partsTooFarApartOrInAnotherOrderAreNotACopy() throws {
    let (items, chosen) = try Self.shortPairs()
    let planted = Array(chosen.prefix(6))
    var plants: [Int: String] = [:]
    for (k, i) in planted.enumerated() {
      let (q, a) = (items[i].parts[0].text, items[i].parts[1].text)
      // Six words between the parts (the rule allows four), or the answer first.
      plants[2 * k + 1] = k % 2 == 0 ? "\(q) and then she went on to say \(a)" : "\(a)\n\(q)"
    }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "apart.jsonl.gz", plants: plants, documents: 20)
    let results = try scan(items, path, partsApart: true)
    for i in planted {
      #expect(results[i].verdict != .contaminated, "\(items[i].id): \(results[i].verdict) coverage \(results[i].coverage)")
    }
  }
}
