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
    let (wrong, passed, found) = ItemIndex.tableCheck(present: present, absent: absent)
    #expect(wrong == 0)
    #expect(found == 0)
    // At least 8 filter bits per key with 3 set per key: about 3% false positives at worst.
    #expect(Double(passed) / Double(absent.count) < 0.04, "\(passed) of \(absent.count) absent keys passed")
  }

  /// The scan's tables hold in their filter each key's polynomial (the window before the final
  /// mix), so that the scan mixes only the windows that pass: every window of real prose put in
  /// such a table passes the filter as a polynomial and as a key, and is found; so do key 1 (two
  /// polynomials mix to it) and keys at the ends of the range.
  @Test(arguments: [3, 8, 13])
  func aTableOfNGramKeysLetsEveryWindowThroughItsFilter(n: Int) throws {
    let tokens = try NGramHasherTests.realTokenHashes()
    let check = ItemIndex.polynomialTableCheck(tokens: tokens, n: n, extraKeys: [1, 2, UInt64.max])
    #expect(check.polynomialsTurnedAway == 0)
    #expect(check.keysTurnedAway == 0)
    #expect(check.notFound == 0)
  }

  /// A key's home slot is its top bits: keys crowded at the top of the range are pushed past the
  /// last home slot (the table grows its tail), keys crowded at the bottom fill a long run from
  /// slot 0. Every present key is found, and no absent key between them, above or below them.
  @Test(arguments: [true, false])
  func keysCrowdedAtOneEndOfTheRangeAreAllFound(top: Bool) {
    let present = (0..<2_000).map { top ? UInt64.max - UInt64($0) * 4 : UInt64($0) * 4 + 8 }
    let absent = (0..<2_000).map { top ? UInt64.max - UInt64($0) * 4 - 1 : UInt64($0) * 4 + 9 } + [1, 2, UInt64.max - 2, 1 << 63]
    let (wrong, _, found) = ItemIndex.tableCheck(present: present, absent: absent)
    #expect(wrong == 0)
    #expect(found == 0)
  }

  /// The indexes build their tables in passes over the key range, so that no list of every
  /// (key, posting) pair is held: the table must be the one built from all pairs at once, keys
  /// repeated (several postings, in order) and some dropped, for any number of passes.
  @Test(arguments: [0, 1, 3, 6])
  func aTableBuiltInPassesIsTheTableBuiltAtOnce(passBits: Int) {
    let distinct = Self.keys(30_000, seed: 99)
    // Each key once to four times, the repeats spread through the list.
    let keys = distinct + distinct.enumerated().filter { $0.offset % 3 == 0 }.map(\.element) + distinct.enumerated().filter { $0.offset % 7 == 0 }.map(\.element)
    #expect(ItemIndex.passCheck(keys: keys, passBits: passBits, dropEvery: 10))
    #expect(ItemIndex.passCheck(keys: keys, passBits: passBits, dropEvery: 1 << 30))
  }

  /// A table read back from the index cache is used only when every key can be found by a
  /// probe: a slot emptied between a key's home and the key (a probe stops there: the n-gram
  /// would be hidden, its copies read clean), keys out of order, a key before its home slot, or
  /// no empty slot at the end is refused. With 4 home slots a key's home is its top 2 bits; with
  /// 3 (tables are not sized to powers of two) the thirds of the key range.
  @Test func aTableLayoutThatWouldHideAKeyIsRefused() {
    let home = (0..<4).map { UInt64($0) << 62 }
    let good: [UInt64] = [home[0] + 1, home[0] + 2, home[0] + 3, home[2] + 1, 0, 0]
    #expect(ItemIndex.tableLayoutIsProbeable(good, homeSlots: 4))
    #expect(!ItemIndex.tableLayoutIsProbeable([home[0] + 1, 0, home[0] + 3, home[2] + 1, 0, 0], homeSlots: 4), "a gap before a pushed key")
    #expect(!ItemIndex.tableLayoutIsProbeable([home[0] + 2, home[0] + 1, 0, home[2] + 1, 0, 0], homeSlots: 4), "keys out of order")
    #expect(!ItemIndex.tableLayoutIsProbeable([home[1] + 1, 0, 0, 0, 0, 0], homeSlots: 4), "a key before its home")
    #expect(!ItemIndex.tableLayoutIsProbeable([home[0] + 1, home[0] + 2, home[0] + 3, home[2] + 1, 0, home[3] + 1], homeSlots: 4), "no empty last slot")
    let third = UInt64.max / 3 + 1  // the first key whose home is slot 1 of 3
    #expect(ItemIndex.tableLayoutIsProbeable([1, third - 1, third, 0, 0], homeSlots: 3))
    #expect(ItemIndex.tableLayoutIsProbeable([1, third, 0, 0], homeSlots: 3))
    #expect(!ItemIndex.tableLayoutIsProbeable([third, 0, 0, 0], homeSlots: 3), "a key before its home")
    #expect(!ItemIndex.tableLayoutIsProbeable([1, 0, third + 1, 0], homeSlots: 3), "a gap before a pushed key")
    #expect(ItemIndex.tableLayoutIsProbeable([third - 1, 0, 0, 0], homeSlots: 3), "the last key of home 0 sits in slot 0")
  }
}
