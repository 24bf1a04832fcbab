@_spi(Testing) import Contam
import Foundation
import Testing
import _ContamTestSupport

/// The literal tie-break (NearDuplicateConfiguration.literalTieBreak): tokens fold what a
/// templated family of MATH problems varies (variables and operators are no tokens), so several
/// documents can hold the same share of an item. Of those, the one written most like the item
/// (LiteralSimilarity: shared character trigrams) is reported first and read by the verdict,
/// not the one that happens to come first in the corpus.
@Suite("Literal tie-break: of equally near copies, the one written like the item first")
struct LiteralTieBreakTests {
  /// The measure, computed a second way here: sets of three-character strings.
  static func dice(_ a: String, _ b: String) -> Double {
    func grams(_ s: String) -> Set<[UInt8]> {
      let words = s.split(whereSeparator: { " \t\n\r\u{0B}\u{0C}".contains($0) })
      let bytes = Array(words.joined(separator: " ").utf8).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
      return bytes.count < 3 ? [] : Set((0...(bytes.count - 3)).map { Array(bytes[$0..<$0 + 3]) })
    }
    let (x, y) = (grams(a), grams(b))
    return x.isEmpty || y.isEmpty ? 0 : Double(2 * x.intersection(y).count) / Double(x.count + y.count)
  }

  @Test func theMeasureIgnoresCaseAndSpacingAndCountsSharedTrigrams() {
    let problem = "Let $a$ and $b$ be positive real numbers such that $a + b = 1.$  Find the minimum value of"
    #expect(LiteralSimilarity.of(problem, problem) == 1)
    #expect(LiteralSimilarity.of("  LET $A$ and\n\n$b$  be positive REAL numbers such that $a + b = 1.$ Find the minimum value of", problem) == 1)
    #expect(LiteralSimilarity.of("abcd", "abce") == 0.5)  // {abc, bcd} and {abc, bce}
    #expect(LiteralSimilarity.of("abc", "xyz") == 0)
    #expect(LiteralSimilarity.of("ab", "ab") == 0)
    #expect(LiteralSimilarity.of("", problem) == 0)
    let cousin = "Let $a,$ $b,$ $c,$ $d$ be positive real numbers such that $a + b + c + d = 1.$  Find the minimum value of"
    let original = "Let $a$ and $b$ be positive real numbers such that $a + 2b = 1.$  Find the minimum value of"
    #expect(LiteralSimilarity.of(original, problem) > LiteralSimilarity.of(cousin, problem))
    for (a, b) in [(original, problem), (cousin, problem), (cousin, original), ("Ünïcode bytes ½", "unicode bytes 1/2")] {
      #expect(LiteralSimilarity.of(a, b) == LiteralSimilarity.of(b, a))
      #expect(abs(LiteralSimilarity.of(a, b) - Self.dice(a, b)) < 1e-12, "\(a) / \(b)")
    }
  }

  /// Real MATH-Perturb-Simple items against a corpus of, per pair, the same original problem
  /// perturbed the other way (MATH-P-Hard) and then the original: two real documents near the
  /// item, often holding the same share of it. Evidence of the same strength and kind is in
  /// order of literal similarity, which is the measure of the snippet against the item's text;
  /// without the rule the earlier line comes first and nothing is measured.
  @Test func equallyNearDocumentsAreOrderedByHowTheyRead() throws {
    let items = try BenchmarkLoader.load(
      name: "math-perturb", path: TestData.path("benchmarks/math_perturb/math_perturb_simple.jsonl"),
      format: BenchmarkFormat.presets["math-perturb"]!)
    var lines: [String] = []
    let pairs = try String(contentsOfFile: TestData.path("benchmarks/math_perturb/pairs_with_math_originals.jsonl"), encoding: .utf8)
    for line in pairs.split(separator: "\n") {
      let pair = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      guard pair["matched"] as? Bool == true, let id = pair["problem_id"], let hard = pair["hard_problem"] as? String,
        let original = pair["original_problem"] as? String
      else { continue }
      for (kind, text) in [("hard", hard), ("original", original)] {
        let record = try JSONSerialization.data(withJSONObject: ["id": "\(kind)/\(id)", "text": text], options: [.sortedKeys])
        lines.append(String(decoding: record, as: UTF8.self))
      }
    }
    try #require(lines.count > 500)
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try fixture.write("pairs.jsonl", Data((lines.joined(separator: "\n") + "\n").utf8))
    let options = ShardReaderOptions(format: .jsonl(textField: try FieldPath("text"), idField: try FieldPath("id")))
    func scan(_ literal: Bool?) throws -> [ItemResult] {
      var configuration = ScanConfiguration()
      configuration.evidencePerItem = 5
      configuration.near?.literalTieBreak = literal
      return try Scanner(items: items, configuration: configuration, readerOptions: options).scan(paths: [path], jobs: 2).items
    }
    let results = try scan(true)
    func kind(_ e: NearDuplicateEvidence) -> [Double] {
      [e.strength, e.alignment == nil ? 0 : 1, e.part == nil ? 1 : 0, e.mathTokens == true ? 0 : 1]
    }
    var ties = 0
    var measured = 0
    for (item, result) in zip(items, results) {
      let evidence = result.nearDuplicate?.evidence ?? []
      for e in evidence {
        let target = e.part.flatMap { name in item.parts.first { $0.name == name }?.text } ?? ItemIndex.text(of: item)
        let literal = try #require(e.literalSimilarity, "\(item.id): \(e)")
        #expect(abs(literal - Self.dice(e.snippet, target)) < 1e-12, "\(item.id) at line \(e.line)")
        measured += 1
      }
      for (a, b) in zip(evidence, evidence.dropFirst()) where kind(a) == kind(b) {
        ties += 1
        #expect(a.literalSimilarity! >= b.literalSimilarity!, "\(item.id): \(a.documentID ?? "") before \(b.documentID ?? "")")
      }
    }
    #expect(measured >= 250 && ties >= 30, "\(measured) measured, \(ties) ties")
    // Without the rule (certificates made before it): no measure, and ties go by line, so the
    // hard variant (the earlier line) is first where the original reads more like the item.
    let before = try scan(nil)
    #expect(before.allSatisfy { $0.nearDuplicate?.evidence.allSatisfy { $0.literalSimilarity == nil } ?? true })
    let reordered = zip(results, before).filter { $0.nearDuplicate?.evidence.first?.documentID != $1.nearDuplicate?.evidence.first?.documentID }
    #expect(reordered.count >= 10, "\(reordered.count) items report another document first")
    for (after, earlier) in reordered {
      let (a, b) = (try #require(after.nearDuplicate?.evidence.first), try #require(earlier.nearDuplicate?.evidence.first))
      #expect(a.strength == b.strength && a.line > b.line, "\(after.id): \(a.line) vs \(b.line)")
    }
  }
}
