/// How a shard's bytes are compressed, decided by its first bytes, never by its name.
public enum Codec: String, Sendable, Codable, CaseIterable {
  case gzip
  case zstd
  case none
  /// A Parquet file (`PAR1` at both ends): read by column, not as a byte stream.
  case parquet
  /// An Arrow IPC file (`ARROW1`) or stream (a Hugging Face `datasets` cache: a continuation
  /// marker and the length of its schema message): read by column, not as a byte stream.
  case arrow

  /// Whether the file is read by column (its own reader), not as a stream of text.
  public var isColumnar: Bool { self == .parquet || self == .arrow }

  /// The codec of a stream that starts with `prefix` (at least 4 bytes where available).
  /// gzip: `1f 8b`; zstd: `28 b5 2f fd`, or a skippable frame `5? 2a 4d 18` (pzstd starts every
  /// file with one, holding the next frame's size); anything else is uncompressed.
  public static func detect(_ prefix: UnsafeRawBufferPointer) -> Codec {
    if prefix.count >= 2 && prefix[0] == 0x1F && prefix[1] == 0x8B { return .gzip }
    if prefix.count >= 4 && prefix[0] == 0x50 && prefix[1] == 0x41 && prefix[2] == 0x52 && prefix[3] == 0x31 { return .parquet }
    if prefix.count >= 6 && prefix[0..<6].elementsEqual("ARROW1".utf8) { return .arrow }
    if prefix.count >= 8 && prefix[0] == 0xFF && prefix[1] == 0xFF && prefix[2] == 0xFF && prefix[3] == 0xFF && prefix[6] == 0 && prefix[7] == 0 {
      return .arrow
    }
    if prefix.count >= 4 && prefix[0] == 0x28 && prefix[1] == 0xB5 && prefix[2] == 0x2F && prefix[3] == 0xFD {
      return .zstd
    }
    if prefix.count >= 8 && prefix[0] & 0xF0 == 0x50 && prefix[1] == 0x2A && prefix[2] == 0x4D && prefix[3] == 0x18 {
      return .zstd
    }
    return .none
  }

  /// How many first bytes ``unsupportedFormat(_:)`` reads: a tar header is a block of 512.
  public static let formatPrefix = 512

  /// A compression or archive format Contam does not read, from the stream's first bytes (up
  /// to ``formatPrefix``: a tar header's `ustar` is at 257): its name and what to do instead, or nil. Read as
  /// text, such a file is bytes that match nothing, and a corpus shipped as `.jsonl.xz` or a
  /// `.bz2` dump would read clean; so it is refused, by name.
  public static func unsupportedFormat(_ prefix: [UInt8]) -> (name: String, remedy: String)? {
    func starts(_ magic: [UInt8]) -> Bool { prefix.count >= magic.count && prefix.starts(with: magic) }
    func decompress(_ tool: String) -> String { "decompress it first, e.g. \(tool) -dc FILE | contam scan ... -" }
    let extract = "extract the archive and scan its files"
    if starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return ("xz", decompress("xz")) }
    if starts([0x42, 0x5A, 0x68]), prefix.count >= 4, (0x31...0x39).contains(prefix[3]) { return ("bzip2", decompress("bzip2")) }
    if starts([0x04, 0x22, 0x4D, 0x18]) || starts([0x02, 0x21, 0x4C, 0x18]) { return ("LZ4", decompress("lz4")) }
    if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) { return ("zip", extract) }
    if starts([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]) { return ("7-Zip", extract) }
    if starts([0x5D, 0x00, 0x00]) && prefix.count >= 13 { return ("lzma", decompress("xz --format=lzma")) }
    if starts([0x1F, 0x9D]) { return ("compress (.Z)", decompress("gzip")) }
    if isTarHeader(prefix) { return ("tar", extract) }
    return nil
  }

  /// Whether `prefix` starts with a tar header: `ustar` at 257 and the header's checksum (the
  /// octal sum of its 512 bytes, the checksum's own 8 counted as spaces) right, so that text
  /// which happens to hold `ustar` there (`mustard`) is still text.
  static func isTarHeader(_ prefix: [UInt8]) -> Bool {
    guard prefix.count >= 512, prefix[257..<262].elementsEqual("ustar".utf8) else { return false }
    var recorded = 0
    var digits = 0
    for byte in prefix[148..<156] {
      if byte == 0x20 || byte == 0 { if digits > 0 { break } else { continue } }
      guard (0x30...0x37).contains(byte) else { return false }
      recorded = recorded * 8 + Int(byte - 0x30)
      digits += 1
    }
    guard digits > 0 else { return false }
    var unsigned = 0
    var signed = 0
    for i in 0..<512 {
      let byte = (148..<156).contains(i) ? 0x20 : prefix[i]
      unsigned += Int(byte)
      signed += Int(Int8(bitPattern: byte))
    }
    return recorded == unsigned || recorded == signed
  }

  /// Why a compressed stream's first bytes (`prefix`, decompressed from `outer`) are not text
  /// Contam reads as it is, or nil: an archive or another compression inside it (a `.tar.gz`,
  /// a file compressed twice), named, so the user is told what to do rather than that the bytes
  /// are binary (or, for a tar of text files, has headers and padding read as text).
  static func formatInside(_ prefix: [UInt8], outer: Codec) -> String? {
    let inner = detect(prefix)
    if inner == .gzip || inner == .zstd {
      let tool = outer == .gzip ? "gzip" : "zstd"
      return "\(inner.rawValue) data inside the \(outer.rawValue) stream (compressed twice): decompress the outer layer first (\(tool) -dc FILE > OUT) and scan OUT"
    }
    if inner.isColumnar {
      let (article, name) = inner == .parquet ? ("a", "Parquet") : ("an", "Arrow")
      return "\(article) \(name) file inside the \(outer.rawValue) stream: decompress it; Contam reads \(name) files as they are"
    }
    if let (name, remedy) = unsupportedFormat(prefix) {
      return "\(name) data inside the \(outer.rawValue) stream: Contam reads gzip, zstd, Parquet, Arrow and plain text; \(remedy)"
    }
    return nil
  }

  /// The codec of a stream that starts with `prefix`.
  public static func detect(_ prefix: [UInt8]) -> Codec {
    prefix.withUnsafeBytes { detect($0) }
  }
}
