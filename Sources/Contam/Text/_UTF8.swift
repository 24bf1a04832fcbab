/// Strict UTF-8 decoding of one scalar (no overlongs, no surrogates, nothing past U+10FFFF).
@usableFromInline
enum _UTF8 {
  /// Decodes the scalar at `p` (whose first byte is >= 0x80).
  /// - Returns: the scalar value and its length, or length 0 if the bytes are not valid UTF-8.
  @inlinable @inline(__always)
  static func decode(_ p: UnsafePointer<UInt8>, available: Int) -> (UInt32, Int) {
    let b0 = p[0]
    @inline(__always) func cont(_ k: Int) -> UInt32? {
      guard k < available else { return nil }
      let c = p[k]
      return c & 0xC0 == 0x80 ? UInt32(c & 0x3F) : nil
    }
    switch b0 {
    case 0xC2...0xDF:
      guard let c1 = cont(1) else { return (0, 0) }
      return (UInt32(b0 & 0x1F) << 6 | c1, 2)
    case 0xE0...0xEF:
      guard available >= 3, let c1 = cont(1), let c2 = cont(2) else { return (0, 0) }
      let v = UInt32(b0 & 0x0F) << 12 | c1 << 6 | c2
      if v < 0x800 || (v >= 0xD800 && v <= 0xDFFF) { return (0, 0) }
      return (v, 3)
    case 0xF0...0xF4:
      guard available >= 4, let c1 = cont(1), let c2 = cont(2), let c3 = cont(3) else { return (0, 0) }
      let v = UInt32(b0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3
      if v < 0x10000 || v > 0x10FFFF { return (0, 0) }
      return (v, 4)
    default:
      return (0, 0)
    }
  }
}
