import Contam
import Foundation
import Testing
import _ContamTestSupport

/// contam-text/4 (Normalizer rules 14-16): a LaTeX presentation command's name and a markdown
/// link's target are not tokens, and a JSON `\uXXXX` escape is its character, so the TeX source
/// of a math item and the same math rendered, a linked copy and an escaped chat record give the
/// tokens of the item.
@Suite("LaTeX presentation, link targets and JSON escapes (contam-text/4)")
struct LatexCommandTests {
  let v3 = Tokenizer(normalizer: .of(.v3))
  let v4 = Tokenizer(normalizer: .of(.v4))

  func hashes(_ text: String, _ tokenizer: Tokenizer) -> [UInt64] { tokenizer.tokens(of: text).map(\.hash) }

  @Test func texAndRenderedMathGiveTheSameTokens() {
    let tex = "Find $\\frac{2}{3}$ of $5\\text{ cm}$ when $\\left( x \\right) = \\dfrac{7}{\\mathrm{d}}$,\\quad $\\big[ 4 \\big]$."
    let rendered = "Find 2/3 of 5 cm when (x) = 7/d, [4]."
    #expect(hashes(tex, v4) == hashes(rendered, v4))
    #expect(hashes(tex, v3) != hashes(rendered, v3), "contam-text/3 reads frac, text, left as words")
    #expect(v3.tokens(of: "\\frac{1}{2}").count == 3 && v4.tokens(of: "\\frac{1}{2}").count == 2)
    // Commands with a meaning stay words: a perturbed problem may change only one of them.
    #expect(hashes("$\\sin x \\leq \\sqrt{2} \\cdot y$", v4) == hashes("sin x leq sqrt 2 cdot y", v4))
    #expect(hashes("$\\sin x$", v4) != hashes("$\\cos x$", v4))
  }

  @Test func escapesStayEscapesAndDisguisedCommandsAreCommands() {
    // A JSON-escaped transcript loses its escapes, also before a word that is no command.
    #expect(hashes("Question?\\nThe answer\\tis\\r\\nnear", v4) == hashes("Question The answer is near", v4))
    // An escaped line break before a lower-case option label stays an escape and a label.
    #expect(hashes("Which?\\nd) four\\ne) five\\nt) six", v4) == hashes("Which four five six", v4))
    // Commands that start like an escape are commands: \\newline is dropped, \\neq a word.
    #expect(hashes("x \\newline z \\neq w \\textbf{v}", v4) == hashes("x z neq w v", v4))
    // The name after a backslash is dropped whatever its letters look like, and so is the
    // name after a backslash written as an entity or in full width.
    for disguised in ["x \\ⓣⓔⓧⓣ{cm} y", "x \\𝐭𝐞𝐱𝐭{cm} y", "x ＼ｔｅｘｔ｛ｃｍ｝ y", "x &#92;text{cm} y", "x \\ＴＥＸＴ{cm} y"] {
      #expect(hashes(disguised, v4) == hashes("x cm y", v4), "\(disguised)")
    }
    // A backslash before anything but a letter is a separator; the word after a space stays.
    #expect(hashes("a \\$5 and \\\\ text \\ frac", v4) == hashes("a 5 and text frac", v4))
  }

  @Test func markdownLinkTargetsAreNotText() {
    let item = "Which gas do plants take in for photosynthesis during the day?"
    let linked = "Which [gas](https://en.wikipedia.org/wiki/Gas) do plants take in for [photosynthesis](/wiki/Photosynthesis_(x) during the day?"
    #expect(hashes(item, v4) == hashes(linked.replacingOccurrences(of: "_(x)", with: "_x)"), v4))
    #expect(hashes(item, v3) != hashes(linked.replacingOccurrences(of: "_(x)", with: "_x)"), v3))
    // Brackets and parentheses that are no link target stay as they were: text between them is text.
    #expect(hashes("f[i] (x + y) and [a] (b c)", v4) == hashes("f i x y and b c", v4))
    #expect(hashes("see [1](note one) here", v4) == hashes("see 1 note one here", v4), "white space: no link target")
  }

  @Test func jsonUnicodeEscapesAreTheirCharacters() throws {
    #expect(hashes("Zika fever\\u201a West Nile fever\\u201a and caf\\u00e9 \\ud83d\\ude00", v4) == hashes("Zika fever‚ West Nile fever‚ and café 😀", v4))
    #expect(hashes("caf\\u00e9", v3) != hashes("café", v3), "contam-text/3 read u00e9 as a word")
    // A lone surrogate or a short escape is no character: left as it was.
    #expect(v4.tokens(of: "a \\ud83d b \\u12 c").count == v3.tokens(of: "a \\ud83d b \\u12 c").count)
    // A chat record written by a JSON encoder that escapes every non-ASCII character, inside a
    // document, reads as the item.
    let item = "Which of the following is shared by Zika fever‚ West Nile fever‚ and malaria? Café au lait — naïve"
    let record = try JSONSerialization.data(withJSONObject: ["messages": [["role": "user", "content": item]]])
    let escaped = String(decoding: record, as: UTF8.self).unicodeScalars.map { $0.value < 0x80 ? String($0) : String(format: "\\u%04x", $0.value) }.joined()
    #expect(escaped.contains("\\u201a"))
    let tokens = hashes(escaped, v4)
    let itemTokens = hashes(item, v4)
    #expect(tokens.count >= itemTokens.count && (0...(tokens.count - itemTokens.count)).contains { Array(tokens[$0..<$0 + itemTokens.count]) == itemTokens }, "the item's tokens in a row")
  }

  /// Real MATH problems from the fixtures, copied without their presentation (`\frac{a}{b}` as
  /// `a/b`, `\text{cm}` as `cm`, no `\left`, no `$`) into prose: contam-text/4 finds more of
  /// them whole.
  @Test func renderedMathProblemsAreFound() throws {
    let items = try RenderedMathTests.mathItems()
    func rendered(_ tex: String) -> String {
      var text = tex
      // Presentation goes; what a command means is written out, as a page shows it.
      for (pattern, template) in [
        (#"\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}"#, "$1/$2"), (#"\\(?:text|mathrm|textbf|mbox|mathbf)\{([^{}]*)\}"#, "$1"),
        (#"\\(?:left|right|[bB]ig+[lr]?|displaystyle|quad|qquad)"#, ""), (#"\$"#, ""),
      ] {
        text = text.replacingOccurrences(of: pattern, with: template, options: .regularExpression)
      }
      return text
    }
    // Problems with commands in them, whose rendered form differs from the source.
    let chosen = items.indices.filter { items[$0].parts[0].text.contains("\\frac") || items[$0].parts[0].text.contains("\\text") }
    try #require(chosen.count >= 40)
    let planted = Array(chosen.prefix(30))
    let (now, before) = try RenderedMathTests.scanPlanted(items, planted, versions: [.v4, .v3]) { i in
      items[i].parts.map { rendered($0.text) }.joined(separator: "\n\n")
    }.pair
    let contaminated = planted.filter { now[$0].verdict == .contaminated }.count
    let contaminatedBefore = planted.filter { before[$0].verdict == .contaminated }.count
    #expect(contaminated >= 27, "contam-text/4: \(contaminated) of 30")
    #expect(contaminated > contaminatedBefore, "contam-text/3: \(contaminatedBefore) of 30")
    let others = Set(items.indices).subtracting(planted)
    #expect(others.filter { now[$0].verdict != .clean && now[$0].verdict != .tooShort }.count <= 3)
  }
}
