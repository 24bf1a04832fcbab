/// How a shard's bytes are compressed, decided by its first bytes, never by its name.
public enum Codec: String, Sendable, Codable, CaseIterable {
  case gzip
  case zstd
  case none
  /// A Parquet file (`PAR1` at both ends): read by column, not as a byte stream.
  case parquet

  /// The codec of a stream that starts with `prefix` (at least 4 bytes where available).
  /// gzip: `1f 8b`; zstd: `28 b5 2f fd`; anything else is uncompressed.
  public static func detect(_ prefix: UnsafeRawBufferPointer) -> Codec {
    if prefix.count >= 2 && prefix[0] == 0x1F && prefix[1] == 0x8B { return .gzip }
    if prefix.count >= 4 && prefix[0] == 0x50 && prefix[1] == 0x41 && prefix[2] == 0x52 && prefix[3] == 0x31 { return .parquet }
    if prefix.count >= 4 && prefix[0] == 0x28 && prefix[1] == 0xB5 && prefix[2] == 0x2F && prefix[3] == 0xFD {
      return .zstd
    }
    return .none
  }

  /// The codec of a stream that starts with `prefix`.
  public static func detect(_ prefix: [UInt8]) -> Codec {
    prefix.withUnsafeBytes { detect($0) }
  }
}
