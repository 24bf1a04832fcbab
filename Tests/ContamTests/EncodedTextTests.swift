import Contam
import Foundation
import Testing
import _ContamTestSupport

/// contam-text/6 (Normalizer rules 20-24): web text escaped or encoded once more, and letters in
/// the styles "fancy text" generators write, read as the text they show.
@Suite("Text escaped twice, inline tags, URL encoding, small capitals (contam-text/6)")
struct EncodedTextTests {
  let v5 = Tokenizer(normalizer: .of(.v5))
  let v6 = Tokenizer(normalizer: .of(.v6))

  func hashes(_ text: String, _ tokenizer: Tokenizer) -> [UInt64] { tokenizer.tokens(of: text).map(\.hash) }

  /// The disguises rules 20-24 undo, each a function of the plain text.
  enum Disguise: String, CaseIterable {
    case referencesEscapedTwice, tagsEscapedTwice, inlineTagsInWords, urlEncoded, smallCapitals, superscriptLetters, hangulFillers

    func apply(_ text: String) -> String {
      switch self {
      case .referencesEscapedTwice:
        // A page's `&nbsp;` and `&#39;` escaped once more, as a crawl of escaped HTML keeps them.
        return text.replacingOccurrences(of: "'", with: "&amp;#39;").replacingOccurrences(of: "\"", with: "&amp;quot;")
          .replacingOccurrences(of: " ", with: "&amp;nbsp;")
      case .tagsEscapedTwice:
        return text.replacingOccurrences(of: "\n", with: "&amp;lt;br /&amp;gt;").replacingOccurrences(of: ". ", with: ".&amp;lt;/p&amp;gt;&amp;lt;p class=&amp;quot;q&amp;quot;&amp;gt;")
      case .inlineTagsInWords:
        // Every word of five letters or more broken by inline tags, as a converted PDF's spans do.
        return words(text) { word in
          let w = Array(word)
          guard w.count >= 5, w.allSatisfy(\.isLetter) else { return word }
          return String(w[0..<2]) + "<span class=\"c3\">" + String(w[2..<3]) + "</span><wbr>" + String(w[3...])
        }
      case .urlEncoded:
        return text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
      case .smallCapitals:
        let capitals = Dictionary(uniqueKeysWithValues: zip("abcdefghijklmnopqrstuvwxyz", "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘꞯʀꜱᴛᴜᴠᴡxʏᴢ"))
        return String(text.map { capitals[Character($0.lowercased())] ?? $0 })
      case .superscriptLetters:
        let raised = Dictionary(uniqueKeysWithValues: zip("abcdefghijklmnoprstuvwxyz", "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ"))
        return String(text.map { raised[Character($0.lowercased())] ?? $0 })
      case .hangulFillers:
        return words(text) { $0.count > 3 ? String($0.prefix(2)) + "\u{3164}" + String($0.dropFirst(2)) : $0 }
      }
    }

    private func words(_ text: String, _ change: (String) -> String) -> String {
      text.components(separatedBy: " ").map(change).joined(separator: " ")
    }
  }

  /// A sentence of real text (Pride and Prejudice, the fixture's opening) and its tokens under
  /// each disguise: the plain text's under contam-text/6, other tokens under contam-text/5.
  @Test(arguments: Disguise.allCases)
  func aDisguisedSentenceReadsAsThePlainOne(_ disguise: Disguise) {
    let plain = "It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want of a wife. \"However little known\" the feelings or views of such a man may be on his first entering a neighbourhood, this truth is so well fixed in the minds of the surrounding families."
    let disguised = disguise.apply(plain)
    #expect(disguised != plain)
    #expect(hashes(disguised, v6) == hashes(plain, v6), "\(disguise): \(disguised.prefix(80))")
    #expect(hashes(disguised, v5) != hashes(plain, v5), "contam-text/5 read \(disguise) otherwise")
  }

  @Test func whatTheRulesLeaveAlone() {
    for text in [
      "a 50% rise, then 20 %", "printf(\"%2d %5s\", x)",  // no encoding: lower-case hex, no two hex digits
      "AT&amp;T and &amp;c.", "&amp;foo; stays", "Tom &amp; Jerry",  // `&amp;` before no reference is `&`
      "x<sup>2</sup> and H<sub>2</sub>O", "one<br>two<p>three",  // tags that set words apart still do
      "word <b>bold</b> word",
    ] {
      #expect(hashes(text, v6) == hashes(text, v5), "\(text)")
    }
    // Escaped three times is read too; the reference's bytes bound how far a token reaches.
    #expect(hashes("one&amp;amp;nbsp;two&amp;amp;#39;s", v6) == hashes("one two's", v6))
    #expect(v6.tokens(of: "o&amp;amp;frac34;").map(\.end) == [17, 17])  // `o3`, `4` both end past the reference
    // A percent sign before upper-case hex is an encoding, read as what it encodes.
    #expect(hashes("caf%C3%A9%20au%20lait%2C%20please", v6) == hashes("café au lait, please", v6))
    // A sequence that is not one UTF-8 character is no encoding: a lone continuation byte, a
    // lead byte without its continuation, an overlong form.
    for bad in ["%80abc", "%C3abc", "%C0%AFabc", "%ED%A0%80abc"] {
      #expect(hashes(bad, v6) == hashes(bad.replacingOccurrences(of: "%", with: " "), v6), "\(bad)")
    }
    // Inline tags join a word only between its parts: an inline tag at a word's edge still ends it.
    #expect(hashes("Na<b>ta</b>lia sold", v6) == hashes("Natalia sold", v6))
    #expect(hashes("Natalia<b> sold</b>", v6) == hashes("Natalia sold", v6))
    #expect(hashes("Natalia</b>.", v6) == hashes("Natalia", v6))
    // A superscript letter after a plain word starts a word of its own, like `x²`.
    #expect(hashes("xⁿ and mᵃˣ", v6) == hashes("x n and m ax", v6))
    // Small capitals that are not one letter (a turned or barred form) are not folded.
    #expect(hashes("\u{1D09}", v6) == hashes("\u{1D09}", v5))
  }

  /// contam-text/10 (rule 31): a word begun in superscript letters goes on through a letter that
  /// has no superscript form (`ˢqᵘᵃʳᵉ`: fancy-text generators leave `q` as it is); a superscript
  /// after a plain letter still starts a word (rule 18), and so does one after a word begun with
  /// a superscript digit.
  @Test func aSuperscriptWordGoesOnThroughALetterWithoutOne() throws {
    let v9 = Tokenizer(normalizer: .of(.v9))
    let v10 = Tokenizer(normalizer: .of(.v10))
    #expect(hashes("ˢqᵘᵉᵉᶻᵉ ᵗʰʳᵒᵘᵍʰ ᵉqᵘᵃˡ qᵘᵃʳᵗᵉʳ ᵘⁿⁱqᵘᵉ", v10) == hashes("squeeze through equal quarter unique", v10))
    #expect(hashes("ˢqᵘᵉᵉᶻᵉ", v9) != hashes("squeeze", v9), "contam-text/9 split it")
    #expect(hashes("xⁿ and mᵃˣ and q²", v10) == hashes("x n and m ax and q 2", v10))
    #expect(hashes("x²y³ and a²b", v10) == hashes("x²y³ and a²b", v9))
    // Real GSM8K items with a q, written in superscript letters into real text: contaminated
    // under contam-text/10.
    let items = Array(try HeadRunTests.load("gsm8k", "benchmarks/gsm8k/test.jsonl").filter { item in
      item.parts.contains { $0.text.lowercased().contains("q") }
    }.prefix(12))
    try #require(items.count == 12)
    let results = try RenderedMathTests.scanPlanted(items, Array(items.indices), versions: [.v10, .v9]) { i in
      Disguise.superscriptLetters.apply(items[i].parts.map(\.text).joined(separator: "\n"))
    }
    let now = results[0].filter { $0.verdict == .contaminated }.count
    let before = results[1].filter { $0.verdict == .contaminated }.count
    #expect(now == items.count, "\(now) of \(items.count) contaminated")
    #expect(before < now, "under contam-text/9: \(before)")
  }

  /// contam-text/11 (rule 32): letter-spaced text spells its words. A generator that spaces
  /// every character out (`W h e r e   d o`), or a PDF heading set with wide tracking, left
  /// lone letters, which are no tokens (rule 8): a copy so written read clean.
  @Test func letterSpacedTextSpellsItsWords() throws {
    let v10 = Tokenizer(normalizer: .of(.v10))
    let v11 = Tokenizer(normalizer: .of(.v11))
    func spacedOut(_ text: String) -> String {
      text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.map(String.init).joined(separator: " ") }
        .joined(separator: "\n")
    }
    let sentence = "Where do you go? It costs $25, or 3 of them."
    #expect(spacedOut(sentence).hasPrefix("W h e r e   d o   y o u   g o ?"))
    #expect(hashes(spacedOut(sentence), v11) == hashes(sentence, v11))
    #expect(hashes("T h e  c a t  i s  h e r e", v11) == hashes("The cat is here", v11), "words two spaces apart")
    #expect(hashes("W H E R E   d o", v11) == hashes("where do", v11))
    #expect(hashes(spacedOut(sentence), v10) != hashes(sentence, v10), "contam-text/10 read lone letters")
    // Lone characters in normal text stay apart: no three lone letters one space apart near.
    let normal = "Plan B a lot, and x y of the two; 4 x 2 = 8 and 3 x 5 = 15"
    #expect(hashes(normal, v11) == hashes(normal, v10))
    // A pair near a run of three joins, across a line break and between numbers.
    #expect(hashes("c a r s   a r e\n1 2   +   4", v11) == hashes("cars are\n12 + 4", v11))
    // The search for a run of letters, done once per byte, still finds one after a long table
    // of lone digits that found none (the table, more than 64 bytes away, stays apart), and a
    // run more than 64 bytes back joins no pair.
    let table = Array(repeating: "1 0 2 4 0 3", count: 40).joined(separator: "\n") + "\nThe table above has no letters in it at all, and it is more than a line away, so it stays.\n"
    #expect(hashes(table + "W h e r e   d o", v11) == hashes(table + "where do", v10))
    let far = "w h o   i s " + String(repeating: "normal text after it, ", count: 4) + "and x y"
    #expect(hashes(far, v11) == hashes("who is " + String(repeating: "normal text after it, ", count: 4) + "and x y", v10))
    // A spaced command name after its backslash is the command: \frac is no token (rule 14).
    #expect(hashes("\\ f r a c { 1 } { 2 }   o f   i t", v11) == hashes("\\frac{1}{2} of it", v11))
    // A word's byte range runs from its first letter to its last.
    let text = "  s p a c e d  out"
    let bytes = Array(text.utf8)
    #expect(v11.tokens(of: text).map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) } == ["s p a c e d", "out"])
    // Real GSM8K items (question and worked solution), every character spaced out, in real
    // text: contaminated under contam-text/11, fewer under 10.
    let items = Array(try HeadRunTests.load("gsm8k", "benchmarks/gsm8k/test.jsonl").prefix(12))
    try RenderedMathTests.expectEveryCopyContaminated(items, under: .v11, notUnder: .v10) { i in
      spacedOut(items[i].parts.map(\.text).joined(separator: "\n"))
    }
  }

  @Test func tokenRangesSpanTheirSourceBytes() {
    let text = "Na<b>ta</b>lia&amp;nbsp;sold%20clips"
    let tokens = v6.tokens(of: text)
    let bytes = Array(text.utf8)
    #expect(tokens.map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) } == ["Na<b>ta</b>lia", "sold", "clips"])
  }

  /// Real GSM8K items (question and worked solution) planted in real text under each disguise:
  /// every copy reads `contaminated` under contam-text/6. Under contam-text/5, 0 or 1 of 12 did
  /// for every disguise but tags escaped twice (8 of 12: only line and sentence ends are tags).
  @Test(arguments: Disguise.allCases)
  func disguisedCopiesOfRealItemsAreContaminated(_ disguise: Disguise) throws {
    // Items without a q, which has no superscript letter.
    let items = Array(try HeadRunTests.load("gsm8k", "benchmarks/gsm8k/test.jsonl").filter { item in
      !item.parts.contains { $0.text.lowercased().contains("q") }
    }.prefix(12))
    try #require(items.count == 12)
    let results = try RenderedMathTests.scanPlanted(items, Array(items.indices), versions: [.v6, .v5]) { i in
      disguise.apply(items[i].parts.map(\.text).joined(separator: "\n"))
    }
    let now = results[0].filter { $0.verdict == .contaminated }.count
    let before = results[1].filter { $0.verdict == .contaminated }.count
    #expect(now == items.count, "\(disguise): \(now) of \(items.count) contaminated")
    #expect(before < now, "\(disguise) under contam-text/5: \(before)")
  }
}
