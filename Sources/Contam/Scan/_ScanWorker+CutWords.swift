import Foundation

extension _ScanWorker {
  /// The most bytes a word cut in two inside a document may have, joined.
  static let cutWordBytes = 32

  /// Words cut in two inside the text by a line break, as text wrapped at a fixed width with
  /// no regard for words has them (`fold -w`, a terminal's capture, a PDF's or OCR's lines):
  /// `the experi\nmental method`, `l\nength`. Each line then holds fewer tokens than an n-gram
  /// whole, and the halves are no item's tokens. Where a line break alone parts two runs of
  /// plain ASCII letters and digits, one of them no token of any item (``ItemIndex/mayHoldToken``:
  /// a bitmap; a lone letter is no token) and the two written together one, the exact passes read
  /// them once more as that one word, around each such cut (as ``collectJoinedHits(_:)`` does for
  /// a word cut between two documents). Only matches through a joined word are kept; the others
  /// the passes over the buffer found. Text costs a `memchr` for its line breaks, and a line
  /// break between two words of the items' (most of them) two bitmap tests.
  /// - Parameters:
  ///   - base: the document byte offset of the tokenized text.
  ///   - end: the document byte offset where the tokenized text ends.
  mutating func collectCutWordHits(document: Document, base: Int, end: Int) {
    let tokens = ownTokens
    let text = document.text
    guard tokens.count > 0, end > base, let origin = text.baseAddress else { return }
    @inline(__always) func isWordByte(_ k: Int) -> Bool { k >= 0 && k < text.count && RunTogetherIndex.squeezed(text[k]) != 0 }
    // The cuts: the tokens the joined word replaces (1 or 2: a lone letter is no token, it
    // reads as an option label), its hash and its bytes.
    var cuts: [(first: Int, last: Int, hash: UInt64, bytes: Range<Int>)] = []
    var words = runTogetherIndex?.words
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.cutWordBytes) { joined in
      var u = 0  // the first token after the line break
      var from = base
      while from < end, let found = memchr(origin + from, 0x0A, end - from) {
        let q = origin.distance(to: UnsafeRawPointer(found))
        from = q + 1
        // A word on either side of the line break (`\n` or `\r\n`), nothing else between.
        let p = q > 0 && text[q - 1] == 0x0D ? q - 1 : q
        guard isWordByte(p - 1), isWordByte(q + 1) else { continue }
        while u < tokens.count && base + Int(tokens.starts[u]) <= q { u += 1 }
        // Most line breaks part two words of the items' (a bitmap test each): no cut to join.
        let firstEnds = u > 0 && base + Int(tokens.ends[u - 1]) == p
        let secondStarts = u < tokens.count && base + Int(tokens.starts[u]) == q + 1
        if firstEnds && secondStarts && index.mayHoldToken(tokens.hashes[u - 1]) && index.mayHoldToken(tokens.hashes[u]) { continue }
        var a = p - 1
        while a > 0 && p - a < Self.cutWordBytes && isWordByte(a - 1) { a -= 1 }
        var b = q + 2
        while b < text.count && b - q <= Self.cutWordBytes && isWordByte(b) { b += 1 }
        guard p - a + b - q - 1 <= Self.cutWordBytes, a == 0 || RunTogetherIndex.isPlainEdge(text[a - 1]),
          b == text.count || RunTogetherIndex.isPlainEdge(text[b])
        else { continue }
        // Each half is a token, or a lone letter (no token); not both lone.
        let firstIsToken = firstEnds && base + Int(tokens.starts[u - 1]) == a
        let secondIsToken = secondStarts && base + Int(tokens.ends[u]) == b
        guard (firstIsToken || p - a == 1) && (secondIsToken || b - q == 2) && (firstIsToken || secondIsToken) else { continue }
        var length = 0
        for k in a..<b where k < p || k > q {
          joined[length] = RunTogetherIndex.squeezed(text[k])
          length += 1
        }
        let hash = XXH3.hash64(UnsafeRawPointer(joined.baseAddress!), count: length)
        guard index.mayHoldToken(hash) else { continue }
        // Rarer from here on: a filter of the items' words with few false "yes", then the
        // tokenizer's word for the joined bytes, to be sure it is the one word hashed so.
        if words == nil {
          runTogetherIndex = index.runTogether.get(index)
          words = runTogetherIndex!.words
        }
        guard words!.mayContain(hash) else { continue }
        var token = _FirstToken()
        _ = tokenizer.tokenize(UnsafeRawBufferPointer(start: joined.baseAddress, count: length), into: &token)
        guard token.count == 1 && token.hash == hash else { continue }
        cuts.append((firstIsToken ? u - 1 : u, secondIsToken ? u : u - 1, hash, a..<b))
      }
    }
    guard !cuts.isEmpty else { return }
    // Clusters of cuts, each read with `matchReach` tokens on either side.
    let reach = index.matchReach
    var c = 0
    while c < cuts.count {
      var d = c + 1
      while d < cuts.count && cuts[d].first - cuts[d - 1].last <= 2 * reach { d += 1 }
      let low = max(0, cuts[c].first - reach)
      let high = min(tokens.count, cuts[d - 1].last + 1 + reach)
      storage.joinBuffer.removeAll()
      var joinedRanges: [Range<Int>] = []
      var t = low
      var k = c
      while t < high {
        while k < d && cuts[k].first < t { k += 1 }  // a cut overlapping the one before
        if k < d && cuts[k].first == t {
          let bytes = cuts[k].bytes
          storage.joinBuffer.consume(hash: cuts[k].hash, start: bytes.lowerBound - base, end: bytes.upperBound - base)
          joinedRanges.append(bytes)
          let last = cuts[k].last
          k += 1
          t = last + 1
        } else {
          storage.joinBuffer.consume(hash: tokens.hashes[t], start: Int(tokens.starts[t]), end: Int(tokens.ends[t]))
          t += 1
        }
      }
      let before = hits.count
      let view = storage.joinBuffer.view
      collectExactHits(tokens: view, base: base, overlap: 0)
      if index.hasApartItems { collectApartHits(tokens: view, base: base, overlap: 0) }
      let through = hits[before...].filter { hit in joinedRanges.contains { hit.byteStart <= $0.lowerBound && $0.upperBound <= hit.byteEnd } }
      hits.removeSubrange(before...)
      hits += through
      c = d
    }
  }
}
