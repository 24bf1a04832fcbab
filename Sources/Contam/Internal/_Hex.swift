import Foundation

/// Lowercase hex text of bytes, and back.
enum _Hex {
  static func encode<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.underestimatedCount * 2)
    for byte in bytes {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 15)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The bytes of `text` read two hex digits at a time; a pair that is not hex reads as 0.
  static func decode(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var chars = Array(text.utf8)[...]
    while chars.count >= 2 {
      let pair = String(decoding: chars.prefix(2), as: UTF8.self)
      bytes.append(UInt8(pair, radix: 16) ?? 0)
      chars = chars.dropFirst(2)
    }
    return bytes
  }
}
