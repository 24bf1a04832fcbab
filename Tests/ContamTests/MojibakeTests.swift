import Contam
import Foundation
import Testing
import _ContamTestSupport

/// contam-text/7 (Normalizer rule 25): text whose UTF-8 was once read as Windows-1252 and
/// written out again ("mojibake", `â€™` for `’`) reads as the characters it stands for.
@Suite("Mojibake: UTF-8 read as Windows-1252 once (contam-text/7)")
struct MojibakeTests {
  let v6 = Tokenizer(normalizer: .of(.v6))
  let v7 = Tokenizer(normalizer: .of(.v7))

  func hashes(_ text: String, _ tokenizer: Tokenizer) -> [UInt64] { tokenizer.tokens(of: text).map(\.hash) }

  /// `text`'s UTF-8 bytes read as Windows-1252, each byte on its own (the five bytes that code
  /// leaves undefined as the Latin-1 C1 controls, or dropped with `dropUndefined`), as a page
  /// served with the wrong charset and saved again.
  static func misread(_ text: String, dropUndefined: Bool = false) -> String {
    let high: [UInt8: UnicodeScalar] = [
      0x80: "\u{20AC}", 0x82: "\u{201A}", 0x83: "\u{0192}", 0x84: "\u{201E}", 0x85: "\u{2026}", 0x86: "\u{2020}", 0x87: "\u{2021}",
      0x88: "\u{02C6}", 0x89: "\u{2030}", 0x8A: "\u{0160}", 0x8B: "\u{2039}", 0x8C: "\u{0152}", 0x8E: "\u{017D}", 0x91: "\u{2018}",
      0x92: "\u{2019}", 0x93: "\u{201C}", 0x94: "\u{201D}", 0x95: "\u{2022}", 0x96: "\u{2013}", 0x97: "\u{2014}", 0x98: "\u{02DC}",
      0x99: "\u{2122}", 0x9A: "\u{0161}", 0x9B: "\u{203A}", 0x9C: "\u{0153}", 0x9E: "\u{017E}", 0x9F: "\u{0178}",
    ]
    var out = String.UnicodeScalarView()
    for byte in text.utf8 {
      if let scalar = high[byte] {
        out.append(scalar)
      } else if !(dropUndefined && (byte == 0x81 || byte == 0x8D || byte == 0x8F || byte == 0x90 || byte == 0x9D)) {
        out.append(UnicodeScalar(byte))
      }
    }
    return String(out)
  }

  /// Real text with curly quotes, dashes and accents: misread, it gives the text's tokens under
  /// contam-text/7 and others under 6.
  @Test func misreadTextReadsAsTheText() {
    for (k, text) in [
      "Timothy’s locker is 24 cubic inches. Zack’s locker is half as big as Timothy’s locker.",
      "“However little known” the feelings — or views — of such a man may be…",
      "Café au lait, naïve façade, São Paulo, Ærøskøbing, Straße, Dvořák, Łódź, 90° ± 5 µm",
      "Ελληνικά и русский текст, 中文字符 and 日本語",
      "x ≤ 2π and y ≥ 3",
      "no\u{A0}break\u{A0}spaces and an emoji 🙂 too",
    ].enumerated() {
      let mojibake = Self.misread(text)
      #expect(mojibake != text)
      #expect(hashes(mojibake, v7) == hashes(text, v7), "\(mojibake)")
      #expect(hashes(mojibake, v6) != hashes(text, v6), "contam-text/6 read \(mojibake) otherwise")
      // A closing quote whose 0x9D byte was lost on the way (`â€` alone) is still a quote (the
      // first two texts have no other character with one of the five bytes).
      if k < 2 { #expect(hashes(Self.misread(text, dropUndefined: true), v7) == hashes(text, v7), "\(mojibake), 0x9D dropped") }
    }
    // Token ranges span the bytes of the runs they read.
    let text = "Zackâ€™s cafÃ©"
    let bytes = Array(text.utf8)
    #expect(v7.tokens(of: text).map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) } == ["Zack", "cafÃ©"], "s alone is a label")
  }

  /// Text that only looks like the start of a run reads as before: Latin-1 letters followed by
  /// letters, punctuation or nothing, and runs that are not valid UTF-8 (an overlong form, a
  /// surrogate, a lead without its continuations), also cut at the end of the text.
  @Test func whatTheRuleLeavesAlone() {
    for text in [
      "Ärger über Öl, Ñandú, Ça va, à la carte, Âge, Ãngel",  // Latin-1 capitals before letters and spaces
      "Ã", "Ãx", "Ã ", "ð\u{9F}", "ð\u{9F}\u{98}", "é€",  // cut short
      "À\u{AF}", "í\u{A0}\u{80}", "ô\u{90}\u{80}\u{80}",  // C0 AF overlong, ED A0 80 a surrogate, F4 90 80 80 past U+10FFFF
      "count of 25.0\u{A0}×\u{A0}103/mcL", "« le café\u{A0}» et",  // typography: no-break spaces after × and é (MMLU has the first)
    ] {
      #expect(hashes(text, v7) == hashes(text, v6), "\(text)")
    }
    #expect(hashes("Ã\u{80}x", v7) == hashes("Àx", v7), "C3 80 is À")
    #expect(hashes("voilÃ\u{A0} tout", v7) == hashes("voilà tout", v7), "C3 A0 is à")
    // `â€` followed by something else is `”` whose third byte was dropped: it separates.
    #expect(hashes("quotedâ€ text", v7) == hashes("quoted” text", v7))
    #expect(hashes("quotedâ€", v7) == hashes("quoted", v7))
  }

  /// Real items of several benchmarks (their questions, choices and solutions, in curly quotes
  /// and dashes as web text has them) misread and planted in real text: every copy reads
  /// `contaminated` under contam-text/7; under 6 fewer do, the words beside every quote broken.
  @Test func misreadCopiesOfRealItemsAreContaminated() throws {
    let gsm = try HeadRunTests.load("gsm8k", "benchmarks/gsm8k/test.jsonl")
    let typographic = { (text: String) in
      text.replacingOccurrences(of: "'", with: "’").replacingOccurrences(of: "\"", with: "“").replacingOccurrences(of: " - ", with: " — ")
    }
    // Items with an apostrophe or a quote: most of GSM8K's names take one (`Janet’s ducks`).
    let items = Array(gsm.filter { item in item.parts.contains { $0.text.contains("'") || $0.text.contains("\"") } }.prefix(12))
    try #require(items.count == 12)
    let results = try RenderedMathTests.scanPlanted(items, Array(items.indices), versions: [.v7, .v6]) { i in
      Self.misread(typographic(items[i].parts.map(\.text).joined(separator: "\n")))
    }
    let now = results[0].filter { $0.verdict == .contaminated }.count
    let before = results[1].filter { $0.verdict == .contaminated }.count
    #expect(now == items.count, "\(now) of \(items.count) contaminated")
    #expect(before < now, "contam-text/6: \(before) of \(items.count)")
  }
}
