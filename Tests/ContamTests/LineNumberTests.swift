import Contam
import Foundation
import Testing
import _ContamTestSupport

/// contam-text/7 (Normalizer rule 26): a listing copied with its line numbers reads as the
/// listing.
@Suite("Line numbers of a listing are layout (contam-text/7)")
struct LineNumberTests {
  let v6 = Tokenizer(normalizer: .of(.v6))
  let v7 = Tokenizer(normalizer: .of(.v7))

  func hashes(_ text: String, _ tokenizer: Tokenizer) -> [UInt64] { tokenizer.tokens(of: text).map(\.hash) }

  /// The gutters listings are copied with: `cat -n`, an editor's, a printed page's, a table's.
  static let gutters: [(String, @Sendable (Int, String) -> String)] = [
    ("cat -n", { "\(String(repeating: " ", count: 6 - String($0).count))\($0)\t\($1)" }),
    ("two spaces", { "\(String(repeating: " ", count: 3 - String($0).count))\($0)  \($1)" }),
    ("editor", { "\(String(repeating: " ", count: 4 - String($0).count))\($0) \($1)" }),
    ("bar", { "\($0) | \($1)" }),
    ("colon", { "\($0): \($1)" }),
  ]

  static func numbered(_ text: String, first: Int, _ gutter: @Sendable (Int, String) -> String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { gutter(first + $0.offset, String($0.element)) }
      .joined(separator: "\n")
  }

  @Test func numberedListingsReadAsTheListing() throws {
    let humaneval = try HeadRunTests.load("humaneval", "benchmarks/humaneval/HumanEval.jsonl.gz")
    for item in humaneval.prefix(20) {
      let code = item.parts.map(\.text).joined(separator: "\n")
      for (name, gutter) in Self.gutters {
        for first in [1, 240] {
          let copy = Self.numbered(code, first: first, gutter)
          let same = hashes(copy, v7) == hashes(code, v7)
          #expect(same, "\(item.id), \(name) from \(first)")
        }
      }
    }
    // Under contam-text/6 every number is a token.
    let sample = Self.numbered("def f(x):\n    return x + 1", first: 1, Self.gutters[0].1)
    #expect(hashes(sample, v6) != hashes("def f(x):\n    return x + 1", v6))
  }

  @Test func numbersThatAreTextStayTokens() {
    for text in [
      "12 apples were sold", "  12 = 3 * 4", "    30 = 2 * 3 * 5", "  1\n  2\n", "He read 3:16 aloud", "12345  too long",
      "  7 + 2", "x\t12", "12:30 the train left", "12:", "in 1990  prices rose",
      // Messy white space that puts a number first on a line: no neighbour numbered next to it.
      "Janet bought \n 16  eggs and\n 3  more, then\n 9\tfor muffins", "  3  apples\nand then\n  4  pears",
    ] {
      let same = hashes(text, v7) == hashes(text, v6)
      #expect(same, "\(text)")
    }
    // A number on its own line is no line number either (a doctest's expected output).
    let doctest = "    >>> add(2, 3)\n    5\n"
    #expect(hashes(doctest, v7).count == hashes(doctest, v6).count)
  }

  /// Real HumanEval items copied as numbered listings into real text: under contam-text/7 all
  /// are `contaminated`; under 6 the short lines of doctests and code leave fewer.
  @Test func numberedCopiesOfRealItemsAreContaminated() throws {
    let humaneval = try HeadRunTests.load("humaneval", "benchmarks/humaneval/HumanEval.jsonl.gz")
    let items = Array(humaneval.prefix(12))
    let results = try RenderedMathTests.scanPlanted(items, Array(items.indices), versions: [.v7, .v6]) { i in
      Self.numbered(items[i].parts.map(\.text).joined(separator: "\n"), first: 1 + 7 * i, Self.gutters[i % Self.gutters.count].1)
    }
    let now = results[0].filter { $0.verdict == .contaminated }.count
    let before = results[1].filter { $0.verdict == .contaminated }.count
    #expect(now == items.count, "\(now) of \(items.count) contaminated")
    #expect(before < now, "contam-text/6: \(before) of \(items.count)")
  }
}
