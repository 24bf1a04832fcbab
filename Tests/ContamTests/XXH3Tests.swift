import Contam
import Foundation
import Testing
import _ContamTestSupport

@Suite("XXH3-64 against the real xxhsum -H3")
struct XXH3Tests {
  // Expected values from `printf '<s>' | xxhsum -H3` (xxhsum 0.8.1, Debian package xxhash).
  @Test(arguments: [
    ("", 0x2d06_8005_38d3_94c2 as UInt64),
    ("hello world", 0xd447_b1ea_40e6_988b),
    ("café", 0x4c83_dbd5_f29d_367f),
  ])
  func matchesRecordedVectors(input: String, expected: UInt64) {
    #expect(XXH3.hash64(input) == expected)
    #expect(XXH3.hash64(Array(input.utf8)) == expected)
  }

  /// Real text of every length class XXH3 treats differently (0-16, 17-128, 129-240, >240).
  @Test(arguments: [0, 3, 9, 16, 17, 100, 128, 129, 200, 240, 241, 1000, 5000, 100_000])
  func matchesXxhsumOnRealText(length: Int) throws {
    try #require(Tool.exists("xxhsum"), "install the Debian package xxhash")
    let text = try TestData.gunzip("text/gutenberg/1342-0.txt.gz").prefix(length)
    let printed = String(decoding: try Tool.run("xxhsum", ["-H3"], input: Data(text)), as: UTF8.self)
    // "XXH3 (stdin) = 2d06800538d394c2"
    let hex = try #require(printed.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines))
    let expected = try #require(UInt64(hex, radix: 16))
    #expect(XXH3.hash64(Array(text)) == expected)
  }

  /// The tokenizer hashes a short word from the two words it was classified in: for every length
  /// 1 to 16 at every offset of real prose (Pride and Prejudice, case folded as the tokenizer
  /// folds it) and of random bytes, with anything in the bytes past the length, the value is the
  /// one of the same bytes hashed in memory.
  @Test func shortBytesHashAlikeFromTwoWords() throws {
    let prose = Array(try TestData.gunzip("text/gutenberg/1342-0.txt.gz").prefix(20_000)).map { $0 | 0x20 }
    var random = _SplitMix64(seed: 14)
    let noise = (0..<4_000).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    var differ = 0
    var checked = 0
    for bytes in [prose, noise] {
      for offset in 0..<(bytes.count - 16) {
        var low: UInt64 = 0
        var high: UInt64 = 0
        for k in 0..<8 {
          low |= UInt64(bytes[offset + k]) << (8 * k)
          high |= UInt64(bytes[offset + 8 + k]) << (8 * k)
        }
        for count in 1...16 {
          let expected = bytes.withUnsafeBytes { XXH3.hash64($0.baseAddress! + offset, count: count) }
          if XXH3.hash64(low: low, high: high, count: count) != expected { differ += 1 }
          checked += 1
        }
      }
    }
    #expect(checked > 300_000)
    #expect(differ == 0, "\(differ) of \(checked) differ")
  }

  @Test func seedChangesTheHash() {
    #expect(XXH3.hash64("hello world", seed: 1) != XXH3.hash64("hello world"))
  }
}
