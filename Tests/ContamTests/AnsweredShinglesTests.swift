@_spi(Testing) import Contam
import Foundation
import Testing
import _ContamTestSupport

/// NearDuplicateConfiguration.answeredShingles: a short question copied with its options and a
/// word dropped has no 13-gram left and too few shingles to count by itself; the answer the page
/// states through the copy's options decides.
@Suite("Short copies that state their answer")
struct AnsweredShinglesTests {
  static let letters = ["A", "B", "C", "D"]

  /// SciQ fixture items with a question of 7 to 14 words (their support passage is not copied).
  static func shortSciQ() throws -> [BenchmarkItem] {
    try BenchmarkLoader.load(name: "sciq", path: TestData.path("benchmarks/sciq/test.json"), format: BenchmarkFormat.presets["sciq"]!)
  }

  /// The item's question with its middle word dropped, its options labelled A. to D., then `answer`
  /// (`X` is the letter of option `pick`, `T` its text).
  static func copy(_ item: BenchmarkItem, answer: String, pick: (Int, Int) -> Int) -> String? {
    guard let value = item.answer?.value else { return nil }
    let options = item.parts[1].text.split(separator: "\n").map(String.init)
    guard options.count == 4, let correct = options.firstIndex(of: value) else { return nil }
    var words = item.parts[0].text.split(separator: " ").map(String.init)
    words.remove(at: words.count / 2)
    let chosen = pick(correct, options.count)
    let stated = answer.replacingOccurrences(of: "X", with: letters[chosen]).replacingOccurrences(of: "T", with: options[chosen])
    let listed = options.enumerated().map { "\(letters[$0.offset]). \($0.element)" }.joined(separator: "\n")
    return "\n\n" + words.joined(separator: " ") + "\n" + listed + (stated.isEmpty ? "" : "\n" + stated) + "\n\n"
  }

  func scan(_ items: [BenchmarkItem], _ path: String, answeredShingles: Int?) throws -> [ItemResult] {
    var configuration = ScanConfiguration()
    configuration.near?.answeredShingles = answeredShingles
    // These copies are SciQ items without their passage, which the item's own parts searched
    // together (`withoutContext`, WithoutContextTests) find too: this rule is measured alone.
    configuration.near?.withoutContext = nil
    let options = ShardReaderOptions(format: .jsonl(textField: try FieldPath("text"), idField: try FieldPath("id")))
    return try Scanner(items: items, configuration: configuration, readerOptions: options).scan(paths: [path], jobs: 2).items
  }

  @Test func aShortCopyStatingItsAnswerThroughItsOptionsIsFound() throws {
    let items = try Self.shortSciQ()
    let short = items.indices.filter { (7...14).contains(items[$0].parts[0].text.split(separator: " ").count) }
    var plants: [Int: String] = [:]
    var planted: [Int] = []
    for i in short where planted.count < 16 {
      // One copy in three states the right letter, its text, or the letter with its text.
      let style = ["Answer: X", "Answer: T", "Answer: X. T"][planted.count % 3]
      guard let copy = Self.copy(items[i], answer: style, pick: { correct, _ in correct }) else { continue }
      plants[2 * planted.count + 1] = copy
      planted.append(i)
    }
    try #require(planted.count == 16)
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "answered.jsonl.gz", plants: plants, documents: 40)
    let results = try scan(items, path, answeredShingles: 5)
    let before = try scan(items, path, answeredShingles: nil)
    // Without the rule (certificates made before it) several read clean: no 13-gram is left and
    // the near copy holds fewer shingles than a copy needs to count by itself.
    let gained = planted.filter { before[$0].verdict == .clean && results[$0].verdict != .clean }
    #expect(gained.count >= 3, "\(planted.map { "\(items[$0].id): \(before[$0].verdict) -> \(results[$0].verdict)" })")
    for i in gained {
      let best = try #require(results[i].nearDuplicate?.evidence.first)
      #expect(best.answer?.agreement == .same && best.answer?.distinctive == true, "\(items[i].id): \(best)")
      var unanswered = best
      unanswered.answer?.distinctive = nil
      let shingles = try #require(results[i].nearDuplicate?.shingles)
      #expect(!ScanConfiguration().near!.counts(unanswered, itemShingles: shingles), "\(items[i].id): found by its answer, not by its size")
    }
    // Only the planted items change; no other item is flagged.
    for i in items.indices where !planted.contains(i) { #expect(results[i].verdict == before[i].verdict, "\(items[i].id)") }
  }

  @Test func aLetterAloneOrAnotherAnswerDoesNotMakeAShortCopyCount() throws {
    let items = try Self.shortSciQ()
    let short = items.indices.filter { (7...14).contains(items[$0].parts[0].text.split(separator: " ").count) }
    var right: [Int: String] = [:]
    var wrong: [Int: String] = [:]
    var bare: [Int: String] = [:]
    var planted: [Int] = []
    for i in short where planted.count < 16 {
      guard let good = Self.copy(items[i], answer: "Answer: X", pick: { correct, _ in correct }),
        let other = Self.copy(items[i], answer: "Answer: X", pick: { correct, count in (correct + 1) % count })
      else { continue }
      let k = 2 * planted.count + 1
      right[k] = good
      wrong[k] = other
      // The copy without its options: `Answer: D` names no text, one in four by chance.
      let question = good.components(separatedBy: "\nA. ").first ?? good
      let letter = good.components(separatedBy: "Answer: ").last ?? ""
      bare[k] = question + "\nAnswer: " + letter
      planted.append(i)
    }
    try #require(planted.count == 16)
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    func verdicts(_ plants: [Int: String], _ name: String, answeredShingles: Int? = 5) throws -> [ItemResult] {
      try scan(items, try ScannerTests.shard(fixture, name, plants: plants, documents: 40), answeredShingles: answeredShingles)
    }
    // The copies the right answer makes count: clean without the rule, flagged with it.
    let withRight = try verdicts(right, "right.jsonl.gz")
    let rightBefore = try verdicts(right, "right.jsonl.gz", answeredShingles: nil)
    let counted = planted.filter { rightBefore[$0].verdict == .clean && withRight[$0].verdict != .clean }
    #expect(counted.count >= 3)
    // The same copies with another option's letter, or with the right letter but no options to
    // read it through: the rule changes no verdict (a short copy with another answer is still
    // named only when the exact n-grams back it, as before).
    for (plants, name) in [(wrong, "wrong.jsonl.gz"), (bare, "bare.jsonl.gz")] {
      let with = try verdicts(plants, name)
      let without = try verdicts(plants, name, answeredShingles: nil)
      #expect(with.map(\.verdict) == without.map(\.verdict), "\(name)")
      for i in counted {
        #expect(with[i].verdict != .partial && with[i].verdict != .contaminated, "\(name) \(items[i].id): \(with[i].verdict)")
        #expect(with[i].nearDuplicate?.evidence.first?.answer?.distinctive == nil, "\(name) \(items[i].id)")
      }
    }
  }

  @Test func aCertificateWithoutTheRuleIsNamedWeaker() throws {
    var off = ScanConfiguration()
    off.near?.answeredShingles = nil
    #expect(off.weakenings().contains { $0.contains("answered shingles were off") }, "\(off.weakenings())")
    var higher = ScanConfiguration()
    higher.near?.answeredShingles = 8
    #expect(higher.weakenings().contains { $0.contains("answeredShingles = 8 is above 5") }, "\(higher.weakenings())")
    var zero = ScanConfiguration()
    zero.near?.answeredShingles = 0
    #expect(throws: ContamError.self) { try zero.validate() }
    #expect(ScanConfiguration().weakenings().isEmpty)
  }
}
