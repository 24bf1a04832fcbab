#if canImport(Glibc)
  import Glibc
#endif

/// Whether a shard's first bytes (after decompression) are text: a file in a format Contam does
/// not know (brotli, a binary dump) or in UTF-16, read as UTF-8 lines, is bytes that match
/// nothing, and would read clean. Judged on the first 64 KiB: more than 1% NUL bytes, or more
/// than 20% of bytes that are not UTF-8, is not text (Latin-1 prose has a few percent; compressed
/// data about half); NULs on every other byte are UTF-16.
enum _TextProbe {
  static let window = 1 << 16

  /// Why `bytes`, the first bytes of a stream, are not text Contam reads, or nil.
  /// - Parameter complete: whether `bytes` is the whole stream (else a character cut at the
  ///   end is not counted as invalid).
  /// - Parameter line: `bytes` is one line of a text stream that holds a NUL (binary data
  ///   inside text): binary only when most of it is not UTF-8 either.
  static func reason(_ bytes: UnsafeRawBufferPointer, complete: Bool, line: Bool = false) -> String? {
    let n = min(bytes.count, window)
    guard n >= 64, let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
    func utf32(_ encoding: String, _ why: String) -> String {
      "\(encoding) text (\(why)); convert it to UTF-8 first (iconv -f \(encoding) -t UTF-8)"
    }
    if (base[0] == 0xFF && base[1] == 0xFE && base[2] == 0 && base[3] == 0) || (base[0] == 0 && base[1] == 0 && base[2] == 0xFE && base[3] == 0xFF) {
      return utf32("UTF-32", "it starts with a UTF-32 byte order mark")
    }
    if (base[0] == 0xFF && base[1] == 0xFE) || (base[0] == 0xFE && base[1] == 0xFF) {
      return "UTF-16 text (it starts with a UTF-16 byte order mark); convert it to UTF-8 first (iconv -f UTF-16 -t UTF-8)"
    }
    // UTF-32: a code point's top byte is always NUL, the next almost always (outside the
    // supplementary planes), and its low byte almost never; in UTF-16, in zeros (a file never
    // written) or in other binary data they are not all three.
    var quarters = [0, 0, 0, 0]  // NULs at offsets 0, 1, 2, 3 modulo 4
    for i in 0..<(n & ~3) where base[i] == 0 { quarters[i & 3] += 1 }
    let quarter = n / 4
    if 20 * quarters[3] >= 19 * quarter && 2 * quarters[2] >= quarter && 2 * quarters[0] < quarter {
      return utf32("UTF-32LE", "the top bytes of every 4-byte unit are NUL")
    }
    if 20 * quarters[0] >= 19 * quarter && 2 * quarters[1] >= quarter && 2 * quarters[3] < quarter {
      return utf32("UTF-32BE", "the top bytes of every 4-byte unit are NUL")
    }
    var nuls = [0, 0]  // at even and odd offsets
    var invalid = 0
    let limit = complete && bytes.count <= window ? n : n - 3
    var i = 0
    while i < limit {
      let b = base[i]
      if b < 0x80 {
        if b == 0 { nuls[i & 1] += 1 }
        i += 1
        continue
      }
      let (_, length) = _UTF8.decode(base + i, available: n - i)
      if length == 0 {
        invalid += 1
        i += 1
      } else {
        i += length
      }
    }
    if line {
      // A line: a stray NUL in a short line of text is more than 1%; only bytes that are mostly
      // not UTF-8 as well are binary.
      guard 5 * invalid > n else { return nil }
      return "binary data, not text (\(nuls[0] + nuls[1]) NUL bytes and \(invalid) bytes that are not UTF-8 in \(n))"
    }
    let nul = nuls[0] + nuls[1]
    if 4 * nul >= n && min(nuls[0], nuls[1]) * 10 < max(nuls[0], nuls[1]) {
      // ASCII in little-endian UTF-16 is the byte, then NUL: the NULs at odd offsets.
      let encoding = nuls[1] > nuls[0] ? "UTF-16LE" : "UTF-16BE"
      return "\(encoding) text (every other byte is NUL); convert it to UTF-8 first (iconv -f \(encoding) -t UTF-8)"
    }
    if 100 * nul > n || 5 * invalid > n {
      return "binary data, not text (\(nul) NUL bytes and \(invalid) bytes that are not UTF-8 in the first \(n)): compressed in a format Contam does not read, or not a corpus file"
    }
    return nil
  }

  /// Whether a file's first bytes are media (an image, a PDF, a font): not text, and not gzip,
  /// zstd, Parquet or an archive Contam names (those are read, and refused by name if need be).
  /// Media has NULs in its first 64 bytes or is mostly not UTF-8; text, however named, is neither.
  static func isMedia(_ head: [UInt8], complete: Bool) -> Bool {
    let prefix = Array(head.prefix(Codec.formatPrefix))
    if Codec.detect(prefix) != .none || Codec.unsupportedFormat(prefix) != nil { return false }
    if head.prefix(64).contains(0) { return true }
    return head.withUnsafeBytes { reason($0, complete: complete) != nil }
  }

  enum PayloadKind { case text, binary, utf16 }

  /// Whether a record's payload (a WARC response body) is text: binary when more than 1% of its
  /// first 64 KiB are NUL bytes (images, fonts, archives), UTF-16 when it has a byte order mark
  /// or NULs on every other byte. Bytes that are not UTF-8 alone do not make it binary: a page
  /// in Latin-1 or Shift JIS is text, read as it is.
  static func payloadKind(_ bytes: UnsafeRawBufferPointer) -> PayloadKind {
    let n = min(bytes.count, window)
    guard n >= 2, let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return .text }
    if (base[0] == 0xFF && base[1] == 0xFE) || (base[0] == 0xFE && base[1] == 0xFF) { return .utf16 }
    var nuls = [0, 0]
    for i in 0..<n where base[i] == 0 { nuls[i & 1] += 1 }
    let nul = nuls[0] + nuls[1]
    if n >= 16 && 4 * nul >= n && min(nuls[0], nuls[1]) * 10 < max(nuls[0], nuls[1]) { return .utf16 }
    return 100 * nul > n ? .binary : .text
  }

  /// Why one record's text (a plain-text line, a Parquet row) is binary data inside text (a
  /// gzip member compressed twice, compressed bytes in a column), or nil: it holds a NUL, found
  /// by one `memchr` (text has none), and is mostly not UTF-8 (a stray NUL in a line of text, or
  /// Latin-1, is still text).
  static func binaryRecordReason(_ text: UnsafeRawBufferPointer) -> String? {
    guard let base = text.baseAddress, text.count > 0, memchr(base, 0, text.count) != nil else { return nil }
    return reason(text, complete: true, line: true)
  }

  /// Why one record's text is base64 of text, or nil: at least 64 bytes of only the base64
  /// alphabet (either one), with line breaks (MIME wraps it) and `=` padding at the end of a
  /// line,
  /// upper- and lower-case letters and digits among them (a long word or a hex digest is not
  /// base64), and its first 3 KiB decode to UTF-8 text. Read as it is, such a record is one
  /// token soup that matches nothing and would read clean. Text with a space, or any other
  /// byte, in its first 76 bytes is ruled out there, so prose costs a few byte tests.
  static func base64Reason(_ text: UnsafeRawBufferPointer) -> String? {
    let n = text.count
    guard n >= 64, let base = text.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
    @inline(__always) func isAlphabet(_ b: UInt8) -> Bool {
      (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2B || b == 0x2F || b == 0x2D || b == 0x5F
    }
    @inline(__always) func isBreak(_ b: UInt8) -> Bool { b == 0x0A || b == 0x0D }
    for i in 0..<min(n, 76) where !isAlphabet(base[i]) && !isBreak(base[i]) && base[i] != 0x3D { return nil }
    var upper = false
    var lower = false
    var digit = false
    var padding = 0
    var spaced = false  // spaces or tabs only at the end
    for i in 0..<n {
      let b = base[i]
      if isBreak(b) {
        // Padding ends a body; another may start on the next line (MIME parts one after another).
        padding = 0
        continue
      }
      if b == 0x20 || b == 0x09 {
        spaced = true
        continue
      }
      guard !spaced else { return nil }
      if b == 0x3D {
        padding += 1
        guard padding <= 2 else { return nil }
        continue
      }
      guard padding == 0, isAlphabet(b) else { return nil }
      upper = upper || (b >= 0x41 && b <= 0x5A)
      lower = lower || (b >= 0x61 && b <= 0x7A)
      digit = digit || (b >= 0x30 && b <= 0x39)
    }
    guard upper && lower && digit else { return nil }
    // The first 3 KiB decoded: text has no NUL or other control bytes but tab and line breaks,
    // is mostly valid UTF-8, and has spaces or line breaks.
    var decoded: [UInt8] = []
    decoded.reserveCapacity(3072)
    var bits: UInt32 = 0
    var held = 0
    for i in 0..<n where decoded.count < 3072 {
      let b = base[i]
      let value: UInt32
      switch b {
      case 0x41...0x5A: value = UInt32(b - 0x41)
      case 0x61...0x7A: value = UInt32(b - 0x61 + 26)
      case 0x30...0x39: value = UInt32(b - 0x30 + 52)
      case 0x2B, 0x2D: value = 62
      case 0x2F, 0x5F: value = 63
      case 0x3D:
        // Padding: the next body starts on a byte boundary.
        bits = 0
        held = 0
        continue
      default: continue
      }
      bits = bits << 6 | value
      held += 6
      if held >= 8 {
        held -= 8
        decoded.append(UInt8(truncatingIfNeeded: bits >> UInt32(held)))
      }
    }
    guard decoded.count >= 32, decoded.contains(where: { $0 == 0x20 || $0 == 0x0A }) else { return nil }
    guard !decoded.contains(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) else { return nil }
    let invalid = decoded.withUnsafeBytes { reason($0, complete: false) }
    guard invalid == nil else { return nil }
    return "the text is base64 (\(n) bytes that decode to text); decode it first (for JSON Lines: jq -c '.text |= @base64d')"
  }
}
