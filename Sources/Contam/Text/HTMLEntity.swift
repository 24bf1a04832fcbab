/// Decodes one HTML character reference at the start of a byte range.
///
/// Numeric references (`&#39;`, `&#x2019;`) are decoded for any valid scalar; named ones for
/// the set below, which covers what web text carries in practice (the markup-significant five,
/// spaces and dashes, quotes, common symbols and the Latin-1 letters). A reference needs its
/// closing `;`; anything else is not a reference and `&` is then punctuation.
public enum HTMLEntity {
  /// The named references Contam decodes, name → scalar value.
  public static let named: [String: UInt32] = {
    var table: [String: UInt32] = [
      "amp": 0x26, "lt": 0x3C, "gt": 0x3E, "quot": 0x22, "apos": 0x27, "nbsp": 0xA0,
      "ensp": 0x2002, "emsp": 0x2003, "thinsp": 0x2009, "ndash": 0x2013, "mdash": 0x2014,
      "lsquo": 0x2018, "rsquo": 0x2019, "sbquo": 0x201A, "ldquo": 0x201C, "rdquo": 0x201D,
      "bdquo": 0x201E, "hellip": 0x2026, "laquo": 0xAB, "raquo": 0xBB, "lsaquo": 0x2039,
      "rsaquo": 0x203A, "prime": 0x2032, "Prime": 0x2033, "bull": 0x2022, "middot": 0xB7,
      "copy": 0xA9, "reg": 0xAE, "trade": 0x2122, "deg": 0xB0, "times": 0xD7, "divide": 0xF7,
      "plusmn": 0xB1, "minus": 0x2212, "le": 0x2264, "ge": 0x2265, "ne": 0x2260,
      "frac12": 0xBD, "frac14": 0xBC, "frac34": 0xBE, "sup2": 0xB2, "sup3": 0xB3,
      "cent": 0xA2, "pound": 0xA3, "euro": 0x20AC, "yen": 0xA5, "sect": 0xA7, "para": 0xB6,
      "shy": 0xAD, "iexcl": 0xA1, "iquest": 0xBF, "szlig": 0xDF, "micro": 0xB5,
      "alpha": 0x3B1, "beta": 0x3B2, "gamma": 0x3B3, "delta": 0x3B4, "pi": 0x3C0,
      "sigma": 0x3C3, "theta": 0x3B8, "lambda": 0x3BB, "mu": 0x3BC, "omega": 0x3C9,
    ]
    // Latin-1 letters: &Aacute; … &yuml;, derived from their Unicode names.
    let accents: [(String, [Character: UInt32])] = [
      ("acute", ["A": 0xC1, "E": 0xC9, "I": 0xCD, "O": 0xD3, "U": 0xDA, "Y": 0xDD,
                 "a": 0xE1, "e": 0xE9, "i": 0xED, "o": 0xF3, "u": 0xFA, "y": 0xFD]),
      ("grave", ["A": 0xC0, "E": 0xC8, "I": 0xCC, "O": 0xD2, "U": 0xD9,
                 "a": 0xE0, "e": 0xE8, "i": 0xEC, "o": 0xF2, "u": 0xF9]),
      ("circ", ["A": 0xC2, "E": 0xCA, "I": 0xCE, "O": 0xD4, "U": 0xDB,
                "a": 0xE2, "e": 0xEA, "i": 0xEE, "o": 0xF4, "u": 0xFB]),
      ("uml", ["A": 0xC4, "E": 0xCB, "I": 0xCF, "O": 0xD6, "U": 0xDC,
               "a": 0xE4, "e": 0xEB, "i": 0xEF, "o": 0xF6, "u": 0xFC, "y": 0xFF]),
      ("tilde", ["A": 0xC3, "N": 0xD1, "O": 0xD5, "a": 0xE3, "n": 0xF1, "o": 0xF5]),
      ("ring", ["A": 0xC5, "a": 0xE5]),
      ("cedil", ["C": 0xC7, "c": 0xE7]),
      ("slash", ["O": 0xD8, "o": 0xF8]),
    ]
    for (suffix, letters) in accents {
      for (letter, value) in letters { table["\(letter)\(suffix)"] = value }
    }
    table["AElig"] = 0xC6
    table["aelig"] = 0xE6
    return table
  }()

  /// The longest reference looked at, `&` and `;` included.
  public static let maximumLength = 12

  /// The longest reference escaped two or three times that `decode(_:available:twice:)` reads:
  /// `&amp;amp;` and the longest reference's rest.
  public static let maximumEscapedLength = 9 + maximumLength - 1

  /// Decodes the reference at `start` (which must point at `&`).
  /// - Parameters:
  ///   - start: the `&` byte.
  ///   - available: bytes readable from `start`.
  ///   - twice: whether a reference escaped once more reads as the reference (rule 20,
  ///     `contam-text/6`): `&amp;nbsp;` is `&nbsp;`, `&amp;#39;` is `&#39;`, as text escaped
  ///     twice on its way into a crawl shows them (three times too); `&amp;` followed by no
  ///     reference stays `&`.
  /// - Returns: the scalar value and the reference's length in bytes, or nil if the bytes
  ///   are not a reference Contam decodes.
  public static func decode(_ start: UnsafePointer<UInt8>, available: Int, twice: Bool = false) -> (value: UInt32, length: Int)? {
    guard available >= 4, start[0] == UInt8(ascii: "&"), var (value, length) = body(start + 1, available: available - 1)
    else { return nil }
    length += 1
    // `&amp;` then the rest of a reference (`nbsp;`), or escaped three times (`&amp;amp;nbsp;`).
    var levels = 0
    while twice && value == 0x26 && levels < 2, let (inner, more) = body(start + length, available: available - length) {
      value = inner
      length += more
      levels += 1
    }
    return (value, length)
  }

  /// A reference after its `&`: `#39;`, `#x2019;` or `nbsp;`; its value and length, `;` included.
  static func body(_ start: UnsafePointer<UInt8>, available: Int) -> (value: UInt32, length: Int)? {
    let limit = min(available, maximumLength - 1)
    guard limit >= 3 else { return nil }
    var end = 0
    while end < limit && start[end] != UInt8(ascii: ";") { end += 1 }
    guard end < limit, end > 0 else { return nil }
    if start[0] == UInt8(ascii: "#") {
      var value: UInt32 = 0
      var i = 1
      let hex = i < end && (start[i] | 0x20) == UInt8(ascii: "x")
      if hex { i += 1 }
      guard i < end else { return nil }
      while i < end {
        let c = start[i]
        let digit: UInt32
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f") where hex: digit = UInt32(c - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F") where hex: digit = UInt32(c - UInt8(ascii: "A") + 10)
        default: return nil
        }
        value = value * (hex ? 16 : 10) + digit
        if value > 0x10FFFF { return nil }
        i += 1
      }
      guard value != 0, Unicode.Scalar(value) != nil else { return nil }
      return (value, end + 1)
    }
    for i in 0..<end {
      let c = start[i]
      let isAlnum = (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A)
      if !isAlnum { return nil }
    }
    let name = String(decoding: UnsafeBufferPointer(start: start, count: end), as: UTF8.self)
    guard let value = named[name] else { return nil }
    return (value, end + 1)
  }
}
