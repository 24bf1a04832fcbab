import Contam
import Foundation
import Testing
import _ContamTestSupport

/// contam-text/9 (Normalizer rule 29): an item in a mail archive written quoted-printable (lines
/// of at most 76 bytes ending in a soft break `=`, `=XX` for `=` and for every byte of a non-ASCII
/// character) reads as the text it encodes.
@Suite("Quoted-printable text reads as its text (contam-text/9)")
struct QuotedPrintableTests {
  let v8 = Tokenizer(normalizer: .of(.v8))
  let v9 = Tokenizer(normalizer: .of(.v9))

  func hashes(_ text: String, _ tokenizer: Tokenizer) -> [UInt64] { tokenizer.tokens(of: text).map(\.hash) }

  /// `text` quoted-printable as RFC 2045 writes it: bytes outside printable ASCII and `=` as `=XX`,
  /// line breaks kept, lines soft-broken (`=` at the end) to at most `width` bytes, never inside
  /// an `=XX`.
  static func encoded(_ text: String, width: Int = 76, crlf: Bool = false) -> String {
    var out = ""
    var line = ""
    func flush() {
      out += line + "=" + (crlf ? "\r\n" : "\n")
      line = ""
    }
    for byte in text.utf8 {
      if byte == 0x0A {
        out += line + (crlf ? "\r\n" : "\n")
        line = ""
        continue
      }
      let piece = (byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "=")) ? String(UnicodeScalar(byte)) : String(format: "=%02X", byte)
      if line.utf8.count + piece.utf8.count > width - 1 { flush() }
      line += piece
    }
    return out + line
  }

  @Test func encodedCopiesReadAsTheirText() throws {
    let gsm8k = try HeadRunTests.load("gsm8k", "benchmarks/gsm8k/test.jsonl")
    let math = try HeadRunTests.load("math", "benchmarks/math/test.jsonl.gz")
    var checked = 0
    for item in Array(gsm8k.prefix(10)) + Array(math.prefix(10)) {
      let text = item.parts.map(\.text).joined(separator: "\n") + " — it’s done"
      for (width, crlf) in [(76, false), (40, true)] {
        let copy = Self.encoded(text, width: width, crlf: crlf)
        #expect(width == 76 || copy.contains("=\r\n"), "a line of 40 bytes breaks softly")
        #expect(hashes(copy, v9) == hashes(text, v9), "\(item.id), width \(width): \(copy.prefix(300))")
      }
      checked += 1
    }
    #expect(checked == 20)
    let sample = Self.encoded("Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. It’s 72.", width: 30)
    #expect(hashes(sample, v8) != hashes(sample, v9), "under contam-text/8 a soft break splits a word")
  }

  @Test func equalsSignsThatAreTextStayText() {
    for text in [
      "x=20 and y=41", "a=3", "Let $x=AB$ and y=FF.", "total =\n  count", "x =\n3", "f(x)=\n\ng", "a==b", "=== heading ===",
      "key=value\nnext=line", "=E2=80 cut short", "=C3=28 not UTF-8", "=e2=80=99 lower-case hex",
    ] {
      let same = hashes(text, v9) == hashes(text, v8)
      #expect(same, "\(text.debugDescription)")
    }
    // What quoted-printable writes: a soft break inside a word, a character's bytes, `=3D`.
    for (encoded, text) in [("exam=\nple", "example"), ("exam=\r\nple", "example"), ("it=E2=80=99s", "it’s"), ("caf=C3=A9", "café"), ("2+3=3D5", "2+3=5")] {
      let same = hashes(encoded, v9) == hashes(text, v9)
      #expect(same, "\(encoded.debugDescription)")
    }
  }

  /// Real items written quoted-printable into real text: under contam-text/9 all are
  /// `contaminated`; under 8 the soft breaks split a word every line.
  @Test func encodedCopiesOfRealItemsAreContaminated() throws {
    let gsm8k = try HeadRunTests.load("gsm8k", "benchmarks/gsm8k/test.jsonl")
    let items = Array(gsm8k.prefix(12))
    try RenderedMathTests.expectEveryCopyContaminated(items, under: .v9, notUnder: .v8) { i in
      Self.encoded(items[i].parts.map(\.text).joined(separator: "\n"), width: 40 + 6 * i)
    }
  }
}
