import CXXHash

/// XXH3-64, the hash behind every token and n-gram in Contam.
///
/// Seed 0 gives the same value as `xxhsum -H3` (xxHash 0.8.1): `XXH3.hash64("hello world")`
/// is `0xd447b1ea40e6988b`. The C implementation is compiled inline from the system header,
/// so the per-token call on the hot path costs no function call.
public enum XXH3 {
  /// Hashes raw bytes.
  /// - Parameters:
  ///   - bytes: the bytes to hash; an empty buffer is allowed.
  ///   - seed: the XXH3 seed (0 matches `xxhsum -H3`).
  /// - Returns: the 64-bit XXH3 hash.
  @inlinable @inline(__always)
  public static func hash64(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
    CXXHash_xxh3_64(bytes.baseAddress, bytes.count, seed)
  }

  /// Hashes `count` bytes starting at `pointer`.
  @inlinable @inline(__always)
  public static func hash64(_ pointer: UnsafeRawPointer, count: Int, seed: UInt64 = 0) -> UInt64 {
    CXXHash_xxh3_64(pointer, count, seed)
  }

  /// Hashes the first `count` (1 to 16) bytes of the two words `low` and `high` (bytes 0-7 and
  /// 8-15, the first in `low`'s low byte; the bytes past `count` do not matter), with seed 0: the
  /// value ``hash64(_:count:seed:)`` gives for those bytes in memory, without putting them there.
  @inlinable @inline(__always)
  public static func hash64(low: UInt64, high: UInt64, count: Int) -> UInt64 {
    assert((1...16).contains(count), "1 to 16 bytes")
    return CXXHash_xxh3_64_words(low, high, count)
  }

  /// Hashes an array of bytes.
  public static func hash64(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
    bytes.withUnsafeBytes { hash64($0, seed: seed) }
  }

  /// Hashes the UTF-8 bytes of a string.
  public static func hash64(_ string: String, seed: UInt64 = 0) -> UInt64 {
    var copy = string
    return copy.withUTF8 { hash64(UnsafeRawBufferPointer($0), seed: seed) }
  }
}
