@_spi(Testing) import Contam
import Testing
import _ContamTestSupport

@Suite("Rolling n-gram hash")
struct NGramHasherTests {
  /// Token hashes of real prose (Pride and Prejudice).
  static func realTokenHashes() throws -> [UInt64] {
    Tokenizer().tokens(of: try TestData.gutenberg(bytes: 20_000)).map(\.hash)
  }

  @Test(arguments: [1, 2, 3, 5, 8, 13, 20, 32, 50, 63, 64])
  func rollingEqualsFromScratch(n: Int) throws {
    let tokens = try Self.realTokenHashes()
    #expect(tokens.count > 1000)
    let hasher = NGramHasher(n: n)
    let rolled = hasher.hashes(of: tokens)
    #expect(rolled.count == tokens.count - n + 1)
    for (i, key) in rolled.enumerated() {
      #expect(key == hasher.hash(Array(tokens[i..<i + n])), "window \(i)")
      if key != hasher.hash(Array(tokens[i..<i + n])) { break }
    }
  }

  @Test func equalWindowsEqualKeysAndOrderMatters() {
    let hasher = NGramHasher(n: 3)
    #expect(hasher.hash([1, 2, 3]) == hasher.hashes(of: [9, 1, 2, 3])[1])
    #expect(hasher.hash([1, 2, 3]) != hasher.hash([3, 2, 1]))
    #expect(NGramHasher(n: 2).hash([1, 2]) != NGramHasher(n: 3).hash([0, 1, 2]), "n is mixed into the key")
  }

  /// The scan tests filters on a window's polynomial and mixes it only when it passes; a table's
  /// filter is made from its keys by undoing the mix. Every window of real prose, and keys 0 and
  /// 1 (a polynomial that mixes to 0 gets key 1), come back to what they were mixed from.
  @Test(arguments: [1, 3, 8, 13, 64])
  func theFinalMixIsUndone(n: Int) throws {
    let hasher = NGramHasher(n: n)
    let tokens = try Self.realTokenHashes()
    var windows = 0
    try tokens.withUnsafeBufferPointer { buffer in
      try hasher.forEachPolynomial(of: buffer) { position, polynomial in
        #expect(hasher.finalize(polynomial) == hasher.hash(Array(tokens[position..<position + n])))
        var back: [UInt64] = []
        hasher.polynomials(ofKey: hasher.finalize(polynomial)) { back.append($0) }
        #expect(back.contains(polynomial))
        if !back.contains(polynomial) { throw CancellationError() }
        windows += 1
      }
    }
    #expect(windows == tokens.count - n + 1)
    var ofOne: [UInt64] = []
    hasher.polynomials(ofKey: 1) { ofOne.append($0) }
    #expect(ofOne.count == 2 && Set(ofOne).count == 2 && ofOne.allSatisfy { hasher.finalize($0) == 1 })
  }

  /// The scan rolls a range of windows as two chains at once (`polynomials(of:windows:into:)`),
  /// chunk by chunk: over real prose, every range (empty, one window, odd and even lengths, the
  /// whole text, the chunks the scan takes) gives each window the polynomial of the one-chain roll,
  /// and writes no slot outside it.
  @Test(arguments: [1, 3, 13, 64])
  func twoChainsRollWhatOneDoes(n: Int) throws {
    let hasher = NGramHasher(n: n)
    let tokens = try Self.realTokenHashes()
    let windows = tokens.count - n + 1
    try #require(windows > 3_000)
    var expected: [UInt64] = []
    tokens.withUnsafeBufferPointer { buffer in hasher.forEachPolynomial(of: buffer) { _, polynomial in expected.append(polynomial) } }
    var ranges: [Range<Int>] = [0..<0, 0..<1, 0..<2, 0..<3, 5..<6, 7..<10, 7..<11, 100..<1_101, 0..<windows, windows - 1..<windows]
    var start = 0
    while start < windows {
      let end = min(start + 1_088, windows)
      ranges.append(start..<end)
      start = end
    }
    let marker: UInt64 = 0xDEAD_BEEF
    var out = [UInt64](repeating: marker, count: windows + 2)
    for range in ranges {
      for i in out.indices { out[i] = marker }
      tokens.withUnsafeBufferPointer { buffer in
        out.withUnsafeMutableBufferPointer { hasher.polynomials(of: buffer, windows: range, into: $0.baseAddress! + 1) }
      }
      let wrong = range.filter { out[$0 + 1] != expected[$0] }
      #expect(wrong.isEmpty, "n = \(n), windows \(range): \(wrong.count) differ, the first at \(wrong.first ?? -1)")
      let outside = out.indices.filter { !range.contains($0 - 1) && out[$0] != marker }
      #expect(outside.isEmpty, "n = \(n), windows \(range): slots \(outside.prefix(5)) written outside the range")
    }
  }

  @Test func tooFewTokensGiveNoWindow() {
    #expect(NGramHasher(n: 13).hashes(of: Array(repeating: 7, count: 12)).isEmpty)
  }
}
