/// Decoding of JSON string bodies.
@_spi(Testing) public enum JSONString {
  /// The byte written for a lone UTF-16 surrogate (`\ud800` with no partner) or a bad escape:
  /// 0xFF is never valid UTF-8, so the tokenizer counts it as an invalid byte and a separator.
  public static let invalidMarker: UInt8 = 0xFF

  /// Decodes the body of a JSON string (the bytes between its quotes) into UTF-8, appending
  /// to `output`: `\n \t \r \b \f \" \\ \/`, and `\uXXXX` including surrogate pairs.
  /// - Returns: the number of bad escapes and lone surrogates met (each written as
  ///   ``invalidMarker``).
  @discardableResult
  public static func unescape(_ body: UnsafeRawBufferPointer, into output: inout [UInt8]) -> Int {
    let start = output.count
    output.reserveCapacity(start + body.count)
    // A decoded body is never longer than the escaped one.
    output.append(contentsOf: repeatElement(0, count: body.count))
    var bad = 0
    let written = output.withUnsafeMutableBufferPointer { out in
      unescape(body, into: out.baseAddress! + start, bad: &bad)
    }
    output.removeLast(body.count - written)
    return bad
  }

  /// The closing quote of the string whose body starts at `start` in `base[0..<n]` (the first
  /// `"` not escaped by an odd run of backslashes), found quote to quote with memchr; nil when
  /// the string does not end.
  @inline(__always)
  static func closingQuote(_ base: UnsafePointer<UInt8>, count n: Int, bodyStart start: Int) -> Int? {
    var p = start
    while p < n {
      guard let hit = memchr(base + p, 0x22, n - p) else { return nil }
      let q = UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - base
      var backslashes = 0
      while q - backslashes - 1 >= start && base[q - backslashes - 1] == 0x5C { backslashes += 1 }
      if backslashes % 2 == 0 { return q }
      p = q + 1
    }
    return nil
  }

  /// Decodes `body` into `out`, which must have room for `body.count` bytes. `out` may be
  /// `body`'s own first byte (decoding in place): each step writes no more bytes than it read,
  /// behind where it reads, and runs are moved with `memmove`.
  /// - Returns: the number of bytes written.
  static func unescape(_ body: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<UInt8>, bad: inout Int) -> Int {
    guard let base = body.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return 0 }
    let n = body.count
    var i = 0
    var o = 0
    while i < n {
      // Copy the run up to the next backslash in one move.
      let stop: Int
      if let hit = memchr(base + i, 0x5C, n - i) { stop = UnsafeRawPointer(hit) - UnsafeRawPointer(base) } else { stop = n }
      if stop > i {
        if out + o != base + i { memmove(out + o, base + i, stop - i) }
        o += stop - i
        i = stop
      }
      if i >= n { break }
      // base[i] is a backslash.
      guard i + 1 < n else {
        bad += 1
        out[o] = invalidMarker
        o += 1
        i += 1
        break
      }
      let e = base[i + 1]
      switch e {
      case UInt8(ascii: "n"): o = _put(0x0A, out, o); i += 2
      case UInt8(ascii: "t"): o = _put(0x09, out, o); i += 2
      case UInt8(ascii: "r"): o = _put(0x0D, out, o); i += 2
      case UInt8(ascii: "b"): o = _put(0x08, out, o); i += 2
      case UInt8(ascii: "f"): o = _put(0x0C, out, o); i += 2
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): o = _put(UInt32(e), out, o); i += 2
      case UInt8(ascii: "u"):
        switch _UnicodeEscape.read(base, at: i, count: n) {
        case .scalar(let value, let length):
          o = _put(value, out, o)
          i += length
        case .lone(let length):
          bad += 1
          out[o] = invalidMarker
          o += 1
          i += length
        case nil:
          bad += 1
          out[o] = invalidMarker
          o += 1
          i += 2
        }
      default:
        bad += 1
        out[o] = invalidMarker
        o += 1
        i += 2
      }
    }
    return o
  }

  /// Writes scalar `v` as UTF-8 at `out[o...]`; returns the new write position.
  @inline(__always)
  static func _put(_ v: UInt32, _ out: UnsafeMutablePointer<UInt8>, _ o: Int) -> Int {
    switch v {
    case 0..<0x80:
      out[o] = UInt8(v)
      return o + 1
    case 0x80..<0x800:
      out[o] = UInt8(0xC0 | v >> 6)
      out[o + 1] = UInt8(0x80 | v & 0x3F)
      return o + 2
    case 0x800..<0x10000:
      out[o] = UInt8(0xE0 | v >> 12)
      out[o + 1] = UInt8(0x80 | (v >> 6) & 0x3F)
      out[o + 2] = UInt8(0x80 | v & 0x3F)
      return o + 3
    default:
      out[o] = UInt8(0xF0 | v >> 18)
      out[o + 1] = UInt8(0x80 | (v >> 12) & 0x3F)
      out[o + 2] = UInt8(0x80 | (v >> 6) & 0x3F)
      out[o + 3] = UInt8(0x80 | v & 0x3F)
      return o + 4
    }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
