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
///    separators, skipped whole; other `<` stay punctuation.
/// 10. The escapes `\n`, `\r` and `\t` (a JSON or code string kept escaped in a text) are
///    separators, skipped whole (so `\neq` reads `eq` on both sides).
///
/// The fold of every BMP scalar is computed once into a table (about 50 ms); scalars above the
/// BMP are folded on demand. Instances are immutable and shared across threads.
public final class Normalizer: @unchecked Sendable {
  /// The version of the rules above. Any change to the rules that can change a token changes it.
  public static let version = "contam-text/2"

  /// A one-line statement of the rules, for results and `--help`.
  public static let summary =
    "UTF-8; HTML entities decoded; NFKD, combining marks dropped, lower-cased (ß→ss); letters and digits form words; punctuation, symbols and whitespace separate; format characters ignored; CJK ideographs, kana and Hangul syllables one token each (NFKC); token hash XXH3-64 seed 0 of the normalized bytes; option labels (one letter, ii-viii, a line-leading 1. or (2)), HTML layout tags and \\n \\r \\t escapes skipped"

  /// The process-wide instance.
  public static let shared = Normalizer()

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

  /// ASCII: 0 = separator, 0xFF = `&` (maybe an entity), else the lower-cased word byte.
  @usableFromInline let ascii: UnsafeMutablePointer<UInt8>
  /// Per BMP scalar: kind in bits 30-31, folded length in bits 24-29, pool offset in bits 0-23.
  @usableFromInline let bmp: UnsafeMutablePointer<UInt32>
  @usableFromInline let pool: UnsafeMutablePointer<UInt8>
  let poolCount: Int

  private init() {
    ascii = .allocate(capacity: 128)
    for b in 0..<128 {
      let c = UInt8(b)
      switch c {
      case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"): ascii[b] = c
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): ascii[b] = c + 32
      case UInt8(ascii: "&"): ascii[b] = 0xFF
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
      let (kind, folded) = Normalizer.fold(scalar)
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

  /// The kind and folded UTF-8 bytes of one scalar, computed from Unicode properties (the
  /// definition the table is built from).
  public static func fold(_ scalar: Unicode.Scalar) -> (kind: Kind, bytes: [UInt8]) {
    if scalar.isASCII {
      let c = UInt8(scalar.value)
      switch c {
      case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"): return (.word, [c])
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): return (.word, [c + 32])
      default: return (.separator, [])
      }
    }
    let category = scalar.properties.generalCategory
    switch category {
    case .format: return (.word, [])
    case .nonspacingMark, .enclosingMark: return (.word, [])
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
      .spacingMark, .decimalNumber, .letterNumber, .otherNumber:
      break
    default: return (.separator, [])
    }
    if isSingleTokenScript(scalar) {
      let composed = String(Character(scalar)).precomposedStringWithCompatibilityMapping
      return (.single, Array(composed.utf8))
    }
    var out: [UInt8] = []
    let decomposed = String(Character(scalar)).decomposedStringWithCompatibilityMapping
    for part in decomposed.unicodeScalars {
      switch part.properties.generalCategory {
      case .nonspacingMark, .enclosingMark, .format: continue
      case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
        .spacingMark, .decimalNumber, .letterNumber, .otherNumber:
        if part == "ß" || part == "ẞ" {
          out += [UInt8(ascii: "s"), UInt8(ascii: "s")]
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
    if out.isEmpty { return (.word, []) }
    return (.word, out)
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
