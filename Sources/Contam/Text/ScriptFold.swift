/// The folds `contam-text/3` adds (``Normalizer`` rules 11–13): text that changed its script on
/// the way into a corpus compares equal to the original.
///
/// - **Look-alike letters** (rule 11). A letter or number of another script that Unicode TR39
///   lists as confusable with one plain ASCII letter or digit folds to it: Cyrillic `а е о р с х у
///   і ј ѕ һ`, Greek `α ι ν ο ρ υ`, Cherokee, Lisu, small capitals, `ı`. The pair of cases decides
///   together (the lower-case letter's prototype first, else the upper-case one's), so
///   `Н` and `н` both fold to `h` and Russian stays case-insensitive. Left out, because they
///   would merge distinct words of the scripts they belong to: prototypes with marks (`θ` is an
///   `O` with a stroke), of several letters (`ы` → `bl`) and letters that look like digits
///   (`б` → `6`, `З` → `3`). On the Russian, Ukrainian and Greek translations shipped with
///   Debian (25,000–31,000 distinct words each) no two words of the same script merge; the
///   words that do merge are a word and its Latin spelling (`сервер` and a mistyped `cервер`).
/// - **Traditional Chinese** (rule 12). A Traditional character folds to its Simplified form,
///   one character for one (OpenCC's character table, first candidate), so every token keeps its
///   byte range. Japanese kanji that are Traditional forms (`後`, `時`) fold too; both sides of
///   a comparison fold alike.
/// - **Letters drawn as symbols** (rule 13). Symbols whose compatibility decomposition is one
///   letter or digit (`Ⓐ` `ⓐ` `⒜` `🄰`), and the negative circled, negative squared and
///   regional-indicator letters (`🅐` `🅰` `🇦`), which have none, read as those letters.
///
/// Folds apply to text outside ASCII only, so the ASCII fast path does no new work. ASCII
/// look-alikes (`0` for `O`, `1` for `l`) are not folded. (Two other rules of `contam-text/3`
/// do change ASCII text: a number label needs white space after it, and LaTeX commands such as
/// `\neq` are not escapes; see ``Normalizer``.)
public enum ScriptFold {
  /// The ASCII letter or digit (lower case) a look-alike folds to, or nil.
  /// With `capitalsByShape` (rule 17, `contam-text/5`), a capital letter folds to the letter its
  /// own shape copies where the pair's small letter copies another: Greek `Ν` reads `n` and `Υ`
  /// reads `y` (their small forms `ν`, `υ` still read `v`, `u`). A capital whose prototype is `l`
  /// (`Ι`, `І`, TR39's prototype of `I`) still folds with its small letter, to `i`.
  public static func latin(_ scalar: Unicode.Scalar, capitalsByShape: Bool = false) -> UInt8? {
    guard !scalar.isASCII else { return nil }
    let table = _tables.confusables
    if capitalsByShape, scalar.properties.generalCategory == .uppercaseLetter, let own = table[scalar.value],
      own != UInt8(ascii: "l")
    {
      return own
    }
    let properties = scalar.properties
    for form in [properties.lowercaseMapping, properties.uppercaseMapping] {
      let scalars = form.unicodeScalars
      if scalars.count == 1, let folded = table[scalars.first!.value] { return folded }
    }
    return table[scalar.value]
  }

  /// The Simplified form of a Traditional Chinese character, or the character itself.
  public static func simplified(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    guard let value = _tables.simplified[scalar.value], let folded = Unicode.Scalar(value) else { return scalar }
    return folded
  }

  /// The letter a symbol is drawn as (`Ⓐ` → `A`, `⒜` → `(a)`), or nil when it is no single
  /// letter or digit.
  /// The caller folds the result like any text.
  public static func letters(ofSymbol scalar: Unicode.Scalar) -> String? {
    switch scalar.value {
    case 0x1F150...0x1F169, 0x1F170...0x1F189:  // negative circled / squared A-Z
      return String(Character(Unicode.Scalar(0x61 + (scalar.value - 0x1F150) % 0x20)!))
    case 0x1F1E6...0x1F1FF:  // regional indicators A-Z
      return String(Character(Unicode.Scalar(0x61 + scalar.value - 0x1F1E6)!))
    default:
      break
    }
    guard scalar.properties.changesWhenNFKCCaseFolded else { return nil }
    let decomposed = String(Character(scalar)).decomposedStringWithCompatibilityMapping
    // One letter or digit in a circle, a square or parentheses; not a symbol that spells a
    // word (`™` → `TM`, `㎏` → `kg`), which would join the word it is written after.
    let letters = decomposed.unicodeScalars.filter { $0.properties.isAlphabetic || $0.properties.numericType != nil }
    guard letters.count == 1, decomposed.unicodeScalars.first != scalar else { return nil }
    return decomposed
  }

  /// The two tables, parsed once from ``_FoldTables``.
  private static let _tables = _Tables()

  private struct _Tables: Sendable {
    let confusables: [UInt32: UInt8]
    let simplified: [UInt32: UInt32]

    init() {
      confusables = Dictionary(uniqueKeysWithValues: _Tables.pairs(_FoldTables.confusables).map { ($0, UInt8($1)) })
      simplified = Dictionary(uniqueKeysWithValues: _Tables.pairs(_FoldTables.traditionalToSimplified))
    }

    /// `SOURCE:TARGET` pairs of hexadecimal code points, separated by white space.
    static func pairs(_ text: String) -> [(UInt32, UInt32)] {
      text.split(whereSeparator: \.isWhitespace).map { cell in
        let halves = cell.split(separator: ":")
        precondition(halves.count == 2, "malformed fold table cell \(cell)")
        return (UInt32(halves[0], radix: 16)!, UInt32(halves[1], radix: 16)!)
      }
    }
  }
}
