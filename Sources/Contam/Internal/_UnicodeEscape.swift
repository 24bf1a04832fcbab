/// A JSON `\uXXXX` escape read from bytes, a surrogate pair (`\ud83d\ude00`) as one scalar. The
/// one reader of it: JSON string bodies (`JSONString`) and escaped text inside a document
/// (`LayoutMarkup.unicodeEscape`, rule 16 of `contam-text/4`).
@usableFromInline
enum _UnicodeEscape {
  @usableFromInline
  enum Reading: Equatable {
    /// A scalar and the bytes its escape (or pair of escapes) spans.
    case scalar(UInt32, length: Int)
    /// A surrogate without its partner, and the six bytes of its escape.
    case lone(length: Int)
  }

  /// The escape at `p[at...]` (`p[at]` is a backslash), or nil when it is no `\u` with four hex
  /// digits within `count` bytes.
  @inlinable
  static func read(_ p: UnsafePointer<UInt8>, at: Int, count n: Int) -> Reading? {
    guard let unit = hex4(p, at, n) else { return nil }
    if unit >= 0xD800 && unit < 0xDC00, let low = hex4(p, at + 6, n), low >= 0xDC00 && low < 0xE000 {
      return .scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), length: 12)
    }
    if unit >= 0xD800 && unit < 0xE000 { return .lone(length: 6) }
    return .scalar(unit, length: 6)
  }

  /// The four hex digits of `\uXXXX` at `p[at...]`, or nil.
  @inlinable
  static func hex4(_ p: UnsafePointer<UInt8>, _ at: Int, _ n: Int) -> UInt32? {
    guard at + 6 <= n, p[at] == 0x5C, p[at + 1] == UInt8(ascii: "u") else { return nil }
    var value: UInt32 = 0
    for k in at + 2..<at + 6 {
      let c = p[k]
      let digit: UInt32
      switch c {
      case 0x30...0x39: digit = UInt32(c - 0x30)
      case 0x41...0x46: digit = UInt32(c - 0x41 + 10)
      case 0x61...0x66: digit = UInt32(c - 0x61 + 10)
      default: return nil
      }
      value = value << 4 | digit
    }
    return value
  }
}
