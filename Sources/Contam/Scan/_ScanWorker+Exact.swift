extension _ScanWorker {
  /// The exact pass over the tokens in the buffer (the whole document, or one segment of a
  /// long one): every n-gram window probed; each hit kept with its byte range in the document.
  /// - Parameters:
  ///   - base: the document byte offset of the tokenized text (0 unless a segment).
  ///   - overlap: the leading tokens already seen by the previous segment; hits lying wholly
  ///     inside them were collected there and are skipped here.
  mutating func collectExactHits(tokens: _TokenView, base: Int, overlap: Int) {
    let n = index.n
    var found = hits
    hits = []
    probe(index.table, hasher: index.hasher, tokens: tokens) { position, postings in
      guard position + n > overlap else { return }
      let bytes = tokens.byteRange(first: position, length: n)
      for p in postings { found.append((Int(p.item), Int(p.position), base + bytes.lowerBound, base + bytes.upperBound, n, false)) }
    }
    if index.hasShortItems {
      // Short items and short parts: keyed by their first tokens, confirmed on all of them.
      let itemHashes = index.tokenHashes
      let spans = index.shortSpans
      probe(index.shortTable, hasher: index.shortHasher, tokens: tokens) { position, postings in
        for p in postings {
          let span = spans[Int(p.position)]
          let want = itemHashes[span.item]
          // As far as the copy goes: all of a short item or part, at least the head of a longer one.
          let reach = min(span.length, tokens.count - position)
          var run = 0
          while run < reach && tokens.hashes[position + run] == want[span.start + run] { run += 1 }
          guard run >= span.minimum, position + run > overlap else { continue }
          let bytes = tokens.byteRange(first: position, length: run)
          found.append((span.item, span.start, base + bytes.lowerBound, base + bytes.upperBound, run, false))
        }
      }
    }
    hits = found
  }

  /// The exact passes once more around a word cut between the document before and this one
  /// (``_DocumentCarry/joinedWord(with:tokenizer:)``), the two halves read as the one word
  /// `joined`: the carry but its last token, the word, and the document's tokens after its first
  /// as far as a match reaches. Only matches through the word are new; the others the passes
  /// over the buffer found.
  mutating func collectJoinedHits(_ joined: _DocumentCarry.JoinedWord) {
    // The tokens the exact passes read: the carry's last n - 1 (a longer carry is the near
    // search's), then the document's.
    let (view, lead) = exactTokens
    if joined.secondHalfIsToken {
      guard view.count > lead, view.starts[lead] == 0, Int(view.ends[lead]) == joined.end else { return }
    }
    let kept = lead - (joined.firstHalfIsToken ? 1 : 0)  // the carry's tokens before the word
    let after = lead + (joined.secondHalfIsToken ? 1 : 0)  // the document's first token after it
    let reach = index.matchReach
    storage.refillJoinBuffer { join in
      for t in 0..<kept { join.consume(hash: view.hashes[t], start: 0, end: 0) }
      join.consume(hash: joined.hash, start: 0, end: joined.end)
      for t in after..<min(view.count, after + reach) {
        join.consume(hash: view.hashes[t], start: Int(view.starts[t]), end: Int(view.ends[t]))
      }
    }
    let before = hits.count
    let tokens = storage.joinBuffer.view
    collectExactHits(tokens: tokens, base: 0, overlap: kept)
    if index.hasApartItems { collectApartHits(tokens: tokens, base: 0, overlap: kept) }
    // A match through the word starts at byte 0; one that starts after it is the buffer's.
    let through = hits[before...].filter { $0.byteStart == 0 }
    hits.removeSubrange(before...)
    hits += through
  }

  /// Near an exact match of `item` in the document (`near`, widened by the item's length on
  /// each side), looks for the lines of its parts that the match did not cover: the choices of
  /// a multiple-choice item in another order, an answer too short for an n-gram after a layout
  /// word. A part's lines all found cover them all; otherwise only lines of at least 3 tokens
  /// found cover, so a chance word near a copied question adds nothing. Only an item the match
  /// already makes `partial` (coverage of its judged tokens, or of those outside context parts,
  /// at least ``ScanConfiguration/partialThreshold``) is searched: the search adds to a
  /// finding, it never makes one.
  mutating func coverAnchoredSegments(item: Int, marks: inout [UInt64], document: Document, near: Range<Int>) {
    let itemHashes = index.tokenHashes[item]
    let segments = index.lineSegments[item]
    let judged = index.judged[item]
    func open(_ range: Range<Int>) -> Bool { range.contains { _Bits.isSet(judged, $0) && !_Bits.isSet(marks, $0) } }
    guard segments.contains(where: { $0.contains(where: open) }) else { return }
    var ownJudged = 0
    var ownCovered = 0
    for (part, range) in zip(index.items[item].parts, index.partRanges[item]) where !BenchmarkItem.contextPartNames.contains(part.name) {
      for t in range where _Bits.isSet(judged, t) {
        ownJudged += 1
        if _Bits.isSet(marks, t) { ownCovered += 1 }
      }
    }
    let covered = _Bits.count(marks, in: 0..<itemHashes.count)
    let threshold = configuration.partialThreshold
    guard Double(covered) >= threshold * Double(index.judgedTokens[item])
      || (ownJudged > 0 && Double(ownCovered) >= threshold * Double(ownJudged))
    else { return }
    let span = index.lastTokenEnd[item] + 64
    let window = max(0, near.lowerBound - span)..<min(document.text.count, near.upperBound + span)
    var collector = TokenCollector()
    _ = tokenizer.tokenize(UnsafeRawBufferPointer(rebasing: document.text[window]), into: &collector)
    let hashes = collector.tokens.map(\.hash)
    // Where the match begins, in the window's tokens: a line's occurrence nearest to it is used.
    let anchor = collector.tokens.firstIndex { $0.start >= near.lowerBound - window.lowerBound } ?? 0
    func occurrence(_ range: Range<Int>) -> Int? {
      let want = range.map { itemHashes[$0] }
      guard !want.isEmpty, want.count <= hashes.count else { return nil }
      var best: Int?
      for start in 0...(hashes.count - want.count) where (0..<want.count).allSatisfy({ hashes[start + $0] == want[$0] }) {
        if best.map({ abs(start - anchor) < abs($0 - anchor) }) ?? true { best = start }
      }
      return best
    }
    for part in segments where part.contains(where: open) {
      let found = part.map(occurrence)
      // Short lines count only as a whole set found close together (the choices of one copy),
      // not as single words that happen to be in the text around it.
      let positions = found.compactMap { $0 }
      let tokensInPart = part.reduce(0) { $0 + $1.count }
      let together = positions.count == part.count && (positions.max()! - positions.min()!) <= 2 * tokensInPart + 8
      // Only tokens the item is judged on count (coverage is over those).
      for (segment, at) in zip(part, found) where at != nil && (segment.count >= 3 || together) {
        for t in segment where _Bits.isSet(judged, t) { marks[t >> 6] |= 1 << UInt64(t & 63) }
      }
    }
    // The correct option, however short, within the gap of parts apart after the match: a
    // question of `n` tokens or more copied with its answer (a shorter one is an item of parts
    // apart, ``ItemIndex/apartIndex``).
    if configuration.questionWithAnswer == true, configuration.correctOptionAlone == true, let answer = index.answerLines[item], open(answer) {
      let end = collector.tokens.firstIndex { $0.start >= near.upperBound - window.lowerBound } ?? collector.tokens.count
      let want = answer.map { itemHashes[$0] }
      let follows = (end...(end + ItemIndex.apartGap)).contains { start in
        start + want.count <= hashes.count && (0..<want.count).allSatisfy { hashes[start + $0] == want[$0] }
      }
      if follows { for t in answer where _Bits.isSet(judged, t) { marks[t >> 6] |= 1 << UInt64(t & 63) } }
    }
  }

  /// Items of parts apart (``ItemIndex``): every own part in order, each within
  /// ``ItemIndex/apartGap`` tokens of the last (the lines of a `choices` part in any order, each
  /// within the gap of the line before), keyed by 3 tokens of the first part.
  /// Only a window whose three tokens may be a key (a 128 Kbit map, in L1) is
  /// hashed and probed, so the pass costs about one load per token.
  mutating func collectApartHits(tokens: _TokenView, base: Int, overlap: Int) {
    let table = index.apartTable
    let windows = tokens.count - ItemIndex.apartKeyTokens + 1
    guard windows > 0 else { return }
    let itemHashes = index.tokenHashes
    let spans = index.apartSpans
    let gap = ItemIndex.apartGap
    // A match's parts count whatever they share (certificates before blanksFilled: as n-grams).
    let ownMatch = configuration.blanksFilled == true
    var found = hits
    hits = []
    func confirm(_ position: Int, _ postings: UnsafeBufferPointer<ItemIndex.Posting>) {
      for p in postings {
        let span = spans[Int(p.position)]
        guard position >= span.keyOffset else { continue }
        let want = itemHashes[span.item]
        func matches(_ part: Range<Int>, at start: Int) -> Bool {
          start + part.count <= tokens.count && (0..<part.count).allSatisfy { tokens.hashes[start + $0] == want[part.lowerBound + $0] }
        }
        // Where each part is: the first where the key puts it, each next within `gap` tokens of
        // the last. Each part's hit is kept as it is placed, and taken back if a later one is not.
        var at = position - span.keyOffset
        var placed = 0
        // Where the first part ends and the second starts (the blank of a blank-filled copy).
        var firstEnd = 0
        var secondStart = 0
        func place(_ range: Range<Int>, _ start: Int, part k: Int) {
          let bytes = tokens.byteRange(first: start, length: range.count)
          found.append((span.item, range.lowerBound, base + bytes.lowerBound, base + bytes.upperBound, range.count, ownMatch))
          if k == 0 { firstEnd = start + range.count } else if k == 1 { secondStart = start }
          at = start + range.count
          placed += 1
        }
        var complete = true
        for (k, part) in span.parts.enumerated() where complete {
          if part.isEmpty {
            // A question that opens with its blank: nothing before it, which the key starts.
            firstEnd = at
          } else if k == span.anyOrderPart {
            // The nearest start of a line not yet placed (the longest line there), until none is left.
            var left = span.lines
            while complete && !left.isEmpty {
              var next: (line: Int, start: Int)?
              for start in at...(at + gap) where next == nil {
                for (l, line) in left.enumerated() where line.count > (next.map { left[$0.line].count } ?? 0) && matches(line, at: start) {
                  next = (l, start)
                }
              }
              if let next {
                place(left[next.line], next.start, part: k)
                left.remove(at: next.line)
              } else {
                complete = false
              }
            }
          } else if let start = (at...(k == 0 ? at : at + gap)).first(where: { matches(part, at: $0) }) {
            place(part, start, part: k)
          } else {
            complete = false
          }
        }
        // A question's two sides around its blank (both in one part of the item): the blank
        // holds nothing or one of the item's options (a twin's sentence, a word longer, is not
        // this item's), and the correct one is matched too.
        var fill: Range<Int>?
        if complete, secondStart > firstEnd, index.isBlankSpan(span) {
          let options = index.choiceLines(of: span.item)
          fill = options.first { option in
            option.count == secondStart - firstEnd && (0..<option.count).allSatisfy { tokens.hashes[firstEnd + $0] == want[option.lowerBound + $0] }
          }
          if fill == nil && !options.isEmpty { complete = false }
        }
        if !complete || at <= overlap {
          found.removeLast(placed)
        } else if let fill, fill == index.answerLines[span.item] {
          let bytes = tokens.byteRange(first: firstEnd, length: fill.count)
          found.append((span.item, fill.lowerBound, base + bytes.lowerBound, base + bytes.upperBound, fill.count, true))
        }
      }
    }
    let hashes = tokens.hashes
    let bits = index.apartKeyBits
    let hasher = index.apartHasher
    for k in 0..<windows {
      let bit = ItemIndex.keyBit(hashes[k], hashes[k + 1], hashes[k + 2])
      guard bits[bit >> 6] & (1 << UInt64(bit & 63)) != 0 else { continue }
      let key = hasher.hash(UnsafeBufferPointer(start: hashes + k, count: ItemIndex.apartKeyTokens))
      guard table.mayContain(key), let slot = table.slot(of: key) else { continue }
      let postings = table.postings(atSlot: slot)
      if postings.count > 0 { confirm(k, postings) }
    }
    hits = found
  }

  /// The answer a copy of `item` (its tokens `marks`, bytes `start..<end` of the document)
  /// states: the first one read after it (``AnswerExtractor``); or, with none read and
  /// ``ScanConfiguration/correctOptionAlone``, the item's own answer when the copy holds its
  /// question and correct option and none of its other options
  /// (``ItemIndex/givesCorrectOptionAlone(item:marks:)``): `Q: … A: <the option>`, a chat's reply.
  func answer(of item: Int, marks: [UInt64], in document: Document, from start: Int, to end: Int) -> AnswerCheck? {
    guard let expected = index.answers[item] else { return nil }
    let read = AnswerExtractor.check(expected: expected, in: document.text, from: start, to: end)
    guard read.agreement == .none, configuration.questionWithAnswer == true, configuration.correctOptionAlone == true,
      index.givesCorrectOptionAlone(item: item, marks: marks)
    else {
      return read
    }
    return AnswerCheck(agreement: .same, expected: read.expected, found: AnswerExtractor.normalize(expected.value))
  }

  /// Turns the document's exact hits into, per item, its covered tokens and one piece of
  /// evidence (the matched region, its scores and answer), then forgets the hits.
  mutating func emitExactEvidence(document: Document, into partial: inout _ShardPartial) {
    defer { hits.removeAll(keepingCapacity: true) }
    if hits.isEmpty { return }
    hits.sort { ($0.item, $0.byteStart) < ($1.item, $1.byteStart) }
    var i = 0
    while i < hits.count {
      let item = hits[i].item
      let length = index.tokenHashes[item].count
      var marks = [UInt64](repeating: 0, count: (length + 63) / 64)
      var byteStart = Int.max
      var byteEnd = 0
      var j = i
      while j < hits.count && hits[j].item == item {
        let h = hits[j]
        // A shared n-gram (ItemIndex: shared context) is not this item's evidence; a part of a
        // match of parts apart is (the whole match is the item's own, whatever its parts share).
        if h.own || h.length < index.n || index.covers(item: item, position: h.itemPosition) {
          _Bits.set(&marks, h.itemPosition..<(h.itemPosition + h.length))
          byteStart = min(byteStart, h.byteStart)
          byteEnd = max(byteEnd, h.byteEnd)
        }
        j += 1
      }
      // Coverage is over the tokens the item is judged on: a whole short part or a head run may
      // span tokens it shares with a sibling item, which must not count (nor push coverage past 1).
      let judged = index.judged[item]
      for w in marks.indices { marks[w] &= w < judged.count ? judged[w] : 0 }
      guard _Bits.count(marks, in: 0..<length) > 0 else {
        i = j
        continue
      }
      coverAnchoredSegments(item: item, marks: &marks, document: document, near: byteStart..<byteEnd)
      let matched = _Bits.count(marks, in: 0..<length)
      _Bits.union(&partial.coverage[item, default: []], marks)
      partial.documents[item, default: 0] += 1
      let snippetEnd = min(byteEnd, byteStart + Evidence.maximumSnippetBytes)
      let snippet = String(decoding: UnsafeRawBufferPointer(rebasing: document.text[byteStart..<snippetEnd]), as: UTF8.self)
      let evidence = Evidence(
        shard: document.shardPath, line: document.line(at: byteStart), documentID: document.id, byteStart: byteStart, byteEnd: byteEnd,
        snippet: snippet, coverage: Double(matched) / Double(max(1, index.judgedTokens[item])),
        longestRun: _Bits.longestRun(marks, count: length), matchedTokens: matched,
        answer: answer(of: item, marks: marks, in: document, from: byteStart, to: byteEnd))
      _keepBest(&partial.evidence[item, default: []], evidence, limit: configuration.evidencePerItem)
      i = j
    }
  }
}
