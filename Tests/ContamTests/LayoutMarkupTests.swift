@_spi(Testing) import Contam
import Foundation
import Testing
import _ContamTestSupport

@Suite("Layout markup: option labels, tags and escapes are not text (contam-text/2 rules 8-10)")
struct LayoutMarkupTests {
  let tokenizer = Tokenizer()

  func hashes(_ text: String) -> [UInt64] { tokenizer.tokens(of: text).map(\.hash) }

  /// Real MMLU rows from the fixtures: question, four choices, answer letter.
  func mmluRows() throws -> [[String]] {
    let text = try String(contentsOfFile: TestData.path("benchmarks/mmlu/test/sociology_test.csv"), encoding: .utf8)
    return try CSVParser.parse(text).filter { $0.count == 6 }
  }

  /// The tokens of the item as contam indexes it: its parts joined.
  func itemTokens(_ row: [String]) -> [UInt64] { hashes(row[0...4].joined(separator: "\n")) }

  /// A label style: the option's line with `L` for its label and `T` for its text, and the labels.
  static let styles: [(String, [String])] = [
    ("L. T", ["A", "B", "C", "D"]), ("(L) T", ["A", "B", "C", "D"]), ("L) T", ["A", "B", "C", "D"]),
    ("L. T", ["a", "b", "c", "d"]), ("L. T", ["1", "2", "3", "4"]), ("(L) T", ["1", "2", "3", "4"]),
    ("(L) T", ["i", "ii", "iii", "iv"]), ("- T", ["", "", "", ""]), ("* T", ["", "", "", ""]),
    ("<li>T</li>", ["", "", "", ""]), ("**L**: T", ["A", "B", "C", "D"]), ("| L | T |", ["A", "B", "C", "D"]),
    // HTML escaped into the text once more (contam-text/5).
    ("&lt;li&gt;T&lt;/li&gt;", ["", "", "", ""]), ("L. T&lt;br /&gt;", ["A", "B", "C", "D"]),
  ]

  @Test(arguments: styles.indices)
  func everyLabelStyleGivesTheTokensOfTheItem(_ style: Int) throws {
    let (format, labels) = Self.styles[style]
    for row in try mmluRows().prefix(40) {
      let options = (0..<4).map { k in
        format.replacingOccurrences(of: "L", with: labels[k]).replacingOccurrences(of: "T", with: row[k + 1])
      }
      let copy = row[0] + "\n" + options.joined(separator: "\n") + "\nAnswer: (" + labels[0] + ")"
      let expected = itemTokens(row) + hashes("answer") + (labels[0].first?.isNumber == true ? hashes(labels[0]) : [])
      #expect(hashes(copy) == expected, "\(format): \(copy)")
    }
  }

  @Test func aChatTranscriptKeptJSONEscapedGivesTheSameTokens() throws {
    for row in try mmluRows().prefix(20) {
      let content = row[0] + "\nA. " + row[1...4].joined(separator: "\nB. ")
      let escaped = String(decoding: try JSONSerialization.data(withJSONObject: ["content": content]), as: UTF8.self)
      let same = hashes(escaped) == hashes("content") + itemTokens(row)
      #expect(same, "\(escaped)")
    }
  }

  /// contam-text/5: a layout tag escaped into the text is layout like the tag; other escaped
  /// `<` and `>` stay text.
  @Test func escapedLayoutTagsAreLayout() {
    #expect(hashes("one&lt;br /&gt;two &lt;p class=&quot;q&quot;&gt;three&lt;/p&gt;") == hashes("one two three"))
    #expect(hashes("&LT;TD&GT;four&lt;/td>") == hashes("four"))
    #expect(hashes("if a &lt; b and c &gt; d") == hashes("if a < b and c > d"))
    #expect(hashes("&lt;xyz&gt;word") == hashes("xyz word"), "not a layout tag")
    #expect(hashes("&lt;br no end\nnext") == hashes("br no end next"), "a tag ends on its line")
    let v4 = Tokenizer(normalizer: .of(.v4))
    #expect(v4.tokens(of: "one&lt;br /&gt;two").count == 3, "contam-text/4 read br as a word")
  }

  @Test func numbersInsideSentencesAndMathStayTokens() {
    // A number is a label only at the start of its line and followed by `.` or `)`.
    #expect(hashes("She paid 5. Then 6)") == hashes("she paid 5 then 6"))
    #expect(hashes("f(2) = 10.\n2. next") == hashes("f 2 10 next"))
    #expect(hashes("(3) three\n  4) four") == hashes("three four"))
    // Only layout tags are skipped; comparisons in code and math stay text.
    #expect(hashes("if a < bc and cd > e: pass") == hashes("if bc and cd e pass"))
    #expect(hashes("<p>one<br/>two</p><td class=\"x\">three</td>") == hashes("one two three"))
    #expect(hashes("x<yy>z") == hashes("x yy z"))
    // Roman numerals up to viii are labels; longer words are not.
    #expect(hashes("ii iii iv vi vii viii ix via") == hashes("ix via"))
  }

  @Test func labelsAreCounted() {
    var counter = TokenCounter()
    var text = "Which is red?\nA. apple\nB. sky"
    let counts = text.withUTF8 { tokenizer.tokenize(UnsafeRawBufferPointer($0), into: &counter) }
    #expect(counts.labels == 2 && counts.tokens == 5)
  }
}
