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
}
