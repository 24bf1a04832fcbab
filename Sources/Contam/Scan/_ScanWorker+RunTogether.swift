extension _ScanWorker {
  /// Bytes of text around a long token that are squeezed with it: a copy's first and last words
  /// may be tokens of normal length.
  static let runTogetherMargin = 64
  /// The most characters of a label a run passes over, and the characters that must agree after it.
  static let runTogetherLabel = 3
  static let runTogetherRealign = 4

  /// Items copied with their words run together (``RunTogetherIndex``), in the text in the
  /// buffer (document bytes `base..<end`): around each token of ``RunTogetherIndex/longToken``
  /// bytes or more, the squeezed text's anchors are looked up, and each anchor of an item found
  /// grows into the longest run of characters the text and the item share (passing over an
  /// option label the copy adds). The run is a hit on
  /// the item's tokens it spans (its judged ones count, as for any hit). Text without a long
  /// token costs one compare per token.
  mutating func collectRunTogetherHits(document: Document, base: Int, end: Int) {
    let tokens = ownTokens
    var windows: [Range<Int>] = []
    for t in 0..<tokens.count where Int(tokens.ends[t]) - Int(tokens.starts[t]) >= RunTogetherIndex.longToken {
      let low = max(base, base + Int(tokens.starts[t]) - Self.runTogetherMargin)
      let high = min(end, base + Int(tokens.ends[t]) + Self.runTogetherMargin)
      if let last = windows.last, last.upperBound >= low {
        windows[windows.count - 1] = last.lowerBound..<max(last.upperBound, high)
      } else {
        windows.append(low..<high)
      }
    }
    guard !windows.isEmpty else { return }
    let anchors = index.runTogether.get(index)
    // Per item met: its squeezed text and its tokens' byte ranges (nil when they do not give
    // the index's tokens).
    var items: [Int: (characters: [UInt8], offsets: [Int32], tokens: [Token])?] = [:]
    func item(_ i: Int) -> (characters: [UInt8], offsets: [Int32], tokens: [Token])? {
      if let known = items[i] { return known }
      var text = ItemIndex.text(of: index.items[i])
      let squeezed = text.withUTF8 { RunTogetherIndex.squeeze(UnsafeRawBufferPointer($0)) }
      let itemTokens = tokenizer.tokens(of: text)
      let made = itemTokens.count == index.tokenHashes[i].count ? (squeezed.characters, squeezed.offsets, itemTokens) : nil
      items[i] = made
      return made
    }
    var squeezed: (characters: [UInt8], offsets: [Int32]) = ([], [])
    for window in windows {
      squeezed.characters.removeAll(keepingCapacity: true)
      squeezed.offsets.removeAll(keepingCapacity: true)
      RunTogetherIndex.squeeze(document.text, window, into: &squeezed)
      let text = squeezed.characters
      // Per item: how far in the text its last run reached (an anchor inside it adds nothing).
      var reached: [Int: Int] = [:]
      text.withUnsafeBufferPointer { characters in
        RunTogetherIndex.forEachAnchor(characters) { key, at in
          guard anchors.table.mayContain(key) else { return }
          for p in anchors.table.lookup(key) {
            let i = Int(p.item)
            guard at >= reached[i] ?? 0, let (own, offsets, itemTokens) = item(i) else { continue }
            var a = Int(p.position)
            var b = a + RunTogetherIndex.anchorCharacters
            guard b <= own.count, own[a..<b].elementsEqual(characters[at..<(at + RunTogetherIndex.anchorCharacters)]) else { continue }
            var s = at
            var e = at + RunTogetherIndex.anchorCharacters
            // Grown both ways over the characters the two share; a copy's option label (`A.`,
            // `(ii)`, `3)`: up to 3 characters the item has not) is passed over where the next
            // 4 characters agree again.
            let realign = Self.runTogetherRealign
            while a > 0 && s > 0 {
              if own[a - 1] == characters[s - 1] {
                a -= 1
                s -= 1
                continue
              }
              guard let skip = (1...Self.runTogetherLabel).first(where: { k in
                s - k >= realign && a >= realign && (1...realign).allSatisfy { own[a - $0] == characters[s - k - $0] }
              }) else { break }
              s -= skip
            }
            while b < own.count && e < characters.count {
              if own[b] == characters[e] {
                b += 1
                e += 1
                continue
              }
              guard let skip = (1...Self.runTogetherLabel).first(where: { k in
                e + k + realign <= characters.count && b + realign <= own.count && (0..<realign).allSatisfy { own[b + $0] == characters[e + k + $0] }
              }) else { break }
              e += skip
            }
            reached[i] = e
            guard e - s >= RunTogetherIndex.minimumRun else { continue }
            let low = Int(offsets[a])
            let high = Int(offsets[b - 1]) + 1
            // The item's tokens the run holds whole (a run may start or end inside a word).
            guard let first = itemTokens.firstIndex(where: { $0.start >= low }), itemTokens[first].end <= high else { continue }
            var last = first
            while last + 1 < itemTokens.count && itemTokens[last + 1].end <= high { last += 1 }
            // As much as the exact pass asks: an n-gram's tokens, or a short item whole (a
            // shorter run is a phrase many texts share: `Which of the following is the strongest`).
            guard last - first + 1 >= min(index.n, itemTokens.count) else { continue }
            let byteStart = Int(squeezed.offsets[s])
            let byteEnd = Int(squeezed.offsets[e - 1]) + 1
            // Only text whose words did run together: a run over as many of the text's own
            // tokens as the item's is text the exact pass reads word by word, where squeezing
            // would only join what its words keep apart (`(1,0)--(10,0)` and `(10,1)--(0,0)`
            // squeeze alike).
            let ownCount = tokensWithin(tokens, base: base, byteStart..<byteEnd)
            guard 4 * ownCount <= 3 * (last - first + 1) else { continue }
            hits.append((i, first, byteStart, byteEnd, last - first + 1, true))
          }
        }
      }
    }
  }

  /// How many of `tokens` (byte offsets from `base`) lie wholly in document bytes `range`.
  func tokensWithin(_ tokens: _TokenView, base: Int, _ range: Range<Int>) -> Int {
    let low = tokens.firstIndex(startingAtOrAfter: range.lowerBound - base)
    var count = 0
    while low + count < tokens.count && base + Int(tokens.ends[low + count]) <= range.upperBound { count += 1 }
    return count
  }
}
