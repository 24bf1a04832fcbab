import Foundation

/// The one text normalization Contam applies to corpus and benchmark text alike.
///
/// Rules (version ``version``, written into every result so a reader knows what was compared):
/// 1. Text is UTF-8. Bytes that are not valid UTF-8 separate tokens and are counted.
/// 2. HTML entities are decoded first: named (`&amp;`, `&nbsp;`, `&eacute;` …, see
///    ``HTMLEntity``) and numeric (`&#39;`, `&#x27;`); an entity's token range spans its bytes.
/// 3. Each scalar is folded: compatibility decomposition (NFKD: `ﬁ` → `fi`, `Ａ` → `A`,
///    `²` → `2`), then combining marks dropped (`café` → `cafe`), then lower-cased
///    (`ß` → `ss`). Letters, digits and other numbers make up words.
/// 4. Punctuation, symbols, whitespace and controls separate words; curly quotes and dashes
///    are punctuation like their ASCII forms, so they compare equal to them. Whitespace of any
///    kind and line breaks never matter.
/// 5. Invisible format characters (soft hyphen, zero-width space and joiners, BOM) are ignored:
///    they neither split a word nor add to it.
/// 6. CJK ideographs, kana and Hangul syllables are one token each, folded by NFKC
///    (half-width katakana → full-width).
/// 7. A token's hash is XXH3-64 (seed 0) of its normalized UTF-8 bytes; a token longer than
///    256 bytes is hashed in 256-byte chunks chained through the seed.
/// 8. Option labels are not tokens (``LayoutMarkup``): a word of one Latin letter (`a`, `B`,
///    the `c` of `(c)`), a Roman numeral from `ii` to `viii`, and a number of one or two digits
///    that starts its line (alone or in parentheses) and is followed by `.` or `)`. So the
///    layouts a multiple-choice item is copied in (`A. x`, `(A) x`, `a) x`, `1. x`, `(ii) x`)
///    give the tokens of its question and choices alone.
/// 9. HTML tags of text structure and style (`<p>`, `<br/>`, `<li class="q">`, `</td>`) are
///    separators, skipped whole; other `<` stay punctuation. In `contam-text/5` so are such tags
///    escaped into the text (`&lt;br /&gt;`).
/// 10. The escapes `\n`, `\r` and `\t` (a JSON or code string kept escaped in a text) are
///    separators, skipped whole (so `\neq` reads `eq` on both sides).
/// 11. A letter or number of another script that looks like one ASCII letter or digit folds to
///    it (Cyrillic `а` → `a`, Greek `ο` → `o`; see ``ScriptFold``).
/// 12. A Traditional Chinese character folds to its Simplified form, one for one.
/// 13. Letters drawn as symbols (`Ⓐ`, `⒜`, `🄰`, `🅐`, `🇦`) are the letters they show; and a
///    number label of rule 8 must be followed by white space (`23.56` on its own line keeps
///    its `23`); a LaTeX command that starts like an escape (`\neq`, `\right`, `\times`) is
///    not one (rule 10): it reads `neq`, like `\frac` reads `frac`.
/// 14. The name of a LaTeX command of presentation (`\text`, `\mathrm`, `\left`, `\big`,
///    `\frac`, `\dfrac`, `\quad`; ``LayoutMarkup/presentationCommands``) right after a
///    backslash is not a token, whatever script its letters are in, so the TeX source of a
///    math problem and the same problem rendered as text (`2/3`, `5 cm`, `(x)`) give the same
///    tokens. Commands with a meaning (`\sin`, `\le`, `\sqrt`, `\cdot`) stay words. `\n`,
///    `\r` and `\t` followed by letters that are no command stay the escapes of rule 10
///    (`\nThe` reads `the`; ``LayoutMarkup/isEscape(_:available:)``).
/// 15. A markdown link's target, `](` up to its `)` without white space, is skipped whole: a
///    question some of whose words are links (`[word](https://…)`) reads as the question.
/// 16. A JSON escape `\uXXXX` (a surrogate pair as one) is the character it stands for: a chat
///    record kept JSON-escaped in a text, written with `ensure_ascii`, reads as its text.
/// 17. A capital look-alike folds to the letter its own shape copies where its small letter
///    copies another (Greek `Ν` → `n`, `Υ` → `y`; ``ScriptFold/latin(_:capitalsByShape:)``).
/// 18. Math as a page renders it reads as its TeX (``MathSymbols``): a math symbol in math (not
///    between two words) is a token,
///    the name of the command that writes it (`≤` as `le`, `×` as `times`); a word of one Greek
///    letter that folds to no Latin letter is its command's name (`π` as `pi`), and such a
///    letter right after digits starts a word (`2π` as `2 pi`), and so does a superscript or
///    subscript after other text (`x²` as `x 2`, like `x^2`); command aliases read as one name
///    (`\leq` as `le`) and the dots commands are no token. A symbol first on its line and
///    followed by white space is a bullet (`· choice`), no token.
/// 19. A word hyphenated across a line break (`exam-⏎ple`: two ASCII letters, `-`, the break, a
///    small letter) is one word, as text extracted from a PDF keeps it
///    (``LayoutMarkup/lineBreakHyphen(_:count:at:)``).
///
/// 20. An HTML reference escaped twice (`&amp;nbsp;`, `&amp;#39;`, `&amp;quot;`) is the
///    reference (`&nbsp;`), and a tag escaped twice (`&amp;lt;br&amp;gt;`) is layout like the tag:
///    web text escaped once more on its way into a crawl reads as the text.
/// 21. Inline tags (`<b>`, `</span>`, `<wbr>`, `<a href="…">`; ``LayoutMarkup/inlineTagNames``)
///    between two parts of a word do not split it: `Na<b>ta</b>lia` reads `natalia`, as a browser
///    shows it.
/// 22. A Latin small capital (`ᴀ`, `ʀ`, `ꜰ`) is its letter, and a superscript or subscript letter
///    (`ᵃ`, `ᴺ`, `ₐ`) is a script like `²` (rule 18), so a word written in small capitals or in
///    superscript letters, as "fancy text" generators write them, reads as the word.
/// 23. A URL-encoded character (`%20`, `%2C`, `%C3%A9`, upper-case hex) is the character it
///    encodes: a question kept in a link's query string reads as the question.
/// 24. The Hangul fillers (`U+3164`, `U+115F`, `U+1160`, `U+FFA0`), letters that show nothing,
///    are ignored like the format characters of rule 5: one inside a word hides nothing.
///
/// 25. Text whose UTF-8 bytes were once read as Windows-1252 or Latin-1 and written out again
///    (mojibake: `â€™` for `’`, `Ã©` for `é`) reads as the characters it stands for
///    (``Mojibake``), so a copy on a crawled page with a broken encoding reads as the copy.
/// 26. A line's number before its text (`  12  def f(x):`, `3\tfor`, `14 | return`, an editor's
///    `  9 return x`; ``LayoutMarkup/isLineNumber(_:count:start:end:)``) is layout like an option
///    label: a listing copied with its line numbers reads as the listing.
/// 27. A subtitle cue's timing line (`00:03:41,200 --> 00:03:44,900`) and the cue's number alone
///    on the line before it (``LayoutMarkup/isSubtitleCue(_:count:start:end:)``) are layout: a
///    text read out as subtitles reads as the text.
/// 28. A citation mark's number after the text it marks (`Paris.[1] The`, `capital[12],`;
///    ``LayoutMarkup/isCitationMark(_:count:start:end:)``) is layout: a copy from an
///    encyclopedia's page reads without its marks.
/// 29. Quoted-printable, as mail archives keep it: a soft line break (`=` at a line's end) inside
///    a word does not split it, and a character written as its UTF-8 bytes (`=E2=80=99`) or
///    `=3D` reads as the character (``LayoutMarkup/quotedPrintableEscape(_:available:)``).
/// 30. A chat or meeting log's time stamp at a line's start (`[12:03:41]`, `12:03`) and the
///    `<speaker>` after it, where the line before or after starts with one too
///    (``LayoutMarkup/isLogStamp(_:count:start:end:)``), are layout: an item pasted into a chat
///    line by line reads as the item.
/// 31. A superscript or subscript letter goes on a word begun with one, or a lone `q`, the one
///    letter with no such form (`ˢqᵘᵃʳᵉ`, `qᵘᵃʳᵗᵉʳ` read `square`, `quarter`: fancy-text
///    generators leave `q` as it is), though after other text it starts a word (rule 18: `x²`,
///    `xⁿ`, `2ˣ`).
/// 32. Letter-spaced text spells its words: lone ASCII letters and digits one space apart
///    (`W h e r e   d o`, words two or more spaces apart) are one word, where three lone letters
///    one space apart start the run or lie within 64 bytes of it (`4 x 2 = 8` stays apart)
///    (``LayoutMarkup/startsLetterRun(_:count:at:)``).
///
/// Rules 1–7 are `contam-text/1`, 1–10 `contam-text/2`, 1–13 `contam-text/3`, 1–16
/// `contam-text/4`, 1–19 `contam-text/5`, 1–24 `contam-text/6`, 1–26 `contam-text/7`, 1–27
/// `contam-text/8`, 1–30 `contam-text/9`, 1–31 `contam-text/10`, 1–32 `contam-text/11`
/// (``TextVersion``);
/// a normalizer follows one version, and ``shared`` follows ``TextVersion/current``.
///
/// The fold of every BMP scalar is computed once into a table (about 50 ms); scalars above the
/// BMP are folded on demand. Instances are immutable and shared across threads.
public final class Normalizer: @unchecked Sendable {
  /// The name of the current version of the rules (``TextVersion/current``).
  public static var version: String { TextVersion.current.name }

  /// The normalizer of the current version, shared process-wide.
  public static let shared = Normalizer(version: .current)
  private static let _v10 = Normalizer(version: .v10)
  private static let _v9 = Normalizer(version: .v9)
  private static let _v8 = Normalizer(version: .v8)
  private static let _v7 = Normalizer(version: .v7)
  private static let _v6 = Normalizer(version: .v6)
  private static let _v5 = Normalizer(version: .v5)
  private static let _v4 = Normalizer(version: .v4)
  private static let _v3 = Normalizer(version: .v3)
  private static let _v2 = Normalizer(version: .v2)
  private static let _v1 = Normalizer(version: .v1)

  /// Starts building the process-wide normalizer of `version` on another thread, so that the
  /// first ``of(_:)`` waits only for what is left of it: for a caller with other work first
  /// (reading benchmarks, an index cache).
  public static func prepare(_ version: TextVersion) {
    DispatchQueue.global().async { _ = of(version) }
  }

  /// The process-wide normalizer of `version` (built on first use, about 50 ms).
  public static func of(_ version: TextVersion) -> Normalizer {
    switch version {
    case .v1: return _v1
    case .v2: return _v2
    case .v3: return _v3
    case .v4: return _v4
    case .v5: return _v5
    case .v6: return _v6
    case .v7: return _v7
    case .v8: return _v8
    case .v9: return _v9
    case .v10: return _v10
    case .v11: return shared
    }
  }

  /// The rules this normalizer follows.
  public let textVersion: TextVersion
  /// Whether option labels, layout tags and escapes are skipped (rules 8–10).
  @usableFromInline let skipsLayoutMarkup: Bool
  /// Whether LaTeX command names are skipped (rule 14).
  @usableFromInline let skipsLatexCommands: Bool
  /// Whether a word hyphenated across a line break is one word (rule 19).
  @usableFromInline let joinsLineBreakHyphens: Bool
  /// Whether an HTML tag escaped into the text is layout (rule 9, `contam-text/5`).
  @usableFromInline let skipsEscapedTags: Bool
  /// Whether references escaped twice, inline tags inside words and URL-encoded characters read
  /// as the text they stand for (rules 20, 21 and 23, `contam-text/6`).
  @usableFromInline let readsEncodedText: Bool
  /// Whether mojibake reads as the characters it stands for (rule 25, `contam-text/7`).
  @usableFromInline let readsMisdecodedText: Bool

  /// How a scalar takes part in tokenization.
  public enum Kind: UInt8, Sendable {
    /// Ends the current word.
    case separator = 0
    /// Adds its folded bytes to the current word (zero bytes: ignored, the word goes on);
    /// a space inside the folded bytes ends the word there (`½` → `1 2`).
    case word = 1
    /// A token on its own (ideograph, kana, Hangul syllable).
    case single = 2
  }

  /// ASCII: 0 = separator, 0xFF = `&` (maybe an entity) or, from `contam-text/6`, `%` (maybe a
  /// URL-encoded character) or, from `contam-text/9`, `=` (maybe quoted-printable), else the
  /// lower-cased word byte.
  @usableFromInline let ascii: UnsafeMutablePointer<UInt8>
  /// Per BMP scalar: kind in bits 30-31, folded length in bits 24-29, pool offset in bits 0-23.
  @usableFromInline let bmp: UnsafeMutablePointer<UInt32>
  @usableFromInline let pool: UnsafeMutablePointer<UInt8>
  let poolCount: Int

  private init(version: TextVersion) {
    textVersion = version
    skipsLayoutMarkup = version.skipsLayoutMarkup
    skipsLatexCommands = version.skipsLatexCommands
    joinsLineBreakHyphens = version.joinsLineBreakHyphens
    skipsEscapedTags = version.skipsEscapedTags
    readsEncodedText = version.readsEncodedText
    readsMisdecodedText = version.readsMisdecodedText
    ascii = .allocate(capacity: 128)
    for b in 0..<128 {
      let c = UInt8(b)
      switch c {
      case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"): ascii[b] = c
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): ascii[b] = c + 32
      case UInt8(ascii: "&"): ascii[b] = 0xFF
      case UInt8(ascii: "%") where version.readsEncodedText: ascii[b] = 0xFF
      case UInt8(ascii: "=") where version.readsQuotedPrintable: ascii[b] = 0xFF
      default: ascii[b] = 0
      }
    }
    bmp = .allocate(capacity: 0x10000)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(300_000)
    for v in 0..<0x10000 {
      guard v >= 0x80, let scalar = Unicode.Scalar(UInt32(v)) else {
        bmp[v] = 0
        continue
      }
      let (kind, folded) = Normalizer.fold(scalar, version: version)
      precondition(folded.count < 64 && bytes.count < (1 << 24))
      bmp[v] = UInt32(kind.rawValue) << 30 | UInt32(folded.count) << 24 | UInt32(bytes.count)
      bytes.append(contentsOf: folded)
    }
    poolCount = bytes.count
    pool = .allocate(capacity: max(1, bytes.count))
    pool.initialize(from: bytes, count: bytes.count)
  }

  deinit {
    ascii.deallocate()
    bmp.deallocate()
    pool.deallocate()
  }

  /// The kind and folded UTF-8 bytes of one scalar under `version`, computed from Unicode
  /// properties (the definition the table is built from).
  public static func fold(_ scalar: Unicode.Scalar, version: TextVersion = .current) -> (kind: Kind, bytes: [UInt8]) {
    if scalar.isASCII {
      let c = UInt8(scalar.value)
      switch c {
      case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"): return (.word, [c])
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): return (.word, [c + 32])
      default: return (.separator, [])
      }
    }
    if version.readsRenderedMath, let name = MathSymbols.symbolNames[scalar.value] {
      // Rule 18: a math symbol is a token, the name of the TeX command that writes it.
      return (.single, Array(name.utf8))
    }
    if version.readsEncodedText {
      // Rule 22: a small capital (`ᴀ`, `ʀ`, `ꜰ`) is its letter.
      if let letter = smallCapital(scalar) { return (.word, [letter]) }
      // Rule 24: the Hangul fillers, letters that show nothing, are ignored like format characters.
      if [0x115F, 0x1160, 0x3164, 0xFFA0].contains(scalar.value) { return (.word, []) }
    }
    let folds = version.foldsScripts
    let category = scalar.properties.generalCategory
    switch category {
    case .format: return (.word, [])
    case .nonspacingMark, .enclosingMark: return (.word, [])
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
      .spacingMark, .decimalNumber, .letterNumber, .otherNumber:
      break
    case .otherSymbol where folds:
      // Rule 13: a letter drawn as a symbol reads as that letter.
      guard let letters = ScriptFold.letters(ofSymbol: scalar) else { return (.separator, []) }
      let out = foldWord(letters, folds: true)
      return out.isEmpty ? (.separator, []) : (.word, out)
    default: return (.separator, [])
    }
    if isSingleTokenScript(scalar) {
      let character = folds ? ScriptFold.simplified(scalar) : scalar
      // Unified ideographs and Hangul syllables have no compatibility decomposition: their NFKC
      // is themselves (``composesToItself(_:)``; most of the BMP's letters, skipped quickly).
      if composesToItself(character) { return (.single, Array(String(character).utf8)) }
      let composed = String(Character(character)).precomposedStringWithCompatibilityMapping
      return (.single, Array(composed.utf8))
    }
    let out = foldWord(String(Character(scalar)), folds: folds, capitalsByShape: version.readsRenderedMath)
    return (.word, out)
  }

  /// NFKD, marks dropped, each letter or number lower-cased (or, with `folds`, replaced by the
  /// ASCII letter it looks like); anything else becomes one space between the parts.
  private static func foldWord(_ text: String, folds: Bool, capitalsByShape: Bool = false) -> [UInt8] {
    var out: [UInt8] = []
    for part in text.decomposedStringWithCompatibilityMapping.unicodeScalars {
      switch part.properties.generalCategory {
      case .nonspacingMark, .enclosingMark, .format: continue
      case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
        .spacingMark, .decimalNumber, .letterNumber, .otherNumber:
        if part == "ß" || part == "ẞ" {
          out += [UInt8(ascii: "s"), UInt8(ascii: "s")]
          continue
        }
        if folds, let latin = ScriptFold.latin(part, capitalsByShape: capitalsByShape) {
          out.append(latin)
          continue
        }
        for lower in part.properties.lowercaseMapping.unicodeScalars
        where lower.properties.generalCategory != .nonspacingMark {
          out += Array(String(lower).utf8)
        }
      default:
        if let last = out.last, last != 0x20 { out.append(0x20) }
      }
    }
    while out.last == 0x20 { out.removeLast() }
    return out
  }

  /// The letter (lower case) a Latin small capital is (`ᴀ` → `a`, `ʀ` → `r`, `ꜱ` → `s`):
  /// a scalar named `LATIN LETTER SMALL CAPITAL` and one letter, else nil. Its own letter, where
  /// its shape alone would read another (rule 11 takes `ᴄ` `ᴏ` `ᴠ` for `c` `o` `v`, not `ᴀ`).
  static func smallCapital(_ scalar: Unicode.Scalar) -> UInt8? {
    switch scalar.value {
    case 0x0250...0x02AF, 0x1D00...0x1D2B, 0xA730...0xA7FF, 0x1DF00...0x1DFFF: break
    default: return nil
    }
    let prefix = "LATIN LETTER SMALL CAPITAL "
    guard let name = scalar.properties.name, name.hasPrefix(prefix), name.utf8.count == prefix.utf8.count + 1,
      let letter = name.utf8.last, letter >= UInt8(ascii: "A"), letter <= UInt8(ascii: "Z")
    else { return nil }
    return letter + 32
  }

  /// Whether `scalar`'s NFKC form is itself for certain, from its block: CJK Unified
  /// Ideographs and their Extension A, and Hangul syllables (which NFKC composes back).
  @_spi(Testing) public static func composesToItself(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7A3: return true
    default: return false
    }
  }

  /// Ideographs, kana and Hangul syllables: scripts written without spaces between words,
  /// where one character is one token.
  static func isSingleTokenScript(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.properties.isIdeographic { return true }
    switch scalar.value {
    case 0x3040...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9D, 0xAC00...0xD7A3: return true
    default: return false
    }
  }

  /// The kind and folded bytes of a scalar value, from the table for the BMP.
  /// The returned pointer stays valid for the life of the normalizer (or is `buffer` for
  /// scalars above the BMP, which must hold 64 bytes).
  @inlinable @inline(__always)
  func lookup(_ value: UInt32) -> (kind: UInt32, start: UnsafePointer<UInt8>, count: Int) {
    let entry = bmp[Int(value)]
    return (entry >> 30, UnsafePointer(pool + Int(entry & 0x00FF_FFFF)), Int((entry >> 24) & 0x3F))
  }
}
