import Contam
import Foundation
import Testing
import _ContamTestSupport

/// contam-text/9 (Normalizer rule 28): an item copied from an encyclopedia's page keeps its
/// citation marks (`Paris.[1] The`); their numbers are layout, not tokens.
@Suite("Citation marks are layout (contam-text/9)")
struct CitationMarkTests {
  let v8 = Tokenizer(normalizer: .of(.v8))
  let v9 = Tokenizer(normalizer: .of(.v9))

  func hashes(_ text: String, _ tokenizer: Tokenizer) -> [UInt64] { tokenizer.tokens(of: text).map(\.hash) }

  /// `text` with a citation mark after every `every`-th sentence or clause end, and one after a
  /// word now and then, numbered as a page numbers them (`[1]`, `[12]`, two marks together).
  static func marked(_ text: String, every: Int = 1) -> String {
    var out = ""
    var n = 0
    var words = 0
    var previous: Character = " "
    for c in text {
      if c == " " && previous.isLetter {
        words += 1
        if words % 9 == 0 {
          n += 1
          out += "[\(n)]"
        }
      }
      if c == " " && ".,;?!".contains(previous) {
        n += 1
        if n % every == 0 { out += n % 4 == 0 ? "[\(n)][\(n + 100)]" : "[\(n)]" }
      }
      out.append(c)
      previous = c
    }
    return out + "[\(n + 1)]"
  }

  @Test func markedCopiesReadAsTheirText() throws {
    let gsm8k = try HeadRunTests.load("gsm8k", "benchmarks/gsm8k/test.jsonl")
    let mmlu = try HeadRunTests.load("mmlu", "benchmarks/mmlu/test")
    var checked = 0
    for item in Array(gsm8k.prefix(10)) + Array(mmlu.prefix(10)) {
      let text = item.parts.map(\.text).joined(separator: "\n")
      let copy = Self.marked(text)
      guard copy != text + "[1]" else { continue }
      #expect(hashes(copy, v9) == hashes(text, v9), "\(item.id): \(copy)")
      checked += 1
    }
    #expect(checked >= 15)
    // Under contam-text/8 every mark's number is a token.
    let sample = "Natalia sold clips to 48 of her friends in April.[1] Then she sold half as many.[2][3]"
    #expect(hashes(sample, v8) != hashes(sample.replacing(/\[\d+\]/, with: ""), v8))
    #expect(hashes(sample, v9) == hashes(sample.replacing(/\[\d+\]/, with: ""), v9))
  }

  @Test func bracketedNumbersThatAreTextStayTokens() {
    for text in [
      "[1] Smith, J. (2003). A history.", "Section\n[2] Results follow", "a list [1, 2, 3] of numbers", "f([1]) returns one",
      "x = [12]", "a[1]b", "a[1]2", "index [3] alone", "(see [4])", "value[1234] is too long to be a mark", "{[5]}", "arr =[7].",
    ] {
      let same = hashes(text, v9) == hashes(text, v8)
      #expect(same, "\(text)")
    }
    // Marks: after a word, punctuation or a closing quote; before white space, punctuation,
    // another mark or the end.
    for text in ["Paris[1] is", "Paris.[12] The", "“Paris”[3], and", "the capital.[4][5]", "Paris[6]", "capital[7]’s", "note[8]<br>"] {
      let same = hashes(text, v9) == hashes(text.replacing(/\[\d+\]/, with: ""), v9)
      #expect(same, "\(text)")
    }
  }

  /// Real items copied with a citation mark after every clause into real text: under
  /// contam-text/9 all are `contaminated`; under 8 the marks leave pieces shorter than an n-gram.
  @Test func markedCopiesOfRealItemsAreContaminated() throws {
    let gsm8k = try HeadRunTests.load("gsm8k", "benchmarks/gsm8k/test.jsonl")
    let items = Array(gsm8k.prefix(12))
    try RenderedMathTests.expectEveryCopyContaminated(items, under: .v9, notUnder: .v8) { i in
      Self.marked(items[i].parts.map(\.text).joined(separator: "\n"))
    }
  }
}
