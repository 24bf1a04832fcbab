/// Bitsets over an item's token positions, one bit per token, as `[UInt64]` (empty = none set).
enum _Bits {
  static func isSet(_ bits: [UInt64], _ t: Int) -> Bool {
    t >> 6 < bits.count && bits[t >> 6] >> UInt64(t & 63) & 1 == 1
  }

  static func count(_ bits: [UInt64], in range: Range<Int>) -> Int {
    range.reduce(0) { $0 + (isSet(bits, $1) ? 1 : 0) }
  }

  static func longestRun(_ bits: [UInt64], count: Int) -> Int {
    var run = 0
    var best = 0
    for t in 0..<count {
      if isSet(bits, t) {
        run += 1
        best = max(best, run)
      } else {
        run = 0
      }
    }
    return best
  }

  static func set(_ bits: inout [UInt64], _ range: Range<Int>) {
    for t in range { bits[t >> 6] |= 1 << UInt64(t & 63) }
  }

  /// Bit t is bit t % 8 of byte t / 8, bytes as lowercase hex.
  static func hex(_ bits: [UInt64], count: Int) -> String {
    var out = ""
    for byte in 0..<(count + 7) / 8 {
      let value = UInt8(truncatingIfNeeded: bits[byte >> 3] >> UInt64((byte & 7) * 8))
      out += value < 16 ? "0" + String(value, radix: 16) : String(value, radix: 16)
    }
    return out
  }

  /// The bitset of `count` bits written by ``hex(_:count:)``; nil if malformed.
  static func fromHex(_ text: String, count: Int) -> [UInt64]? {
    let chars = Array(text.utf8)
    guard chars.count == 2 * ((count + 7) / 8) else { return nil }
    var bits = [UInt64](repeating: 0, count: (count + 63) / 64)
    for byte in 0..<chars.count / 2 {
      guard let value = UInt8(String(decoding: chars[2 * byte..<2 * byte + 2], as: UTF8.self), radix: 16) else { return nil }
      bits[byte >> 3] |= UInt64(value) << UInt64((byte & 7) * 8)
    }
    return bits
  }

  static func union(_ bits: inout [UInt64], _ other: [UInt64]) {
    if bits.isEmpty {
      bits = other
    } else {
      for w in 0..<other.count { bits[w] |= other[w] }
    }
  }
}
