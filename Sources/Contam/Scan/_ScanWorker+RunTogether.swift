import CContamSupport

extension _ScanWorker {
  /// Bytes of text around a long token that are squeezed with it: a copy's first and last words
  /// may be tokens of normal length.
  static let runTogetherMargin = 64
  /// The most bytes between two tokens of words written together that open a window together.
  static let runTogetherPair = 128
  /// How many tokens ahead the search prefetches the bitmap and filter words it will test.
  static let marksAhead = 16

  /// Items copied with their words run together (``RunTogetherIndex``), in the text in the
  /// buffer (document bytes `base..<end`): around each token of ``RunTogetherIndex/longToken``
  /// bytes or more, and around two tokens close together that are each two of an item's words
  /// written together (``RunTogetherIndex/merges``: one alone is most often a word of other text,
  /// `filename`, `hither`), the squeezed text's anchors are looked up, and each anchor of an item
  /// found grows into the longest run of characters the text and the item share (passing over
  /// an option label the copy adds). The run is a hit on the item's tokens it spans (its judged
  /// ones count, as for any hit). Text without such tokens costs one compare per token, and a
  /// bitmap test for tokens of ``RunTogetherIndex/shortestMerge`` bytes or more.
  mutating func collectRunTogetherHits(document: Document, base: Int, end: Int) {
    let tokens = ownTokens
    var anchors = runTogetherIndex
    var windows: [Range<Int>] = []
    func open(_ t: Int) {
      let low = max(base, base + Int(tokens.starts[t]) - Self.runTogetherMargin)
      let high = min(end, base + Int(tokens.ends[t]) + Self.runTogetherMargin)
      if let last = windows.last, last.upperBound >= low {
        windows[windows.count - 1] = last.lowerBound..<max(last.upperBound, high)
      } else {
        windows.append(low..<high)
      }
    }
    // First the tokens to look at: those of `longToken` bytes or more, and (marked negative)
    // those of 6-15 bytes that are no word of the items (most such tokens are, and a bitmap of
    // 128 KB says so; no pair of words written together is). The bitmap's words are prefetched
    // `marksAhead` candidates ahead: other tables push it out of a core's cache.
    // (Without branches: which tokens are 6 bytes or more is a coin toss to a branch predictor.)
    var marks = [Int32](unsafeUninitializedCapacity: tokens.count) { marks, count in
      var kept = 0
      for t in 0..<tokens.count {
        let length = Int(tokens.ends[t]) - Int(tokens.starts[t])
        marks[kept] = length >= RunTogetherIndex.longToken ? Int32(t) : ~Int32(t)
        kept += length >= RunTogetherIndex.shortestMerge ? 1 : 0
      }
      count = kept
    }
    index.tokenBits.withUnsafeBufferPointer { bits in
      let ahead = Self.marksAhead
      var kept = 0
      for k in 0..<marks.count {
        if k + ahead < marks.count, marks[k + ahead] < 0 {
          CContamSupport_prefetch(bits.baseAddress! + ItemIndex.tokenWord(max(1, tokens.hashes[Int(~marks[k + ahead])])))
        }
        let m = marks[k]
        if m >= 0 || !index.mayHoldToken(max(1, tokens.hashes[Int(~m)])) {
          marks[kept] = m
          kept += 1
        }
      }
      marks.removeSubrange(kept...)
    }
    // Then, in order, the long tokens open windows, and the others are asked of the filter of
    // words written together (its words prefetched `marksAhead` tokens ahead: the filter is
    // larger than a core's cache); two close together open a window each.
    if marks.contains(where: { $0 < 0 }) && anchors == nil {
      anchors = index.runTogether.get(index)
      runTogetherIndex = anchors
    }
    // The last token of two words written together, and whether its window is open.
    var lastMerge: (token: Int, opened: Bool)? = nil
    marks.withUnsafeBufferPointer { marks in
      guard let merges = anchors?.merges else {
        for m in marks where m >= 0 { open(Int(m)) }
        return
      }
      merges.withView { filter in
        let ahead = Self.marksAhead
        for (k, m) in marks.enumerated() {
          if k + ahead < marks.count, marks[k + ahead] < 0 {
            CContamSupport_prefetch(filter.word(max(1, tokens.hashes[Int(~marks[k + ahead])])))
          }
          guard m < 0 else {
            open(Int(m))
            continue
          }
          let t = Int(~m)
          guard filter.mayContain(max(1, tokens.hashes[t])) else { continue }
          if let last = lastMerge, Int(tokens.starts[t]) - Int(tokens.ends[last.token]) <= Self.runTogetherPair {
            if !last.opened { open(last.token) }
            open(t)
            lastMerge = (t, true)
          } else {
            lastMerge = (t, false)
          }
        }
      }
    }
    guard !windows.isEmpty else { return }
    if anchors == nil {
      anchors = index.runTogether.get(index)
      runTogetherIndex = anchors
    }
    let table = anchors!.table
    // Per item met: its squeezed text, the token each squeezed character is in, and its tokens'
    // byte ranges (nil when they do not give the index's tokens).
    var items: [Int: (characters: [UInt8], offsets: [Int32], classes: [Int32], tokens: [Token])?] = [:]
    func item(_ i: Int) -> (characters: [UInt8], offsets: [Int32], classes: [Int32], tokens: [Token])? {
      if let known = items[i] { return known }
      var text = ItemIndex.text(of: index.items[i])
      let squeezed = text.withUTF8 { RunTogetherIndex.squeeze(UnsafeRawBufferPointer($0)) }
      let itemTokens = tokenizer.tokens(of: text)
      var made: (characters: [UInt8], offsets: [Int32], classes: [Int32], tokens: [Token])?
      if itemTokens.count == index.tokenHashes[i].count {
        let classes = RunTogetherIndex.tokenClasses(of: squeezed.offsets, count: itemTokens.count, first: 0) {
          (Int32(itemTokens[$0].start), Int32(itemTokens[$0].end))
        }
        made = (squeezed.characters, squeezed.offsets, classes, itemTokens)
      }
      items[i] = made
      return made
    }
    var squeezed: (characters: [UInt8], offsets: [Int32]) = ([], [])
    var skips: [Range<Int>] = []
    let widens = configuration.runTogetherWidens == true
    var w = 0
    while w < windows.count {
      let window = windows[w]
      // A run stopped by the window's edge where the item goes on: the window is read again,
      // wider by what the item has left (a copy longer than the margin around the tokens that
      // opened it, its start or end with its words apart or joined in threes).
      var wider = window
      let found = hits.count
      squeezed.characters.removeAll(keepingCapacity: true)
      squeezed.offsets.removeAll(keepingCapacity: true)
      RunTogetherIndex.squeeze(document.text, window, into: &squeezed)
      let text = squeezed.characters
      // The text's token of each squeezed character, made when a run first needs it.
      var textClasses: [Int32]? = nil
      // Per item: how far in the text its last run reached (an anchor inside it adds nothing).
      var reached: [Int: Int] = [:]
      text.withUnsafeBufferPointer { characters in
        // Anchors are looked up where a copy may start too (an item's first window is an
        // anchor): at a line's start (the character's bytes before are white space back to a
        // line break or the document's start), and at the start of a long token (a copy without
        // its spaces in the middle of a line, `… said Whichisarenewableresource?A.oil`).
        let startsCopy = { (p: Int) -> Bool in
          let at = Int(squeezed.offsets[p])
          guard at == 0 || RunTogetherIndex.squeezed(document.text[at - 1]) == 0 else { return false }
          var length = 0
          while length < RunTogetherIndex.longToken && at + length < end && RunTogetherIndex.squeezed(document.text[at + length]) != 0 {
            length += 1
          }
          if length == RunTogetherIndex.longToken { return true }
          var k = at - 1
          while k >= 0 {
            let byte = document.text[k]
            if byte == 0x0A { return true }
            guard byte == 0x20 || byte == 0x09 || byte == 0x0D else { return false }
            k -= 1
          }
          return true
        }
        RunTogetherIndex.forEachAnchor(characters, also: startsCopy) { key, at in
          guard table.mayContain(key), let slot = table.slot(of: key) else { return }
          for p in table.postings(atSlot: slot) {
            let i = Int(p.item)
            guard at >= reached[i] ?? 0, let (own, offsets, itemClasses, itemTokens) = item(i) else { continue }
            var a = Int(p.position)
            var b = a + RunTogetherIndex.anchorCharacters
            guard b <= own.count, own[a..<b].elementsEqual(characters[at..<(at + RunTogetherIndex.anchorCharacters)]) else { continue }
            var s = at
            var e = at + RunTogetherIndex.anchorCharacters
            skips.removeAll(keepingCapacity: true)
            // Grown both ways over the characters the two share; a copy's option label (`A.`,
            // `(ii)`, `3)`: up to 3 characters the item has not) is passed over where the
            // characters after it agree again (``realigns``).
            while a > 0 && s > 0 {
              if own[a - 1] == characters[s - 1] {
                a -= 1
                s -= 1
                continue
              }
              guard let skip = (1...RunTogetherIndex.labelCharacters).first(where: { k in
                s - k > 0 && RunTogetherIndex.realigns(own, a, characters, s - k, forward: false)
              }) else { break }
              skips.append((s - skip)..<s)
              s -= skip
            }
            while b < own.count && e < characters.count {
              if own[b] == characters[e] {
                b += 1
                e += 1
                continue
              }
              guard let skip = (1...RunTogetherIndex.labelCharacters).first(where: { k in
                e + k < characters.count && RunTogetherIndex.realigns(own, b, characters, e + k, forward: true)
              }) else { break }
              skips.append(e..<(e + skip))
              e += skip
            }
            // (Only a run long enough to count: a common phrase's few characters at the edge are
            // no copy going on.)
            let counts = e - s >= RunTogetherIndex.minimumRun
            if widens && counts && s == 0 && a > 0 && window.lowerBound > base {
              wider = max(base, min(wider.lowerBound, window.lowerBound - 2 * a - Self.runTogetherMargin))..<wider.upperBound
            }
            if widens && counts && e == characters.count && b < own.count && window.upperBound < end {
              wider = wider.lowerBound..<min(end, max(wider.upperBound, window.upperBound + 2 * (own.count - b) + Self.runTogetherMargin))
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
            // Only text whose words did run together (fewer tokens than the item's), and only
            // where the text's words are the item's, some joined: every place the text's tokens
            // part is a place the item's part. Squeezing text that keeps its spaces joins what
            // its words keep apart (`(1,0)--(10,0)` and `(10,1)--(0,0)` squeeze alike).
            guard tokensWithin(tokens, base: base, byteStart..<byteEnd) < last - first + 1 else { continue }
            if textClasses == nil {
              let firstToken = max(0, tokens.firstIndex(startingAtOrAfter: window.lowerBound - base) - 1)
              textClasses = RunTogetherIndex.tokenClasses(of: squeezed.offsets, count: tokens.count, first: firstToken) {
                (Int32(base) + tokens.starts[$0], Int32(base) + tokens.ends[$0])
              }
            }
            guard RunTogetherIndex.partsOnlyWhereItemParts(text: textClasses!, characters, s..<e, skipping: skips, item: itemClasses, from: a) else { continue }
            hits.append((i, first, byteStart, byteEnd, last - first + 1, true))
          }
        }
      }
      if wider != window {
        hits.removeSubrange(found...)
        windows[w] = wider
        continue
      }
      w += 1
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
