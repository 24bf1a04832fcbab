/// Rule 25 (`contam-text/7`): text whose UTF-8 bytes were once read as Windows-1252 (or
/// Latin-1) and written out again as UTF-8 ("mojibake"), as crawled pages often are: `’` became
/// `â€™`, `é` became `Ã©`, a non-breaking space `Â `. Each such run reads as the one character it
/// stands for, so `Timothyâ€™s` gives the tokens of `Timothy’s` (`timothy`, `s`), not
/// `timothya`, `tm`, `s`.
///
/// A run is a character from `Â` to `ô` (U+00C2–U+00F4: the bytes that start a UTF-8 sequence
/// of 2 to 4 bytes, read one for one) followed by as many characters as that sequence has
/// continuation bytes, each the Windows-1252 (or Latin-1) reading of a byte 0x80–0xBF (`€`,
/// `™`, `©`, `¢`, a C1 control …), and the bytes must be valid UTF-8 for a character beyond
/// ASCII. Text where such a run is real (`Ã` then `©` with nothing between) is vanishingly rare;
/// the one common case, a letter or `×` before a no-break space, is left alone (a no-break space
/// continues only `Â` and `Ã`). 84 MB of the shared real text hold no run at all; MMLU's
/// professional-law questions hold 17 real ones (`fiancÃ©e`), which now read as the corpus's
/// `fiancée` does.
/// One case more: `â€` followed by anything else is the General Punctuation character whose
/// third byte (0x9D for `”`, one of the five Windows-1252 leaves undefined) was dropped on the
/// way; it reads as `”`, punctuation that separates.
///
/// Rule 18 still decides from the bytes beside a math symbol whether it stands in math: a
/// misread symbol beside another misread one (`n â†’ âˆž` for `n → ∞`) sees no math there and
/// reads as text would; one beside digits, brackets or a lone letter (`x â‰¤ 2`) is a token.
public enum Mojibake {
  /// The character the run at `p` stands for and the run's length in bytes, or nil when no run
  /// starts at `p`.
  @inlinable
  public static func decode(_ p: UnsafePointer<UInt8>, available: Int) -> (value: UInt32, length: Int)? {
    // The first character, U+00C2...U+00F4, is C3 82...C3 B4 in UTF-8.
    guard available >= 4, p[0] == 0xC3, p[1] >= 0x82, p[1] <= 0xB4 else { return nil }
    let lead = p[1] &+ 0x40  // the byte it is read from: 0xC2...0xF4
    let continuations = lead < 0xE0 ? 1 : lead < 0xF0 ? 2 : 3
    var bytes: (UInt8, UInt8, UInt8, UInt8) = (lead, 0, 0, 0)
    var at = 2
    for k in 0..<continuations {
      let (value, length) = at < available && p[at] >= 0x80 ? _UTF8.decode(p + at, available: available &- at) : (0, 0)
      // A no-break space continues only `Â` (itself) and `Ã` (`à`): after another letter it is
      // typography (`25 × 10`, `« café »` with no-break spaces), not a byte misread.
      guard length > 0, let byte = continuationByte(value), byte != 0xA0 || lead <= 0xC3 else {
        // `â€` and no third: `”` whose 0x9D was dropped.
        if lead == 0xE2 && k == 1 && bytes.1 == 0x80 { return (0x201D, at) }
        return nil
      }
      switch k {
      case 0: bytes.1 = byte
      case 1: bytes.2 = byte
      default: bytes.3 = byte
      }
      at &+= length
    }
    let count = continuations &+ 1
    return withUnsafeBytes(of: &bytes) { raw -> (value: UInt32, length: Int)? in
      let (value, length) = _UTF8.decode(raw.baseAddress!.assumingMemoryBound(to: UInt8.self), available: count)
      return length == count && value >= 0x80 ? (value, at) : nil
    }
  }

  /// The byte 0x80...0xBF that `value` is the Windows-1252 reading of (or the Latin-1 one: C1
  /// controls for the five bytes Windows-1252 leaves undefined), else nil.
  @inlinable
  public static func continuationByte(_ value: UInt32) -> UInt8? {
    if value >= 0x80 && value <= 0xBF { return UInt8(value) }
    switch value {
    case 0x20AC: return 0x80
    case 0x201A: return 0x82
    case 0x0192: return 0x83
    case 0x201E: return 0x84
    case 0x2026: return 0x85
    case 0x2020: return 0x86
    case 0x2021: return 0x87
    case 0x02C6: return 0x88
    case 0x2030: return 0x89
    case 0x0160: return 0x8A
    case 0x2039: return 0x8B
    case 0x0152: return 0x8C
    case 0x017D: return 0x8E
    case 0x2018: return 0x91
    case 0x2019: return 0x92
    case 0x201C: return 0x93
    case 0x201D: return 0x94
    case 0x2022: return 0x95
    case 0x2013: return 0x96
    case 0x2014: return 0x97
    case 0x02DC: return 0x98
    case 0x2122: return 0x99
    case 0x0161: return 0x9A
    case 0x203A: return 0x9B
    case 0x0153: return 0x9C
    case 0x017E: return 0x9E
    case 0x0178: return 0x9F
    default: return nil
    }
  }
}
