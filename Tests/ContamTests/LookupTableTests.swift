import Testing
@_spi(Testing) import Contam

/// The hash table behind the exact and near indexes, and the Bloom filter in front of it: the
/// filter may let an absent key through (then the table says no), but it must never turn a
/// present key away, or a copy in the corpus would be missed without a sign.
@Suite("Lookup table and its filter")
struct LookupTableTests {
  /// Well-mixed keys, as NGramHasher makes them (never 0: the table's empty slot).
  static func keys(_ count: Int, seed: UInt64) -> [UInt64] {
    var state = seed
    return (0..<count).map { _ in
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return (z ^ (z >> 31)) | 1
    }
  }

  @Test(arguments: [1, 100, 5_000, 300_000])
  func everyPresentKeyIsFoundAndFewAbsentOnesPassTheFilter(count: Int) {
    let present = Self.keys(count, seed: UInt64(count))
    let absent = Self.keys(200_000, seed: 0xABCD_0000 &+ UInt64(count))
    let (wrong, passed) = ItemIndex.tableCheck(present: present, absent: absent)
    #expect(wrong == 0)
    // At least 8 filter bits per key with 3 set per key: about 3% false positives at worst.
    #expect(Double(passed) / Double(absent.count) < 0.04, "\(passed) of \(absent.count) absent keys passed")
  }
}
