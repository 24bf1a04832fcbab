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

  @Test func seedChangesTheHash() {
    #expect(XXH3.hash64("hello world", seed: 1) != XXH3.hash64("hello world"))
  }
}
